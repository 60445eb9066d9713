package worktime

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// Test calendars. The holiday lists are real where they are published
// (England and Wales bank holidays 2026-2027, US federal holidays 2026) and
// plausible where they are not: China's 2026 New Year, Spring Festival and
// National Day arrangements below, with their make-up working days, are
// illustrative dates in the style of the State Council's yearly notice, not
// a copy of it.
var calendarSpecs = map[string]struct {
	zone     string
	weekdays []string
	holidays []string
	extra    []string
}{
	"utc":    {zone: "UTC"},
	"london": {zone: "Europe/London"},
	"ny":     {zone: "America/New_York"},
	"uk": {zone: "Europe/London", holidays: []string{
		"2025-12-25", "2025-12-26",
		"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
		"2026-12-25", "2026-12-28", // Christmas Friday; Boxing Day (Saturday) substituted on Monday
		"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
		"2027-12-27", "2027-12-28", // Christmas (Saturday) and Boxing Day (Sunday) substituted
	}},
	"us": {zone: "America/New_York", holidays: []string{
		"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
		"2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25",
		"2027-01-01", "2027-01-18",
	}},
	"cn": {zone: "Asia/Shanghai",
		holidays: []string{
			"2026-01-01", "2026-01-02", "2026-01-03", // New Year (3 January is a Saturday)
			"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", // Spring Festival,
			"2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", // weekends included
			"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", // National Day Golden Week
			"2026-10-05", "2026-10-06", "2026-10-07",
		},
		extra: []string{
			"2026-01-04",               // Sunday, make-up for New Year
			"2026-02-14", "2026-02-28", // Saturdays, make-up for Spring Festival
			"2026-09-27", "2026-10-10", // Sunday and Saturday, make-up for National Day
		}},
	"ksa":    {zone: "Asia/Riyadh", weekdays: []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"}},
	"sixday": {zone: "Europe/London", weekdays: []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}},
	// Holidays that fall on weekends change nothing in a Monday-Friday calendar.
	"weekendhol": {zone: "Europe/London", holidays: []string{"2026-01-10", "2026-01-11", "2026-12-26", "2026-12-27"}},
}

var (
	calOnce sync.Once
	cals    map[string]*Calendar
)

func cal(t testing.TB, name string) *Calendar {
	t.Helper()
	calOnce.Do(func() {
		cals = map[string]*Calendar{}
		for name, s := range calendarSpecs {
			c, err := NewCalendar(s.zone, s.weekdays, s.holidays, s.extra)
			if err != nil {
				panic(name + ": " + err.Error())
			}
			cals[name] = c
		}
	})
	c, ok := cals[name]
	if !ok {
		t.Fatalf("no test calendar %q", name)
	}
	return c
}

// local parses a readable local wall-clock time in loc:
//
//	"Fri 2026-01-09 16:30", "2026-01-09 16:30:15", "Sun 2026-10-25 01:30 +0100"
//
// The weekday is optional but checked when given (it catches slips in
// hand-written expectations); seconds are optional; an offset is needed only
// for wall times that happen twice and is checked against loc.
func local(t testing.TB, s string, loc *time.Location) time.Time {
	t.Helper()
	f := strings.Fields(s)
	weekday := ""
	if len(f) > 0 && len(f[0]) == 3 && f[0][0] >= 'A' && f[0][0] <= 'Z' {
		weekday, f = f[0], f[1:]
	}
	if len(f) < 2 || len(f) > 3 {
		t.Fatalf("bad time %q", s)
	}
	clock := f[1]
	if len(clock) == 5 {
		clock += ":00"
	}
	var tm time.Time
	var err error
	if len(f) == 3 {
		tm, err = time.Parse("2006-01-02 15:04:05 -0700", f[0]+" "+clock+" "+f[2])
		if err == nil {
			tm = tm.In(loc)
			if got := tm.Format("2006-01-02 15:04:05 -0700"); got != f[0]+" "+clock+" "+f[2] {
				t.Fatalf("time %q is %s in %s", s, got, loc)
			}
		}
	} else {
		tm, err = time.ParseInLocation("2006-01-02 15:04:05", f[0]+" "+clock, loc)
		if err == nil {
			got := tm.Format("2006-01-02 15:04:05")
			if got != f[0]+" "+clock {
				t.Fatalf("time %q does not exist in %s", s, loc)
			}
			if tm.Add(-time.Hour).Format("2006-01-02 15:04:05") == got || tm.Add(time.Hour).Format("2006-01-02 15:04:05") == got {
				t.Fatalf("time %q is ambiguous in %s: add an offset", s, loc)
			}
		}
	}
	if err != nil {
		t.Fatalf("bad time %q: %v", s, err)
	}
	if weekday != "" && tm.Format("Mon") != weekday {
		t.Fatalf("time %q: %s is a %s", s, f[0], tm.Weekday())
	}
	return tm
}

