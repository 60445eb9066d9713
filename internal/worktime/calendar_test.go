package worktime

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestNewCalendarErrors(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		zone                   string
		days, holidays, extras []string
		want                   []string // one substring per expected problem
	}{
		{name: "unknown zone", zone: "Europe/Londn",
			want: []string{`unknown time zone "Europe/Londn": use an IANA name such as "Europe/London"`}},
		{name: "empty zone", zone: "",
			want: []string{`time zone is empty`}},
		{name: "Local", zone: "Local",
			want: []string{`unknown time zone "Local"`}},
		{name: "no working days", zone: "UTC", days: []string{},
			want: []string{`no working days`}},
		{name: "duplicate weekday", zone: "UTC", days: []string{"Monday", "Tuesday", "Monday"},
			want: []string{`working day "Monday" is listed twice`}},
		{name: "lower-case weekday", zone: "UTC", days: []string{"monday"},
			want: []string{`unknown working day "monday" (write "Monday"): expected one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday`}},
		{name: "abbreviated weekday", zone: "UTC", days: []string{"Mon", "Friday"},
			want: []string{`unknown working day "Mon": expected one of`}},
		{name: "impossible holiday", zone: "UTC", holidays: []string{"2026-02-30"},
			want: []string{`holiday: "2026-02-30" is not a real date: February 2026 has 28 days`}},
		{name: "badly written holiday", zone: "UTC", holidays: []string{"25/12/2026"},
			want: []string{`holiday: "25/12/2026" is not a date: write it as YYYY-MM-DD`}},
		{name: "duplicate holiday", zone: "UTC", holidays: []string{"2026-12-25", "2026-12-28", "2026-12-25"},
			want: []string{`holiday "2026-12-25" is listed twice`}},
		{name: "duplicate extra", zone: "UTC", extras: []string{"2026-10-10", "2026-10-10"},
			want: []string{`extra working day "2026-10-10" is listed twice`}},
		{name: "bad extra", zone: "UTC", extras: []string{"2026-10-32"},
			want: []string{`extra working day: "2026-10-32" is not a real date: October 2026 has 31 days`}},
		{name: "holiday and extra", zone: "Asia/Shanghai", holidays: []string{"2026-10-10"}, extras: []string{"2026-10-10"},
			want: []string{`"2026-10-10" is both a holiday and an extra working day`}},
		{name: "extra on a working weekday", zone: "Asia/Shanghai", extras: []string{"2026-10-07"},
			want: []string{`extra working day "2026-10-07" is a Wednesday, already a working day`}},
		{name: "extra on a working Saturday", zone: "UTC", days: []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}, extras: []string{"2026-10-10"},
			want: []string{`extra working day "2026-10-10" is a Saturday, already a working day`}},
		{name: "everything at once", zone: "Mars/Olympus", days: []string{"Funday", "Monday", "Monday"},
			holidays: []string{"2026-13-01", "2026-12-25", "2026-12-25", "2026-10-10"},
			extras:   []string{"2026-10-10", "2026-10-05", "nope"},
			want: []string{
				`unknown time zone "Mars/Olympus"`,
				`unknown working day "Funday"`,
				`working day "Monday" is listed twice`,
				`holiday: "2026-13-01" is not a real date: month 13 does not exist`,
				`holiday "2026-12-25" is listed twice`,
				`extra working day: "nope" is not a date`,
				`"2026-10-10" is both a holiday and an extra working day`,
				`extra working day "2026-10-05" is a Monday, already a working day`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCalendar(tc.zone, tc.days, tc.holidays, tc.extras)
			if err == nil {
				t.Fatalf("no error (calendar %v)", c)
			}
			if c != nil {
				t.Errorf("calendar returned with an error")
			}
			var problems []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				problems = j.Unwrap()
			} else {
				problems = []error{err}
			}
			if len(problems) != len(tc.want) {
				t.Errorf("%d problems, want %d:\n%v", len(problems), len(tc.want), err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestNewCalendarValid(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		zone                   string
		days, holidays, extras []string
	}{
		{"defaults", "UTC", nil, nil, nil},
		{"holiday on a weekend", "Europe/London", nil, []string{"2026-12-26"}, nil},
		{"make-up Saturday", "Asia/Shanghai", nil, []string{"2026-10-01"}, []string{"2026-10-10"}},
		{"extra Friday in a Sunday-Thursday week", "Asia/Riyadh", []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"}, nil, []string{"2026-01-09"}},
		{"weekdays in any order", "Europe/Paris", []string{"Friday", "Monday"}, nil, nil},
		{"every day", "America/New_York", []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}, nil, nil},
		{"empty date lists", "UTC", nil, []string{}, []string{}},
	} {
		if _, err := NewCalendar(tc.zone, tc.days, tc.holidays, tc.extras); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestNewCalendarDoesNotKeepInput(t *testing.T) {
	hol := []string{"2026-12-25"}
	c, err := NewCalendar("Europe/London", nil, hol, nil)
	if err != nil {
		t.Fatal(err)
	}
	hol[0] = "2026-12-24"
	if c.IsWorkingDay(Date{2026, 12, 25}) || !c.IsWorkingDay(Date{2026, 12, 24}) {
		t.Error("calendar changed with its input slice")
	}
}

func TestIsWorkingDay(t *testing.T) {
	for _, tc := range []struct {
		cal, date string
		want      bool
	}{
		{"utc", "2026-01-05", true},    // Monday
		{"utc", "2026-01-09", true},    // Friday
		{"utc", "2026-01-10", false},   // Saturday
		{"utc", "2026-01-11", false},   // Sunday
		{"uk", "2026-12-25", false},    // Christmas, a Friday
		{"uk", "2026-12-28", false},    // Boxing Day substitute, a Monday
		{"uk", "2026-12-29", true},     // Tuesday
		{"uk", "2026-12-26", false},    // Saturday
		{"cn", "2026-09-27", true},     // make-up Sunday
		{"cn", "2026-10-10", true},     // make-up Saturday
		{"cn", "2026-10-01", false},    // National Day, a Thursday
		{"cn", "2026-10-03", false},    // holiday on a Saturday
		{"cn", "2026-10-11", false},    // ordinary Sunday
		{"cn", "2026-10-08", true},     // Thursday
		{"ksa", "2026-01-09", false},   // Friday
		{"ksa", "2026-01-11", true},    // Sunday
		{"sixday", "2026-01-10", true}, // Saturday
		{"sixday", "2026-01-11", false},
		{"weekendhol", "2026-01-12", true},
	} {
		d, err := ParseDate(tc.date)
		if err != nil {
			t.Fatal(err)
		}
		if got := cal(t, tc.cal).IsWorkingDay(d); got != tc.want {
			t.Errorf("%s: IsWorkingDay(%s) = %v, want %v", tc.cal, tc.date, got, tc.want)
		}
	}
}

func TestEndOfDay(t *testing.T) {
	for _, tc := range []struct {
		zone, date, want string
	}{
		{"Europe/London", "2026-01-05", "2026-01-05T23:59:59Z"},
		{"Europe/London", "2026-03-29", "2026-03-29T23:59:59+01:00"}, // a 23-hour day
		{"Europe/London", "2026-10-25", "2026-10-25T23:59:59Z"},      // a 25-hour day
		{"America/New_York", "2026-03-08", "2026-03-08T23:59:59-04:00"},
		{"America/New_York", "2026-11-01", "2026-11-01T23:59:59-05:00"},
		{"Asia/Shanghai", "2026-10-10", "2026-10-10T23:59:59+08:00"},
		{"Asia/Kolkata", "2026-10-10", "2026-10-10T23:59:59+05:30"},
		{"Pacific/Chatham", "2026-04-05", "2026-04-05T23:59:59+12:45"}, // clocks went back at 03:45
		{"Australia/Lord_Howe", "2026-04-05", "2026-04-05T23:59:59+10:30"},
		// São Paulo put its clocks back at midnight on 17 February 2019, so
		// 23:59:59 on the 16th happened twice: the day ends at the second.
		{"America/Sao_Paulo", "2019-02-16", "2019-02-16T23:59:59-03:00"},
		// ... and forward at midnight on 4 November 2018: that day began at 01:00.
		{"America/Sao_Paulo", "2018-11-03", "2018-11-03T23:59:59-03:00"},
		{"America/Sao_Paulo", "2018-11-04", "2018-11-04T23:59:59-02:00"},
		// Greenland moves its clocks from 23:00 to 00:00 on the last Saturday
		// of March: that day ends at 22:59:59, its last second.
		{"America/Nuuk", "2026-03-28", "2026-03-28T22:59:59-02:00"},
		{"America/Nuuk", "2026-03-29", "2026-03-29T23:59:59-01:00"},
		// Samoa skipped Friday 30 December 2011: its end is the end of the 29th.
		{"Pacific/Apia", "2011-12-29", "2011-12-29T23:59:59-10:00"},
		{"Pacific/Apia", "2011-12-30", "2011-12-29T23:59:59-10:00"},
		{"Pacific/Apia", "2011-12-31", "2011-12-31T23:59:59+14:00"},
	} {
		c, err := NewCalendar(tc.zone, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := ParseDate(tc.date)
		if err != nil {
			t.Fatal(err)
		}
		got := c.EndOfDay(d)
		if got.Format(time.RFC3339) != tc.want || got.Location() != c.Location() {
			t.Errorf("%s: EndOfDay(%s) = %s, want %s", tc.zone, tc.date, got.Format(time.RFC3339), tc.want)
		}
	}
}

// The property: EndOfDay(d) is 23:59:59 local on d, and the next second is
// on the next day, for every day 2000-2040 in zones across the world.
func TestEndOfDayProperty(t *testing.T) {
	zones := []string{
		"UTC", "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Lisbon", "Europe/Moscow",
		"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix",
		"America/St_Johns", "America/Halifax", "America/Santiago", "America/Havana", "America/Sao_Paulo",
		"America/Asuncion", "Asia/Shanghai", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran",
		"Asia/Jerusalem", "Asia/Beirut", "Asia/Riyadh", "Africa/Cairo", "Africa/Casablanca",
		"Australia/Sydney", "Australia/Lord_Howe", "Australia/Adelaide", "Pacific/Auckland", "Pacific/Chatham",
	}
	for _, z := range zones {
		c, err := NewCalendar(z, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for day := daysFromCivil(2000, 1, 1); day < daysFromCivil(2041, 1, 1); day++ {
			e := c.endOfDay(day)
			h, m, s := e.Clock()
			if h != 23 || m != 59 || s != 59 || e.Nanosecond() != 0 || dayOf(e, c.loc) != day || dayOf(e.Add(time.Second), c.loc) != day+1 {
				t.Fatalf("%s: EndOfDay(%s) = %s, next second %s", z, dateOfDay(day), e.Format(time.RFC3339), e.Add(time.Second).Format(time.RFC3339))
			}
		}
	}
}

// TestEndOfDayAllZones checks, in every zone of the embedded database, that
// EndOfDay(d) is the last second whose local date is not after d (so 23:59:59
// wherever that exists; with several, the later). It covers 2025-2027 by
// default and 1900-2040 with WORKTIME_ALL_ZONES=1 (a few seconds).
func TestEndOfDayAllZones(t *testing.T) {
	names := zoneNames(t)
	from, to := daysFromCivil(2025, 1, 1), daysFromCivil(2028, 1, 1)
	if os.Getenv("WORKTIME_ALL_ZONES") != "" {
		from, to = daysFromCivil(1900, 1, 1), daysFromCivil(2041, 1, 1)
	}
	for _, z := range names {
		c, err := NewCalendar(z, nil, nil, nil)
		if err != nil {
			t.Errorf("%s: %v", z, err)
			continue
		}
		for day := from; day < to; day++ {
			e := c.endOfDay(day)
			if dayOf(e, c.loc) > day || dayOf(e.Add(time.Second), c.loc) <= day {
				t.Fatalf("%s: EndOfDay(%s) = %s, next second %s", z, dateOfDay(day), e.Format(time.RFC3339), e.Add(time.Second).Format(time.RFC3339))
			}
		}
	}
}

// zoneNames lists the zones in Go's zoneinfo.zip (the same data as the
// embedded time/tzdata); every Go installation ships it.
func zoneNames(t *testing.T) []string {
	t.Helper()
	z, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Fatalf("no zone list in GOROOT: %v", err)
	}
	defer z.Close()
	var names []string
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, "/") {
			names = append(names, f.Name)
		}
	}
	if len(names) < 300 {
		t.Fatalf("only %d zones", len(names))
	}
	return names
}

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2026-01-05", "2028-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-12-31"} {
		d, err := ParseDate(s)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
			continue
		}
		if d.String() != s {
			t.Errorf("ParseDate(%q).String() = %q", s, d.String())
		}
	}
	for s, want := range map[string]string{
		"2027-02-29":           `"2027-02-29" is not a real date: February 2027 has 28 days`,
		"2100-02-29":           `"2100-02-29" is not a real date: February 2100 has 28 days`,
		"2026-04-31":           `"2026-04-31" is not a real date: April 2026 has 30 days`,
		"2026-13-01":           `"2026-13-01" is not a real date: month 13 does not exist`,
		"2026-00-10":           `"2026-00-10" is not a real date: month 00 does not exist`,
		"2026-01-00":           `"2026-01-00" is not a real date: January 2026 has 31 days`,
		"0000-01-01":           `"0000-01-01" is not a real date: there is no year 0000`,
		"2026-1-05":            `"2026-1-05" is not a date: write it as YYYY-MM-DD, for example "2026-12-25"`,
		"2026/01/05":           `"2026/01/05" is not a date`,
		"20260105":             `"20260105" is not a date`,
		" 2026-01-05":          `" 2026-01-05" is not a date`,
		"2026-01-05T00:00:00Z": `"2026-01-05T00:00:00Z" is not a date`,
		"+026-01-05":           `"+026-01-05" is not a date`,
		"2026-0a-05":           `"2026-0a-05" is not a date`,
		"":                     `"" is not a date`,
	} {
		_, err := ParseDate(s)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseDate(%q) error %v, want %q", s, err, want)
		}
	}
}

