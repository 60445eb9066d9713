package worktime

import (
	"math"
	"slices"
	"time"
)

// Due is when a clock started at start with duration d runs out, in the
// calendar's zone:
//
//   - n working days: 23:59:59 local on the n-th working day after the local
//     date of start (the day the clock starts never counts, whatever the time);
//   - n days: 23:59:59 local on start's local date plus n calendar days;
//   - n weeks: as 7n days;
//   - n months: 23:59:59 local on the same day of the month n months after
//     start's local date, or on the last day of that month when it is shorter
//     (31 January + 1 month = 28 or 29 February);
//   - n hours: exactly n hours after start (absolute time; clock changes do
//     not matter).
//
// It is never before start. A zero or invalid Duration (N < 1 or an unknown
// unit) yields start.
func (c *Calendar) Due(start time.Time, d Duration) time.Time {
	c = c.get()
	if d.N < 1 || !d.Unit.valid() {
		return start.In(c.loc)
	}
	day := dayOf(start, c.loc)
	var due time.Time
	switch d.Unit {
	case Hours:
		due = start.Add(hours(d.N)).In(c.loc)
	case WorkingDays:
		due = c.endOfDay(c.addWorkingDays(day, d.N))
	case Days:
		due = c.endOfDay(day + d.N)
	case Weeks:
		due = c.endOfDay(day + 7*d.N)
	case Months:
		due = c.endOfDay(addMonths(dateOfDay(day), d.N).day())
	}
	if due.Before(start) {
		// Only in zones that skipped a whole calendar day, or on overflow.
		return start.In(c.loc)
	}
	return due
}

// before is the instant d before due, counted backwards the way Due counts
// forwards: day-based units land on 23:59:59 local of the day n (working)
// days or months before due's local date; hours are exact.
func (c *Calendar) before(due time.Time, d Duration) time.Time {
	day := dayOf(due, c.loc)
	switch d.Unit {
	case Hours:
		return due.Add(-hours(d.N)).In(c.loc)
	case WorkingDays:
		return c.endOfDay(c.addWorkingDays(day, -d.N))
	case Days:
		return c.endOfDay(day - d.N)
	case Weeks:
		return c.endOfDay(day - 7*d.N)
	case Months:
		return c.endOfDay(addMonths(dateOfDay(day), -d.N).day())
	}
	return due.In(c.loc)
}

// hours is n hours, saturating rather than overflowing.
func hours(n int) time.Duration {
	if n > math.MaxInt64/int(time.Hour) {
		return math.MaxInt64
	}
	return time.Duration(n) * time.Hour
}

// WarnAt is when to warn that a deadline running from start to due is
// approaching:
//
//   - for a Percent p: due - (due-start)*p/100, computed exactly on the
//     instants and then rounded down to the whole second;
//   - for a Duration: that duration before due, counted backwards the way
//     Due counts forwards (n working days before lands on 23:59:59 local of
//     the n-th working day before due's local date; n hours is exact);
//   - for the zero WarnBefore: due itself.
//
// The result is never before start and never after due (due when due is
// before start).
func (c *Calendar) WarnAt(start, due time.Time, w WarnBefore) time.Time {
	c = c.get()
	if !due.After(start) {
		return due.In(c.loc)
	}
	var at time.Time
	switch {
	case w.Percent > 0:
		at = percentBefore(start, due, min(w.Percent, 100)).In(c.loc)
	case w.Duration.N > 0 && w.Duration.Unit.valid():
		at = c.before(due, w.Duration)
	default:
		return due.In(c.loc)
	}
	switch {
	case at.Before(start):
		return start.In(c.loc)
	case at.After(due):
		return due.In(c.loc)
	}
	return at
}

// percentBefore is due - (due-start)*p/100 rounded down to the second,
// computed without overflow for any span (time.Duration would saturate at
// 292 years).
func percentBefore(start, due time.Time, p int) time.Time {
	secs := due.Unix() - start.Unix()
	nanos := int64(due.Nanosecond() - start.Nanosecond())
	if nanos < 0 {
		secs--
		nanos += 1e9
	}
	// span*p/100 = q seconds + r*1e7 ns + nanos*p/100 ns, where the first two
	// terms are exact integers.
	p64 := int64(p)
	q, r := secs/100*p64+secs%100*p64/100, secs%100*p64%100
	subNanos := r*1e7 + nanos*int64(p)/100
	x := int64(due.Nanosecond()) - subNanos
	return time.Unix(due.Unix()-q+floorDiv64(x, 1e9), 0)
}

