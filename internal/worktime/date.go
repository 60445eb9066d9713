package worktime

import (
	"fmt"
	"time"
)

// Date is a civil date in no particular zone, such as a bank holiday.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses a date written strictly as YYYY-MM-DD (four-digit year
// from 0001, two-digit month and day) that exists in the Gregorian calendar.
// The error names the value.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, for example \"2026-12-25\"", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, for example \"2026-12-25\"", s)
	}
	if y == 0 {
		return Date{}, fmt.Errorf("%q is not a real date: there is no year 0000", s)
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("%q is not a real date: month %02d does not exist", s, m)
	}
	if n := daysIn(y, time.Month(m)); d < 1 || d > n {
		return Date{}, fmt.Errorf("%q is not a real date: %s %d has %d days", s, time.Month(m), y, n)
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// String is the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// DateOf is the civil date of the instant t in loc (t's own location when
// loc is nil).
func DateOf(t time.Time, loc *time.Location) Date {
	return dateOfDay(dayOf(t, loc))
}

// Weekday is the day of the week d falls on.
func (d Date) Weekday() time.Weekday { return weekdayOf(d.day()) }

// AddDays is the date n days after d (before, when n is negative).
func (d Date) AddDays(n int) Date { return dateOfDay(d.day() + n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	a, b := d.day(), e.day()
	switch {
	case a < b:
		return -1
	case a > b:
		return +1
	}
	return 0
}

// The package does its day arithmetic on day numbers: days since 1970-01-01
// in the proleptic Gregorian calendar (negative before). The conversions are
// Howard Hinnant's days_from_civil and civil_from_days.

// day is d's day number. Out-of-range days and months are normalised the way
// time.Date does (31 April is 1 May).
func (d Date) day() int {
	y, m := d.Year, int(d.Month)
	if m < 1 || m > 12 {
		y += floorDiv(m-1, 12)
		m = floorMod(m-1, 12) + 1
	}
	return daysFromCivil(y, m, 1) + d.Day - 1
}

func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dateOfDay(z int) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: y, Month: time.Month(m), Day: d}
}

// weekdayOf is the weekday of a day number (day 0, 1970-01-01, was a Thursday).
func weekdayOf(day int) time.Weekday { return time.Weekday(floorMod(day+4, 7)) }

// dayOf is the day number of the local date of t in loc.
func dayOf(t time.Time, loc *time.Location) int {
	if loc != nil {
		t = t.In(loc)
	}
	_, off := t.Zone()
	return int(floorDiv64(t.Unix()+int64(off), 86400))
}

// wallSeconds is t's local wall-clock time in its location, as seconds since
// 1970-01-01 00:00:00 of that wall clock.
func wallSeconds(t time.Time) int64 {
	_, off := t.Zone()
	return t.Unix() + int64(off)
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// addMonths is the same day of the month n months after d (before, when n
// is negative), clamped to the last day of the target month.
func addMonths(d Date, n int) Date {
	total := d.Year*12 + int(d.Month) - 1 + n
	y, m := floorDiv(total, 12), time.Month(floorMod(total, 12)+1)
	day := d.Day
	if last := daysIn(y, m); day > last {
		day = last
	}
	return Date{Year: y, Month: m, Day: day}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

func floorDiv64(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