// show formats an instant the way the tables write it.
func show(tm time.Time, loc *time.Location) string {
	return tm.In(loc).Format("Mon 2006-01-02 15:04:05 -0700")
}

func mustDuration(t testing.TB, s string) Duration {
	t.Helper()
	d, err := ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// oracle is a deliberately naive, independent implementation of Due for
// cross-checking generated tables: it works on time.Time values with
// AddDate and Weekday and string-keyed holiday sets, not on the package's
// day numbers. It is only valid in zones whose days end at 23:59:59.
type oracle struct {
	loc      *time.Location
	weekdays map[time.Weekday]bool
	holidays map[string]bool
	extra    map[string]bool
}

func newOracle(name string) oracle {
	s := calendarSpecs[name]
	loc, err := time.LoadLocation(s.zone)
	if err != nil {
		panic(err)
	}
	o := oracle{loc: loc, weekdays: map[time.Weekday]bool{}, holidays: map[string]bool{}, extra: map[string]bool{}}
	names := s.weekdays
	if names == nil {
		names = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	}
	for _, n := range names {
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if wd.String() == n {
				o.weekdays[wd] = true
			}
		}
	}
	for _, h := range s.holidays {
		o.holidays[h] = true
	}
	for _, e := range s.extra {
		o.extra[e] = true
	}
	return o
}

func (o oracle) working(noon time.Time) bool {
	key := noon.Format("2006-01-02")
	return o.extra[key] || (o.weekdays[noon.Weekday()] && !o.holidays[key])
}

func (o oracle) due(start time.Time, d Duration) time.Time {
	s := start.In(o.loc)
	y, m, day := s.Date()
	noon := time.Date(y, m, day, 12, 0, 0, 0, o.loc)
	eod := func(t time.Time) time.Time {
		y, m, d := t.Date()
		return time.Date(y, m, d, 23, 59, 59, 0, o.loc)
	}
	switch d.Unit {
	case Hours:
		return start.Add(time.Duration(d.N) * time.Hour)
	case Days:
		return eod(noon.AddDate(0, 0, d.N))
	case Weeks:
		return eod(noon.AddDate(0, 0, 7*d.N))
	case Months:
		first := time.Date(y, m+time.Month(d.N), 1, 12, 0, 0, 0, o.loc)
		last := time.Date(y, m+time.Month(d.N)+1, 0, 12, 0, 0, 0, o.loc).Day()
		return time.Date(first.Year(), first.Month(), min(day, last), 23, 59, 59, 0, o.loc)
	case WorkingDays:
		for n := d.N; n > 0; {
			noon = noon.AddDate(0, 0, 1)
			if o.working(noon) {
				n--
			}
		}
		return eod(noon)
	}
	panic("unit")
}

func (o oracle) between(from, to time.Time) int {
	a, b := from.In(o.loc), to.In(o.loc)
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	day := time.Date(ay, am, ad, 12, 0, 0, 0, o.loc)
	end := time.Date(by, bm, bd, 12, 0, 0, 0, o.loc)
	n := 0
	for day.Before(end) {
		day = day.AddDate(0, 0, 1)
		if o.working(day) {
			n++
		}
	}
	return sign * n
}