// PauseExtension is due pushed back by the span of a pause from from to to,
// counted in unit:
//
//   - Hours: by exactly to - from;
//   - WorkingDays: by k working days, where k counts the working days D with
//     DateOf(from) < D <= DateOf(to) (a pause that starts and ends on the same
//     day moves nothing; Monday 10:00 to Wednesday 15:00 moves two), landing
//     on 23:59:59 local of the k-th working day after due's local date;
//   - Days, Weeks, Months: by the number of calendar days between the local
//     dates of from and to, landing on 23:59:59 local.
//
// A pause that ends before it starts, or that counts nothing, leaves due as
// it is.
func (c *Calendar) PauseExtension(due, from, to time.Time, unit Unit) time.Time {
	c = c.get()
	if !to.After(from) {
		return due.In(c.loc)
	}
	switch unit {
	case Hours:
		return due.Add(to.Sub(from)).In(c.loc)
	case WorkingDays:
		if k := c.countWorking(dayOf(from, c.loc), dayOf(to, c.loc)); k > 0 {
			return c.endOfDay(c.addWorkingDays(dayOf(due, c.loc), k))
		}
	case Days, Weeks, Months:
		if k := dayOf(to, c.loc) - dayOf(from, c.loc); k > 0 {
			return c.endOfDay(dayOf(due, c.loc) + k)
		}
	}
	return due.In(c.loc)
}

// WithinCap reports whether the instant t is not later than
// Due(start, cap).
func (c *Calendar) WithinCap(start time.Time, cap Duration, t time.Time) bool {
	return !t.After(c.Due(start, cap))
}

// WorkingDaysBetween counts the working days D with
// DateOf(from) < D <= DateOf(to) in the calendar's zone; when to's date is
// before from's it is the negative of WorkingDaysBetween(to, from).
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	c = c.get()
	a, b := dayOf(from, c.loc), dayOf(to, c.loc)
	if b < a {
		return -c.countWorking(b, a)
	}
	return c.countWorking(a, b)
}

// addWorkingDays is the day number of the n-th working day after day (before
// it, when n is negative). It steps day by day, but skips whole weeks that
// hold no holiday or extra working day, so it costs O(n/7 + holidays).
func (c *Calendar) addWorkingDays(day, n int) int {
	sp := c.special
	if n > 0 {
		i, _ := slices.BinarySearch(sp, day+1) // first special day after day
		for n > 0 {
			if n > c.perWeek && (i == len(sp) || sp[i] > day+7) {
				day += 7
				n -= c.perWeek
				continue
			}
			day++
			for i < len(sp) && sp[i] <= day {
				i++
			}
			if c.isWorking(day) {
				n--
			}
		}
		return day
	}
	i, _ := slices.BinarySearch(sp, day)
	i-- // last special day before day
	for n < 0 {
		if -n > c.perWeek && (i < 0 || sp[i] < day-7) {
			day -= 7
			n += c.perWeek
			continue
		}
		day--
		for i >= 0 && sp[i] >= day {
			i--
		}
		if c.isWorking(day) {
			n++
		}
	}
	return day
}

// countWorking counts the working days in the day numbers (a, b].
func (c *Calendar) countWorking(a, b int) int {
	if b <= a {
		return 0
	}
	weeks := (b - a) / 7
	count := weeks * c.perWeek
	for d := a + weeks*7 + 1; d <= b; d++ {
		if c.weekdays&(1<<weekdayOf(d)) != 0 {
			count++
		}
	}
	lo, _ := slices.BinarySearch(c.special, a+1)
	for _, s := range c.special[lo:] {
		if s > b {
			break
		}
		if c.weekdays&(1<<weekdayOf(s)) != 0 {
			count-- // a holiday on a working weekday
		} else if contains(c.extra, s) {
			count++
		}
	}
	return count
}

// referenceStart is the instant LongerOrEqual measures durations from.
var referenceStart = time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC) // a Monday

// LongerOrEqual reports whether a is at least as long as b, for validating a
// Policy (extendUpTo must not be shorter than respondWithin). Durations in
// different units have no fixed ratio, so both are measured from one
// reference start, Monday 2026-01-05 09:00 UTC, in a UTC Monday-to-Friday
// calendar with no holidays: a is at least as long as b when
// Due(ref, a) >= Due(ref, b). So "10 working days" equals "2 weeks" and
// "14 days", "1 day" equals "1 working day" and is longer than "24 hours",
// and "1 month" (5 February) is longer than "20 working days" (2 February).
// Invalid durations count as zero length.
func LongerOrEqual(a, b Duration) bool {
	return !defaultCalendar.Due(referenceStart, a).Before(defaultCalendar.Due(referenceStart, b))
}
