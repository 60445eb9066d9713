// Package worktime computes every deadline Redress sets: it parses the
// durations a Policy writes ("10 working days", "1 month", "48 hours",
// warnBefore's "20%"), holds a Policy's calendar (time zone, working
// weekdays, holidays, extra working days) and counts durations forwards
// (Due), backwards (WarnAt) and across pauses (PauseExtension).
//
// Day-based units (working days, days, weeks, months) end at 23:59:59 local
// time, in the calendar's zone, of the target day; the day the clock starts
// never counts as one of the n days. Hours are exact instants. All local
// times are built with time.Date in the calendar's *time.Location, so clock
// changes are handled: "2 days" always ends at 23:59:59 on the wall clock,
// while "48 hours" is always 48 real hours.
//
// Internally dates are day numbers (days since 1970-01-01), holidays are
// sorted slices of them, and counting working days allocates nothing.
//
// The rules, with worked examples, are in docs/durations.md.
package worktime