func TestDateOf(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	instant := time.Date(2026, 6, 4, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		loc  *time.Location
		want Date
	}{
		{time.UTC, Date{2026, 6, 4}},
		{london, Date{2026, 6, 5}},
		{shanghai, Date{2026, 6, 5}},
		{nil, Date{2026, 6, 4}}, // the instant's own zone
	} {
		if got := DateOf(instant, tc.loc); got != tc.want {
			t.Errorf("DateOf(%s, %v) = %s, want %s", instant, tc.loc, got, tc.want)
		}
	}
	if got := DateOf(time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), time.UTC); got != (Date{1969, 12, 31}) {
		t.Errorf("before 1970: %s", got)
	}
}

func TestDateArithmetic(t *testing.T) {
	// Day numbers agree with the time package over a wide range.
	for day := daysFromCivil(1600, 1, 1); day < daysFromCivil(2400, 1, 1); day += 13 {
		d := dateOfDay(day)
		tm := time.Unix(int64(day)*86400, 0).UTC()
		if d.Year != tm.Year() || d.Month != tm.Month() || d.Day != tm.Day() || d.Weekday() != tm.Weekday() {
			t.Fatalf("day %d: %s (%s), time says %s", day, d, d.Weekday(), tm.Format("2006-01-02 Mon"))
		}
		if d.day() != day {
			t.Fatalf("round trip %d -> %s -> %d", day, d, d.day())
		}
	}
	d := Date{2026, time.December, 31}
	if got := d.AddDays(1); got != (Date{2027, 1, 1}) {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(-365); got != (Date{2025, 12, 31}) {
		t.Errorf("AddDays(-365) = %s", got)
	}
	if d.Compare(Date{2027, 1, 1}) != -1 || d.Compare(d) != 0 || (Date{2027, 1, 1}).Compare(d) != 1 {
		t.Error("Compare")
	}
	if got := (Date{2026, 4, 31}).AddDays(0); got != (Date{2026, 5, 1}) {
		t.Errorf("normalising 31 April: %s", got)
	}
	if got := (Date{2026, 14, 1}).AddDays(0); got != (Date{2027, 2, 1}) {
		t.Errorf("normalising month 14: %s", got)
	}
	for _, tc := range []struct {
		from Date
		n    int
		want Date
	}{
		{Date{2026, 1, 31}, 1, Date{2026, 2, 28}},
		{Date{2028, 1, 31}, 1, Date{2028, 2, 29}},
		{Date{2026, 3, 31}, -1, Date{2026, 2, 28}},
		{Date{2026, 1, 15}, -1, Date{2025, 12, 15}},
		{Date{2026, 1, 15}, -13, Date{2024, 12, 15}},
		{Date{2026, 12, 31}, 14, Date{2028, 2, 29}},
	} {
		if got := addMonths(tc.from, tc.n); got != tc.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestCalendarString(t *testing.T) {
	if got := cal(t, "uk").String(); got != "Europe/London" {
		t.Errorf("String() = %q", got)
	}
	var c *Calendar
	if got := c.String(); got != "UTC" {
		t.Errorf("nil String() = %q", got)
	}
	// errors.Join output lists one problem per line.
	_, err := NewCalendar("Nowhere/Town", []string{}, nil, nil)
	if err == nil || len(strings.Split(err.Error(), "\n")) != 2 || !errors.Is(err, err) {
		t.Errorf("joined error: %v", err)
	}
}
