package worktime

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Calendar says which days are working days and in which time zone days
// begin and end. It is immutable and safe for concurrent use. A nil
// *Calendar (or a zero Calendar) behaves as UTC, Monday to Friday, with no
// holidays.
type Calendar struct {
	loc      *time.Location
	weekdays uint8 // bit 1<<time.Weekday set for each working weekday
	perWeek  int   // number of working weekdays
	holidays []int // sorted day numbers
	extra    []int // sorted day numbers (extra working days)
	special  []int // holidays and extra working days together, sorted
}

var weekdayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

const mondayToFriday = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday

// defaultCalendar is UTC, Monday to Friday, no holidays: what a nil
// *Calendar means.
var defaultCalendar = &Calendar{loc: time.UTC, weekdays: mondayToFriday, perWeek: 5}

// NewCalendar returns the calendar of an IANA time zone (such as
// "Europe/London"; "UTC" too, but not "" or "Local"), its working weekdays
// ("Monday".."Sunday"; nil means Monday to Friday, a non-nil empty slice is
// an error), holidays (dates that are not working days even on a working
// weekday) and extra working days (dates that are working days although
// their weekday is not, such as make-up days), each written YYYY-MM-DD.
//
// It returns every problem at once, joined with errors.Join, each naming the
// offending value: an unknown zone; no working days; an unknown or duplicate
// weekday; an unparseable or duplicate date; a date that is both a holiday
// and an extra working day; an extra working day that falls on a working
// weekday anyway (it would change nothing, so it is taken for a mistake).
// A holiday on a non-working weekday is allowed and changes nothing.
func NewCalendar(zone string, workingDays []string, holidays, extraWorkingDays []string) (*Calendar, error) {
	var errs []error
	c := &Calendar{}

	switch loc, err := time.LoadLocation(zone); {
	case zone == "":
		errs = append(errs, errors.New(`time zone is empty: use an IANA name such as "Europe/London"`))
	case zone == "Local" || err != nil:
		errs = append(errs, fmt.Errorf("unknown time zone %q: use an IANA name such as %q", zone, "Europe/London"))
	default:
		c.loc = loc
	}

	switch {
	case workingDays == nil:
		c.weekdays = mondayToFriday
	case len(workingDays) == 0:
		errs = append(errs, errors.New("no working days: list at least one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday (or leave workingDays out for Monday to Friday)"))
	}
	for _, name := range workingDays {
		wd, ok := parseWeekday(name)
		switch {
		case !ok:
			hint := ""
			if w, ok := parseWeekday(capitalise(name)); ok {
				hint = fmt.Sprintf(" (write %q)", weekdayNames[w])
			}
			errs = append(errs, fmt.Errorf("unknown working day %q%s: expected one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday", name, hint))
		case c.weekdays&(1<<wd) != 0:
			errs = append(errs, fmt.Errorf("working day %q is listed twice", name))
		default:
			c.weekdays |= 1 << wd
		}
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if c.weekdays&(1<<wd) != 0 {
			c.perWeek++
		}
	}

	hol, herrs := parseDates("holiday", holidays)
	extra, eerrs := parseDates("extra working day", extraWorkingDays)
	errs = append(errs, herrs...)
	errs = append(errs, eerrs...)
	for _, s := range extraWorkingDays {
		d, err := ParseDate(s)
		if err != nil {
			continue
		}
		day := d.day()
		if _, isHoliday := slices.BinarySearch(hol, day); isHoliday {
			errs = append(errs, fmt.Errorf("%q is both a holiday and an extra working day", s))
		} else if c.weekdays&(1<<weekdayOf(day)) != 0 {
			errs = append(errs, fmt.Errorf("extra working day %q is a %s, already a working day: list only dates that would otherwise not be worked", s, weekdayOf(day)))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(dedupe(errs)...)
	}
	c.holidays, c.extra = hol, extra
	c.special = append(slices.Clone(hol), extra...)
	slices.Sort(c.special)
	if len(c.special) == 0 {
		c.special = nil
	}
	return c, nil
}

func parseWeekday(name string) (time.Weekday, bool) {
	for i, n := range weekdayNames {
		if n == name {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToLower(s)
	return strings.ToUpper(s[:1]) + s[1:]
}

// parseDates parses a list of dates into sorted, distinct day numbers,
// reporting unparseable and repeated ones.
func parseDates(what string, in []string) ([]int, []error) {
	var errs []error
	seen := make(map[int]bool, len(in))
	out := make([]int, 0, len(in))
	for _, s := range in {
		d, err := ParseDate(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
			continue
		}
		day := d.day()
		if seen[day] {
			errs = append(errs, fmt.Errorf("%s %q is listed twice", what, s))
			continue
		}
		seen[day] = true
		out = append(out, day)
	}
	slices.Sort(out)
	if len(out) == 0 {
		out = nil
	}
	return out, errs
}

// dedupe drops repeated messages (a date listed three times is reported once).
func dedupe(errs []error) []error {
	seen := make(map[string]bool, len(errs))
	out := errs[:0]
	for _, e := range errs {
		if !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	return out
}

func (c *Calendar) get() *Calendar {
	if c == nil || c.loc == nil {
		return defaultCalendar
	}
	return c
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.get().loc }

// String is the calendar's time zone name.
func (c *Calendar) String() string { return c.get().loc.String() }

// IsWorkingDay reports whether d is a working day: an extra working day, or
// a working weekday that is not a holiday.
func (c *Calendar) IsWorkingDay(d Date) bool { return c.get().isWorking(d.day()) }

func (c *Calendar) isWorking(day int) bool {
	if c.weekdays&(1<<weekdayOf(day)) != 0 {
		return !contains(c.holidays, day)
	}
	return contains(c.extra, day)
}

func contains(sorted []int, day int) bool {
	if len(sorted) == 0 || day < sorted[0] || day > sorted[len(sorted)-1] {
		return false
	}
	_, found := slices.BinarySearch(sorted, day)
	return found
}

// EndOfDay is 23:59:59 local time on d in the calendar's zone: the last
// whole second whose local date is d. When 23:59:59 happens twice (a clock
// change at midnight) it is the later one; when it does not happen at all
// (clocks jump over midnight) it is the last second before the jump.
func (c *Calendar) EndOfDay(d Date) time.Time { return c.get().endOfDay(d.day()) }

func (c *Calendar) endOfDay(day int) time.Time {
	d := dateOfDay(day)
	t := time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, c.loc)
	want := int64(day)*86400 + 86399
	if got := wallSeconds(t); got != want {
		// 23:59:59 is skipped by a clock change: time.Date resolved it
		// into the zone period before or after the change.
		start, end := t.ZoneBounds()
		if got > want {
			return start.Add(-time.Second)
		}
		return end.Add(-time.Second)
	}
	// When the clocks go back within the next hours, 23:59:59 may happen a
	// second time: take the later one.
	if _, end := t.ZoneBounds(); !end.IsZero() {
		_, off := t.Zone()
		if _, off2 := end.Zone(); off2 < off {
			if t2 := time.Unix(want-int64(off2), 0).In(c.loc); !t2.Before(end) && wallSeconds(t2) == want {
				return t2
			}
		}
	}
	return t
}
