package worktime

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

type dueCase struct {
	cal   string // a calendar from calendarSpecs
	start string // local wall clock in the calendar's zone (see local)
	dur   string
	want  string // local wall clock in the calendar's zone
}

// dueCases are hand-checked: every expected value was worked out on a
// printed calendar, and the weekday written in front of each date is
// checked by the test, so a slip in a date shows up as a failure.
var dueCases = []dueCase{
	// Working days from each day of a plain Monday-Friday week (UTC).
	{"utc", "Mon 2026-01-05 10:00", "1 working day", "Tue 2026-01-06 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "2 working days", "Wed 2026-01-07 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "5 working days", "Mon 2026-01-12 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "6 working days", "Tue 2026-01-13 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "10 working days", "Mon 2026-01-19 23:59:59"},
	{"utc", "Tue 2026-01-06 10:00", "1 working day", "Wed 2026-01-07 23:59:59"},
	{"utc", "Tue 2026-01-06 10:00", "2 working days", "Thu 2026-01-08 23:59:59"},
	{"utc", "Tue 2026-01-06 10:00", "5 working days", "Tue 2026-01-13 23:59:59"},
	{"utc", "Tue 2026-01-06 10:00", "6 working days", "Wed 2026-01-14 23:59:59"},
	{"utc", "Tue 2026-01-06 10:00", "10 working days", "Tue 2026-01-20 23:59:59"},
	{"utc", "Wed 2026-01-07 10:00", "1 working day", "Thu 2026-01-08 23:59:59"},
	{"utc", "Wed 2026-01-07 10:00", "2 working days", "Fri 2026-01-09 23:59:59"},
	{"utc", "Wed 2026-01-07 10:00", "5 working days", "Wed 2026-01-14 23:59:59"},
	{"utc", "Wed 2026-01-07 10:00", "6 working days", "Thu 2026-01-15 23:59:59"},
	{"utc", "Wed 2026-01-07 10:00", "10 working days", "Wed 2026-01-21 23:59:59"},
	{"utc", "Thu 2026-01-08 10:00", "1 working day", "Fri 2026-01-09 23:59:59"},
	{"utc", "Thu 2026-01-08 10:00", "2 working days", "Mon 2026-01-12 23:59:59"},
	{"utc", "Thu 2026-01-08 10:00", "5 working days", "Thu 2026-01-15 23:59:59"},
	{"utc", "Thu 2026-01-08 10:00", "6 working days", "Fri 2026-01-16 23:59:59"},
	{"utc", "Thu 2026-01-08 10:00", "10 working days", "Thu 2026-01-22 23:59:59"},
	{"utc", "Fri 2026-01-09 10:00", "1 working day", "Mon 2026-01-12 23:59:59"},
	{"utc", "Fri 2026-01-09 10:00", "2 working days", "Tue 2026-01-13 23:59:59"},
	{"utc", "Fri 2026-01-09 10:00", "5 working days", "Fri 2026-01-16 23:59:59"},
	{"utc", "Fri 2026-01-09 10:00", "6 working days", "Mon 2026-01-19 23:59:59"},
	{"utc", "Fri 2026-01-09 10:00", "10 working days", "Fri 2026-01-23 23:59:59"},
	{"utc", "Sat 2026-01-10 10:00", "1 working day", "Mon 2026-01-12 23:59:59"},
	{"utc", "Sat 2026-01-10 10:00", "2 working days", "Tue 2026-01-13 23:59:59"},
	{"utc", "Sat 2026-01-10 10:00", "5 working days", "Fri 2026-01-16 23:59:59"},
	{"utc", "Sat 2026-01-10 10:00", "6 working days", "Mon 2026-01-19 23:59:59"},
	{"utc", "Sat 2026-01-10 10:00", "10 working days", "Fri 2026-01-23 23:59:59"},
	{"utc", "Sun 2026-01-11 10:00", "1 working day", "Mon 2026-01-12 23:59:59"},
	{"utc", "Sun 2026-01-11 10:00", "2 working days", "Tue 2026-01-13 23:59:59"},
	{"utc", "Sun 2026-01-11 10:00", "5 working days", "Fri 2026-01-16 23:59:59"},
	{"utc", "Sun 2026-01-11 10:00", "6 working days", "Mon 2026-01-19 23:59:59"},
	{"utc", "Sun 2026-01-11 10:00", "10 working days", "Fri 2026-01-23 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "20 working days", "Mon 2026-02-02 23:59:59"},

	// The examples of the API contract: Friday 16:30 or Saturday, 2 working days.
	{"uk", "Fri 2026-01-09 16:30", "2 working days", "Tue 2026-01-13 23:59:59"},
	{"uk", "Sat 2026-01-10 10:00", "2 working days", "Tue 2026-01-13 23:59:59"},
	{"uk", "Sun 2026-01-11 23:59:59", "2 working days", "Tue 2026-01-13 23:59:59"},
	{"uk", "Mon 2026-01-12 09:00", "2 working days", "Wed 2026-01-14 23:59:59"},
	{"uk", "Mon 2026-01-12 00:00:00", "2 working days", "Wed 2026-01-14 23:59:59"},
	{"uk", "Mon 2026-01-12 23:59:59", "2 working days", "Wed 2026-01-14 23:59:59"},
	{"uk", "Tue 2026-01-13 00:00:01", "1 working day", "Wed 2026-01-14 23:59:59"},
	// Received on the day the clock would end: the day of receipt never counts.
	{"uk", "Fri 2026-01-09 23:59:59", "1 working day", "Mon 2026-01-12 23:59:59"},
	{"uk", "Fri 2026-01-09 00:00:00", "1 working day", "Mon 2026-01-12 23:59:59"},

	// Bank holidays, England and Wales.
	{"uk", "Fri 2026-05-01 16:30", "2 working days", "Wed 2026-05-06 23:59:59"}, // Monday 4 May is a bank holiday
	{"uk", "Sat 2026-05-02 11:00", "2 working days", "Wed 2026-05-06 23:59:59"},
	{"uk", "Mon 2026-05-04 10:00", "1 working day", "Tue 2026-05-05 23:59:59"}, // received on the holiday
	{"uk", "Mon 2026-05-04 10:00", "2 working days", "Wed 2026-05-06 23:59:59"},
	{"uk", "Fri 2026-05-22 16:30", "1 working day", "Tue 2026-05-26 23:59:59"},  // spring bank holiday 25 May
	{"uk", "Fri 2026-08-28 16:30", "5 working days", "Mon 2026-09-07 23:59:59"}, // summer bank holiday 31 August
	{"uk", "Wed 2026-04-01 12:00", "1 working day", "Thu 2026-04-02 23:59:59"},
	{"uk", "Thu 2026-04-02 12:00", "1 working day", "Tue 2026-04-07 23:59:59"}, // Good Friday, Easter Monday
	{"uk", "Thu 2026-04-02 12:00", "2 working days", "Wed 2026-04-08 23:59:59"},
	{"uk", "Wed 2026-04-01 12:00", "5 working days", "Fri 2026-04-10 23:59:59"},
	{"uk", "Fri 2026-04-03 12:00", "1 working day", "Tue 2026-04-07 23:59:59"},
	{"uk", "Sun 2026-04-05 12:00", "1 working day", "Tue 2026-04-07 23:59:59"},
	{"uk", "Mon 2026-04-06 23:59:59", "1 working day", "Tue 2026-04-07 23:59:59"},
	{"uk", "Thu 2026-04-02 12:00", "10 working days", "Mon 2026-04-20 23:59:59"},
	{"uk", "Thu 2026-01-01 12:00", "1 working day", "Fri 2026-01-02 23:59:59"}, // New Year's Day
	{"uk", "Wed 2025-12-31 17:00", "1 working day", "Fri 2026-01-02 23:59:59"},
	{"uk", "Wed 2025-12-24 17:00", "1 working day", "Mon 2025-12-29 23:59:59"}, // 25 and 26 December 2025
	// Christmas 2026: Friday 25 and Monday 28 (Boxing Day substitute) in a row with the weekend.
	{"uk", "Thu 2026-12-24 15:00", "1 working day", "Tue 2026-12-29 23:59:59"},
	{"uk", "Thu 2026-12-24 15:00", "2 working days", "Wed 2026-12-30 23:59:59"},
	{"uk", "Thu 2026-12-24 15:00", "3 working days", "Thu 2026-12-31 23:59:59"},
	{"uk", "Thu 2026-12-24 15:00", "4 working days", "Mon 2027-01-04 23:59:59"}, // 1 January 2027 is a Friday holiday
	{"uk", "Wed 2026-12-23 10:00", "5 working days", "Mon 2027-01-04 23:59:59"},
	{"uk", "Fri 2026-12-25 12:00", "1 working day", "Tue 2026-12-29 23:59:59"},
	{"uk", "Sat 2026-12-26 12:00", "1 working day", "Tue 2026-12-29 23:59:59"},
	{"uk", "Sun 2026-12-27 12:00", "1 working day", "Tue 2026-12-29 23:59:59"},
	{"uk", "Mon 2026-12-28 12:00", "1 working day", "Tue 2026-12-29 23:59:59"},
	{"uk", "Tue 2026-12-29 09:00", "1 working day", "Wed 2026-12-30 23:59:59"},
	{"uk", "Thu 2026-12-31 17:00", "1 working day", "Mon 2027-01-04 23:59:59"},
	{"uk", "Fri 2026-12-18 16:30", "10 working days", "Wed 2027-01-06 23:59:59"},
	{"uk", "Fri 2026-12-18 16:30", "5 working days", "Tue 2026-12-29 23:59:59"},
	// Christmas 2027: Saturday and Sunday, substituted on Monday 27 and Tuesday 28.
	{"uk", "Fri 2027-12-24 12:00", "1 working day", "Wed 2027-12-29 23:59:59"},
	{"uk", "Thu 2027-12-23 12:00", "2 working days", "Wed 2027-12-29 23:59:59"},
	// 60 working days across New Year: November 2026 to January 2027.
	{"uk", "Mon 2026-11-02 09:00", "60 working days", "Thu 2027-01-28 23:59:59"},
	{"uk", "Fri 2026-12-04 16:30", "60 working days", "Wed 2027-03-03 23:59:59"},
	{"us", "Mon 2026-11-02 09:00", "60 working days", "Mon 2027-02-01 23:59:59 -0500"}, // Veterans Day, Thanksgiving, Christmas, New Year, MLK Day
	{"utc", "Mon 2026-11-02 09:00", "60 working days", "Mon 2027-01-25 23:59:59"},      // the same without holidays

	// Holidays on weekends change nothing.
	{"weekendhol", "Fri 2026-01-09 16:30", "2 working days", "Tue 2026-01-13 23:59:59"},
	{"weekendhol", "Sat 2026-01-10 16:30", "1 working day", "Mon 2026-01-12 23:59:59"},
	{"weekendhol", "Thu 2026-12-24 16:30", "1 working day", "Fri 2026-12-25 23:59:59"},
	{"weekendhol", "Fri 2026-12-25 16:30", "1 working day", "Mon 2026-12-28 23:59:59"},

	// Other working weeks.
	{"ksa", "Thu 2026-01-08 16:30", "1 working day", "Sun 2026-01-11 23:59:59"},
	{"ksa", "Fri 2026-01-09 10:00", "2 working days", "Mon 2026-01-12 23:59:59"},
	{"ksa", "Sat 2026-01-10 10:00", "1 working day", "Sun 2026-01-11 23:59:59"},
	{"ksa", "Sun 2026-01-11 09:00", "5 working days", "Sun 2026-01-18 23:59:59"},
	{"ksa", "Wed 2026-01-07 09:00", "2 working days", "Sun 2026-01-11 23:59:59"},
	{"sixday", "Fri 2026-01-09 16:30", "2 working days", "Mon 2026-01-12 23:59:59"},
	{"sixday", "Sat 2026-01-10 10:00", "1 working day", "Mon 2026-01-12 23:59:59"},
	{"sixday", "Fri 2026-01-09 16:30", "1 working day", "Sat 2026-01-10 23:59:59"},
	{"sixday", "Mon 2026-01-05 09:00", "12 working days", "Mon 2026-01-19 23:59:59"},

	// China: consecutive holidays and make-up working days (plausible 2026 dates).
	{"cn", "Fri 2026-09-25 16:30", "1 working day", "Sun 2026-09-27 23:59:59"}, // Sunday 27 September is worked
	{"cn", "Fri 2026-09-25 16:30", "2 working days", "Mon 2026-09-28 23:59:59"},
	{"cn", "Sat 2026-09-26 10:00", "1 working day", "Sun 2026-09-27 23:59:59"},
	{"cn", "Sun 2026-09-27 09:00", "1 working day", "Mon 2026-09-28 23:59:59"}, // received on a make-up day
	{"cn", "Wed 2026-09-30 10:00", "1 working day", "Thu 2026-10-08 23:59:59"}, // Golden Week 1-7 October
	{"cn", "Wed 2026-09-30 10:00", "2 working days", "Fri 2026-10-09 23:59:59"},
	{"cn", "Wed 2026-09-30 10:00", "3 working days", "Sat 2026-10-10 23:59:59"}, // Saturday 10 October is worked
	{"cn", "Wed 2026-09-30 10:00", "4 working days", "Mon 2026-10-12 23:59:59"},
	{"cn", "Thu 2026-10-01 10:00", "1 working day", "Thu 2026-10-08 23:59:59"},
	{"cn", "Sat 2026-10-03 10:00", "1 working day", "Thu 2026-10-08 23:59:59"},
	{"cn", "Fri 2026-10-09 16:30", "1 working day", "Sat 2026-10-10 23:59:59"},
	{"cn", "Fri 2026-10-09 16:30", "2 working days", "Mon 2026-10-12 23:59:59"},
	{"cn", "Sat 2026-10-10 23:59:59", "1 working day", "Mon 2026-10-12 23:59:59"},
	{"cn", "Mon 2026-09-21 09:00", "10 working days", "Fri 2026-10-09 23:59:59"},
	{"cn", "Mon 2026-09-21 09:00", "11 working days", "Sat 2026-10-10 23:59:59"},
	{"cn", "Mon 2026-09-21 09:00", "15 working days", "Thu 2026-10-15 23:59:59"},
	{"cn", "Fri 2026-02-13 16:30", "1 working day", "Sat 2026-02-14 23:59:59"},  // Spring Festival make-up Saturday
	{"cn", "Fri 2026-02-13 16:30", "2 working days", "Tue 2026-02-24 23:59:59"}, // 15-23 February off
	{"cn", "Sat 2026-02-14 10:00", "1 working day", "Tue 2026-02-24 23:59:59"},
	{"cn", "Thu 2026-02-26 10:00", "2 working days", "Sat 2026-02-28 23:59:59"},
	{"cn", "Wed 2025-12-31 10:00", "1 working day", "Sun 2026-01-04 23:59:59"}, // New Year make-up Sunday
	{"cn", "Wed 2025-12-31 10:00", "2 working days", "Mon 2026-01-05 23:59:59"},
	{"cn", "Wed 2026-09-30 10:00", "10 days", "Sat 2026-10-10 23:59:59"}, // calendar days ignore holidays
	{"cn", "Fri 2026-10-09 16:30", "48 hours", "Sun 2026-10-11 16:30:00"},
	{"cn", "Wed 2026-09-30 10:00", "1 week", "Wed 2026-10-07 23:59:59"},

	// Calendar days and weeks.
	{"uk", "Fri 2026-01-09 16:30", "28 days", "Fri 2026-02-06 23:59:59"},
	{"uk", "Sat 2026-01-10 10:00", "1 day", "Sun 2026-01-11 23:59:59"},
	{"uk", "Mon 2026-01-12 23:59:59", "2 days", "Wed 2026-01-14 23:59:59"},
	{"uk", "Mon 2026-01-12 00:00:00", "1 day", "Tue 2026-01-13 23:59:59"},
	{"uk", "Thu 2026-12-24 15:00", "1 day", "Fri 2026-12-25 23:59:59"},
	{"uk", "Thu 2026-12-24 15:00", "14 days", "Thu 2027-01-07 23:59:59"},
	{"uk", "Thu 2026-01-01 10:00", "365 days", "Fri 2027-01-01 23:59:59"},
	{"utc", "Mon 2027-03-01 10:00", "366 days", "Wed 2028-03-01 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "1 day", "Tue 2026-01-06 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "7 days", "Mon 2026-01-12 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "28 days", "Mon 2026-02-02 23:59:59"},
	{"utc", "Sat 2026-01-10 10:00", "7 days", "Sat 2026-01-17 23:59:59"},
	{"utc", "Sat 2026-01-10 10:00", "28 days", "Sat 2026-02-07 23:59:59"},
	{"uk", "Wed 2026-01-14 11:00", "1 week", "Wed 2026-01-21 23:59:59"},
	{"uk", "Fri 2026-12-18 11:00", "4 weeks", "Fri 2027-01-15 23:59:59"},
	{"uk", "Sat 2026-01-10 11:00", "2 weeks", "Sat 2026-01-24 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "52 weeks", "Mon 2027-01-04 23:59:59"},

	// Months, clamped to the end of shorter months.
	{"utc", "Mon 2026-01-12 10:00", "1 month", "Thu 2026-02-12 23:59:59"},
	{"utc", "Sat 2026-01-31 10:00", "1 month", "Sat 2026-02-28 23:59:59"},
	{"utc", "Fri 2026-01-30 10:00", "1 month", "Sat 2026-02-28 23:59:59"},
	{"utc", "Thu 2026-01-29 10:00", "1 month", "Sat 2026-02-28 23:59:59"},
	{"utc", "Wed 2026-01-28 10:00", "1 month", "Sat 2026-02-28 23:59:59"},
	{"utc", "Tue 2026-01-27 10:00", "1 month", "Fri 2026-02-27 23:59:59"},
	{"utc", "Sat 2026-01-31 10:00", "2 months", "Tue 2026-03-31 23:59:59"},
	{"utc", "Tue 2026-03-31 10:00", "1 month", "Thu 2026-04-30 23:59:59"},
	{"utc", "Thu 2026-04-30 10:00", "1 month", "Sat 2026-05-30 23:59:59"},
	{"utc", "Sun 2026-05-31 10:00", "1 month", "Tue 2026-06-30 23:59:59"},
	{"utc", "Mon 2026-08-31 10:00", "1 month", "Wed 2026-09-30 23:59:59"},
	{"utc", "Sat 2026-10-31 10:00", "1 month", "Mon 2026-11-30 23:59:59"},
	{"utc", "Mon 2026-11-30 10:00", "1 month", "Wed 2026-12-30 23:59:59"},
	{"utc", "Thu 2026-12-31 10:00", "1 month", "Sun 2027-01-31 23:59:59"},
	{"utc", "Thu 2026-12-31 10:00", "2 months", "Sun 2027-02-28 23:59:59"},
	{"utc", "Mon 2026-11-30 10:00", "3 months", "Sun 2027-02-28 23:59:59"},
	{"utc", "Mon 2026-08-31 10:00", "6 months", "Sun 2027-02-28 23:59:59"},
	{"utc", "Sat 2026-01-31 10:00", "13 months", "Sun 2027-02-28 23:59:59"},
	{"utc", "Sat 2026-02-28 10:00", "1 month", "Sat 2026-03-28 23:59:59"},
	{"utc", "Sat 2026-02-28 10:00", "12 months", "Sun 2027-02-28 23:59:59"},
	{"utc", "Tue 2026-12-15 10:00", "1 month", "Fri 2027-01-15 23:59:59"},
	{"uk", "Fri 2026-12-25 10:00", "1 month", "Mon 2027-01-25 23:59:59"}, // months ignore holidays
	{"uk", "Sun 2026-03-29 10:00", "12 months", "Mon 2027-03-29 23:59:59 +0100"},

	// Leap years.
	{"utc", "Mon 2028-01-31 10:00", "1 month", "Tue 2028-02-29 23:59:59"},
	{"utc", "Mon 2028-01-31 23:59:59", "1 month", "Tue 2028-02-29 23:59:59"},
	{"utc", "Sun 2028-01-30 10:00", "1 month", "Tue 2028-02-29 23:59:59"},
	{"utc", "Sat 2028-01-29 10:00", "1 month", "Tue 2028-02-29 23:59:59"},
	{"utc", "Fri 2028-01-28 10:00", "1 month", "Mon 2028-02-28 23:59:59"},
	{"utc", "Sun 2027-01-31 10:00", "1 month", "Sun 2027-02-28 23:59:59"},
	{"utc", "Sun 2027-01-31 23:59:59", "1 month", "Sun 2027-02-28 23:59:59"},
	{"utc", "Tue 2028-02-29 10:00", "1 month", "Wed 2028-03-29 23:59:59"},
	{"utc", "Tue 2028-02-29 10:00", "12 months", "Wed 2029-02-28 23:59:59"},
	{"utc", "Tue 2028-02-29 10:00", "48 months", "Sun 2032-02-29 23:59:59"},
	{"utc", "Wed 2029-01-31 10:00", "1 month", "Wed 2029-02-28 23:59:59"},
	{"utc", "Mon 2028-02-28 10:00", "1 day", "Tue 2028-02-29 23:59:59"},
	{"utc", "Mon 2028-02-28 10:00", "2 days", "Wed 2028-03-01 23:59:59"},
	{"utc", "Mon 2028-02-28 10:00", "1 working day", "Tue 2028-02-29 23:59:59"},
	{"utc", "Tue 2028-02-29 10:00", "1 working day", "Wed 2028-03-01 23:59:59"},
	{"utc", "Tue 2028-02-22 10:00", "1 week", "Tue 2028-02-29 23:59:59"},
	{"utc", "Tue 2028-02-29 10:00", "1 week", "Tue 2028-03-07 23:59:59"},
	{"utc", "Sat 2028-01-01 10:00", "365 days", "Sun 2028-12-31 23:59:59"},
	{"utc", "Sat 2028-01-01 10:00", "366 days", "Mon 2029-01-01 23:59:59"},
	{"utc", "Mon 2028-02-28 12:00", "24 hours", "Tue 2028-02-29 12:00:00"},
	{"utc", "2100-01-31 10:00", "1 month", "2100-02-28 23:59:59"}, // 2100 is not a leap year
	{"utc", "2100-02-28 10:00", "1 day", "2100-03-01 23:59:59"},
	{"utc", "2000-02-28 10:00", "1 day", "2000-02-29 23:59:59"}, // 2000 is

	// Hours are exact instants.
	{"uk", "Fri 2026-01-09 16:30", "48 hours", "Sun 2026-01-11 16:30:00"},
	{"utc", "Mon 2026-01-05 23:30", "1 hour", "Tue 2026-01-06 00:30:00"},
	{"utc", "Mon 2026-01-12 23:59:59", "24 hours", "Tue 2026-01-13 23:59:59"},
	{"utc", "Thu 2026-01-01 00:00", "9999 hours", "Sun 2027-02-21 15:00:00"},
	{"uk", "Thu 2026-12-24 15:00", "72 hours", "Sun 2026-12-27 15:00:00"}, // hours ignore holidays
	{"utc", "Mon 2026-01-05 09:00:30", "1 hour", "Mon 2026-01-05 10:00:30"},

	// Europe/London, clocks forward on Sunday 29 March 2026 at 01:00 GMT.
	{"uk", "Fri 2026-03-27 16:30 +0000", "48 hours", "Sun 2026-03-29 17:30:00 +0100"},
	{"uk", "Sat 2026-03-28 12:00 +0000", "48 hours", "Mon 2026-03-30 13:00:00 +0100"},
	{"uk", "Sat 2026-03-28 12:00 +0000", "2 days", "Mon 2026-03-30 23:59:59 +0100"},
	{"uk", "Sat 2026-03-28 12:00 +0000", "24 hours", "Sun 2026-03-29 13:00:00 +0100"},
	{"uk", "Sat 2026-03-28 12:00 +0000", "1 day", "Sun 2026-03-29 23:59:59 +0100"},
	{"uk", "Sat 2026-03-28 23:59:59 +0000", "1 day", "Sun 2026-03-29 23:59:59 +0100"},
	{"uk", "Sun 2026-03-29 00:30 +0000", "1 hour", "Sun 2026-03-29 02:30:00 +0100"},
	{"uk", "Sun 2026-03-29 00:59:59 +0000", "1 hour", "Sun 2026-03-29 02:59:59 +0100"},
	{"uk", "Fri 2026-03-27 16:30 +0000", "2 working days", "Tue 2026-03-31 23:59:59 +0100"},
	{"uk", "Sun 2026-03-22 10:00 +0000", "1 week", "Sun 2026-03-29 23:59:59 +0100"},
	{"uk", "Sun 2026-03-29 03:00 +0100", "1 working day", "Mon 2026-03-30 23:59:59 +0100"},
	{"uk", "Sun 2026-03-01 10:00", "1 month", "Wed 2026-04-01 23:59:59 +0100"},
	{"uk", "Sat 2026-02-28 10:00", "1 month", "Sat 2026-03-28 23:59:59 +0000"},
	{"uk", "Sun 2026-03-22 10:00 +0000", "2 weeks", "Sun 2026-04-05 23:59:59 +0100"},
	// Europe/London, clocks back on Sunday 25 October 2026 at 02:00 BST.
	{"uk", "Fri 2026-10-23 16:30 +0100", "48 hours", "Sun 2026-10-25 15:30:00 +0000"},
	{"uk", "Sat 2026-10-24 12:00 +0100", "48 hours", "Mon 2026-10-26 11:00:00 +0000"},
	{"uk", "Sat 2026-10-24 12:00 +0100", "2 days", "Mon 2026-10-26 23:59:59 +0000"},
	{"uk", "Sat 2026-10-24 12:00 +0100", "1 day", "Sun 2026-10-25 23:59:59 +0000"},
	{"uk", "Sun 2026-10-25 00:30 +0100", "24 hours", "Sun 2026-10-25 23:30:00 +0000"}, // same local day
	{"uk", "Sun 2026-10-25 01:30 +0100", "1 hour", "Sun 2026-10-25 01:30:00 +0000"},   // same wall time
	{"uk", "Sun 2026-10-25 00:30 +0100", "2 hours", "Sun 2026-10-25 01:30:00 +0000"},
	{"uk", "Sun 2026-10-25 01:30 +0000", "1 day", "Mon 2026-10-26 23:59:59 +0000"},
	{"uk", "Sun 2026-10-25 01:30 +0100", "1 day", "Mon 2026-10-26 23:59:59 +0000"},
	{"uk", "Fri 2026-10-23 10:00 +0100", "1 working day", "Mon 2026-10-26 23:59:59 +0000"},
	{"uk", "Sat 2026-10-24 23:59:59 +0100", "1 day", "Sun 2026-10-25 23:59:59 +0000"},
	{"uk", "Fri 2026-10-16 10:00 +0100", "2 weeks", "Fri 2026-10-30 23:59:59 +0000"},
	{"uk", "Fri 2026-09-25 10:00 +0100", "1 month", "Sun 2026-10-25 23:59:59 +0000"},

	// America/New_York, clocks forward on Sunday 8 March 2026 at 02:00 EST.
	{"ny", "Fri 2026-03-06 12:00 -0500", "48 hours", "Sun 2026-03-08 13:00:00 -0400"},
	{"ny", "Fri 2026-03-06 12:00 -0500", "2 days", "Sun 2026-03-08 23:59:59 -0400"},
	{"ny", "Sat 2026-03-07 12:00 -0500", "24 hours", "Sun 2026-03-08 13:00:00 -0400"},
	{"ny", "Sat 2026-03-07 12:00 -0500", "1 day", "Sun 2026-03-08 23:59:59 -0400"},
	{"ny", "Sun 2026-03-08 01:30 -0500", "1 hour", "Sun 2026-03-08 03:30:00 -0400"},
	{"ny", "Fri 2026-03-06 17:00 -0500", "1 working day", "Mon 2026-03-09 23:59:59 -0400"},
	{"ny", "Sat 2026-03-07 23:59:59 -0500", "1 day", "Sun 2026-03-08 23:59:59 -0400"},
	{"ny", "Sun 2026-02-08 10:00 -0500", "1 month", "Sun 2026-03-08 23:59:59 -0400"},
	// America/New_York, clocks back on Sunday 1 November 2026 at 02:00 EDT.
	{"ny", "Fri 2026-10-30 12:00 -0400", "48 hours", "Sun 2026-11-01 11:00:00 -0500"},
	{"ny", "Fri 2026-10-30 12:00 -0400", "2 days", "Sun 2026-11-01 23:59:59 -0500"},
	{"ny", "Sat 2026-10-31 12:00 -0400", "24 hours", "Sun 2026-11-01 11:00:00 -0500"},
	{"ny", "Sun 2026-11-01 01:30 -0400", "1 hour", "Sun 2026-11-01 01:30:00 -0500"},
	{"ny", "Sun 2026-11-01 00:00 -0400", "3 hours", "Sun 2026-11-01 02:00:00 -0500"},
	{"ny", "Fri 2026-10-30 12:00 -0400", "1 working day", "Mon 2026-11-02 23:59:59 -0500"},
	{"ny", "Sun 2026-11-01 01:30 -0500", "1 working day", "Mon 2026-11-02 23:59:59 -0500"},
	{"ny", "Sun 2026-10-25 10:00 -0400", "1 week", "Sun 2026-11-01 23:59:59 -0500"},

	// US federal holidays.
	{"us", "Thu 2026-07-02 16:00", "1 working day", "Mon 2026-07-06 23:59:59"},  // Independence Day observed Friday 3 July
	{"us", "Wed 2026-11-25 10:00", "2 working days", "Mon 2026-11-30 23:59:59"}, // Thanksgiving
	{"us", "Fri 2026-01-16 16:30", "2 working days", "Wed 2026-01-21 23:59:59"}, // Martin Luther King Jr. Day
	{"us", "Tue 2026-11-10 16:30", "1 working day", "Thu 2026-11-12 23:59:59"},  // Veterans Day, a Wednesday
	{"us", "Thu 2026-12-24 16:30", "1 working day", "Mon 2026-12-28 23:59:59"},
}

func TestDueTable(t *testing.T) {
	for _, tc := range dueCases {
		t.Run(tc.cal+"/"+tc.start+"/"+tc.dur, func(t *testing.T) {
			c := cal(t, tc.cal)
			start := local(t, tc.start, c.Location())
			d := mustDuration(t, tc.dur)
			want := local(t, tc.want, c.Location())
			got := c.Due(start, d)
			if !got.Equal(want) {
				t.Fatalf("Due(%s, %q) = %s, want %s", show(start, c.Location()), tc.dur, show(got, c.Location()), show(want, c.Location()))
			}
			if got.Location() != c.Location() {
				t.Errorf("Due returned a time in %s, want %s", got.Location(), c.Location())
			}
			if !c.WithinCap(start, d, got) || c.WithinCap(start, d, got.Add(time.Second)) {
				t.Errorf("WithinCap disagrees with Due at %s", show(got, c.Location()))
			}
		})
	}
}

// generatedDueCases builds a table by running the naive oracle over every
// start day in windows around holidays, make-up days, clock changes and leap
// days, at four times of day, for a spread of durations.
func generatedDueCases() []struct {
	cal   string
	start time.Time
	d     Duration
	want  time.Time
} {
	windows := []struct {
		cal        string
		from, to   string
		hoursToo   bool
		longerToos bool
	}{
		{"uk", "2026-12-14", "2027-01-10", false, true},
		{"uk", "2026-03-20", "2026-04-12", true, false},
		{"uk", "2026-10-18", "2026-11-01", true, false},
		{"cn", "2026-02-08", "2026-03-03", false, true},
		{"cn", "2026-09-20", "2026-10-15", false, true},
		{"us", "2026-11-20", "2026-12-05", false, true},
		{"ny", "2026-03-01", "2026-03-12", true, false},
		{"ny", "2026-10-26", "2026-11-05", true, false},
		{"ksa", "2026-01-01", "2026-01-20", false, false},
		{"sixday", "2026-01-01", "2026-01-14", false, false},
		{"utc", "2028-01-25", "2028-03-05", false, true},
	}
	clocks := []struct{ h, m, s int }{{0, 0, 0}, {9, 0, 0}, {16, 30, 0}, {23, 59, 59}}
	durations := []Duration{
		{1, WorkingDays}, {2, WorkingDays}, {3, WorkingDays}, {5, WorkingDays}, {10, WorkingDays},
		{1, Days}, {2, Days}, {28, Days}, {1, Weeks}, {2, Weeks}, {1, Months}, {3, Months},
	}
	longer := []Duration{{20, WorkingDays}, {60, WorkingDays}, {12, Months}, {9, Weeks}}
	hourDurations := []Duration{{1, Hours}, {24, Hours}, {48, Hours}}
	type row = struct {
		cal   string
		start time.Time
		d     Duration
		want  time.Time
	}
	var rows []row
	for _, w := range windows {
		o := newOracle(w.cal)
		from, _ := time.ParseInLocation("2006-01-02", w.from, o.loc)
		to, _ := time.ParseInLocation("2006-01-02", w.to, o.loc)
		ds := durations
		if w.hoursToo {
			ds = append(ds[:len(ds):len(ds)], hourDurations...)
		}
		if w.longerToos {
			ds = append(ds[:len(ds):len(ds)], longer...)
		}
		for day := from; !day.After(to); day = day.AddDate(0, 0, 1) {
			for _, cl := range clocks {
				start := time.Date(day.Year(), day.Month(), day.Day(), cl.h, cl.m, cl.s, 0, o.loc)
				for _, d := range ds {
					rows = append(rows, row{w.cal, start, d, o.due(start, d)})
				}
			}
		}
	}
	return rows
}

func TestDueGenerated(t *testing.T) {
	rows := generatedDueCases()
	if len(rows) < 1000 {
		t.Fatalf("only %d generated cases", len(rows))
	}
	for _, r := range rows {
		c := cal(t, r.cal)
		if got := c.Due(r.start, r.d); !got.Equal(r.want) {
			t.Errorf("%s: Due(%s, %q) = %s, want %s", r.cal, show(r.start, c.Location()), r.d, show(got, c.Location()), show(r.want, c.Location()))
		}
	}
}

// TestDueAgainstOracle compares Due with the oracle at random instants and
// counts, in every test calendar, and WorkingDaysBetween with its counter.
func TestDueAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lo := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	for name := range calendarSpecs {
		c, o := cal(t, name), newOracle(name)
		for range 300 {
			start := time.Unix(lo+rng.Int64N(hi-lo), 0)
			d := Duration{N: 1 + rng.IntN(80), Unit: Unit(1 + rng.IntN(5))}
			if got, want := c.Due(start, d), o.due(start, d); !got.Equal(want) {
				t.Errorf("%s: Due(%s, %q) = %s, oracle says %s", name, show(start, c.Location()), d, show(got, c.Location()), show(want, c.Location()))
			}
			end := start.Add(time.Duration(rng.Int64N(int64(200*24*time.Hour))) - 100*24*time.Hour)
			if got, want := c.WorkingDaysBetween(start, end), o.between(start, end); got != want {
				t.Errorf("%s: WorkingDaysBetween(%s, %s) = %d, oracle says %d", name, show(start, c.Location()), show(end, c.Location()), got, want)
			}
		}
	}
}

// TestDueLarge checks the week-skipping of addWorkingDays against plain
// day-by-day stepping for long spans, forwards and backwards.
func TestDueLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name := range calendarSpecs {
		c := cal(t, name)
		for range 40 {
			day := daysFromCivil(2025, 6, 1) + rng.IntN(800)
			n := 1 + rng.IntN(700)
			if rng.IntN(2) == 0 {
				n = -n
			}
			want, left := day, n
			for left != 0 {
				if left > 0 {
					want++
					if c.isWorking(want) {
						left--
					}
				} else {
					want--
					if c.isWorking(want) {
						left++
					}
				}
			}
			if got := c.addWorkingDays(day, n); got != want {
				t.Errorf("%s: addWorkingDays(%s, %d) = %s, want %s", name, dateOfDay(day), n, dateOfDay(got), dateOfDay(want))
			}
			if n > 0 {
				if got := c.countWorking(day, want); got != n {
					t.Errorf("%s: countWorking(%s, %s) = %d, want %d", name, dateOfDay(day), dateOfDay(want), got, n)
				}
			}
		}
	}
	// The largest duration the grammar allows.
	c := cal(t, "utc")
	start := local(t, "Mon 2026-01-05 10:00", time.UTC)
	due := c.Due(start, Duration{9999, WorkingDays})
	if n := c.WorkingDaysBetween(start, due); n != 9999 {
		t.Errorf("9999 working days: %s is %d working days on", show(due, time.UTC), n)
	}
	if due.Weekday() != time.Friday { // 9995 = 5*1999 lands on a Monday, 4 more on Friday
		t.Errorf("9999 working days from a Monday: %s, want a Friday", show(due, time.UTC))
	}
}

// Properties that hold for every calendar, start and duration.
func TestDueProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lo := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for name := range calendarSpecs {
		c := cal(t, name)
		loc := c.Location()
		for range 2000 {
			start := time.Unix(lo+rng.Int64N(hi-lo), rng.Int64N(1e9))
			d := Duration{N: 1 + rng.IntN(MaxN), Unit: Unit(1 + rng.IntN(5))}
			if rng.IntN(4) > 0 {
				d.N = 1 + rng.IntN(30)
			}
			due := c.Due(start, d)
			if due.Before(start) {
				t.Fatalf("%s: Due(%s, %q) = %s is before the start", name, start, d, due)
			}
			if d.Unit == Hours {
				if due.Sub(start) != time.Duration(d.N)*time.Hour {
					t.Fatalf("%s: Due(%s, %q) = %s is not exact", name, start, d, due)
				}
				continue
			}
			if h, m, s := due.In(loc).Clock(); h != 23 || m != 59 || s != 59 || due.Nanosecond() != 0 {
				t.Fatalf("%s: Due(%s, %q) = %s does not end at 23:59:59 local", name, start, d, show(due, loc))
			}
			if dayOf(due, loc) <= dayOf(start, loc) {
				t.Fatalf("%s: Due(%s, %q) = %s is on the day of the start", name, start, d, show(due, loc))
			}
			if d.Unit == WorkingDays {
				if !c.IsWorkingDay(DateOf(due, loc)) {
					t.Fatalf("%s: Due(%s, %q) = %s is not a working day", name, start, d, show(due, loc))
				}
				if n := c.WorkingDaysBetween(start, due); n != d.N {
					t.Fatalf("%s: Due(%s, %q) = %s, but %d working days lie between", name, start, d, show(due, loc), n)
				}
			}
			// Counting back the same duration from due lands at or before the
			// start's end of day, never after.
			back := c.before(due, d)
			if d.Unit != Months && d.Unit != WorkingDays && !back.Equal(c.endOfDay(dayOf(start, loc))) {
				t.Fatalf("%s: %q before %s = %s, want the end of the start's day", name, d, show(due, loc), show(back, loc))
			}
		}
	}
}

func TestDueInvalidDuration(t *testing.T) {
	c := cal(t, "uk")
	start := local(t, "Mon 2026-01-12 10:00", c.Location())
	for _, d := range []Duration{{}, {0, Days}, {-3, WorkingDays}, {3, 0}, {3, 99}} {
		if got := c.Due(start, d); !got.Equal(start) {
			t.Errorf("Due(%v) = %s, want the start", d, got)
		}
	}
}

func TestDueStartInOtherZone(t *testing.T) {
	// The day that counts is the local day in the calendar's zone, whatever
	// zone the start instant carries.
	for _, tc := range []struct {
		cal, startUTC, dur, want string
	}{
		{"uk", "Thu 2026-06-04 23:30 +0000", "1 working day", "Mon 2026-06-08 23:59:59"}, // Friday 00:30 BST
		{"ny", "Tue 2026-01-06 03:00 +0000", "1 working day", "Tue 2026-01-06 23:59:59"}, // Monday 22:00 EST
		{"cn", "Sat 2026-09-26 17:00 +0000", "1 working day", "Mon 2026-09-28 23:59:59"}, // Sunday 01:00 CST, a make-up day
		{"cn", "Sat 2026-09-26 15:59:59 +0000", "1 working day", "Sun 2026-09-27 23:59:59"},
	} {
		c := cal(t, tc.cal)
		start := local(t, tc.startUTC, time.UTC)
		want := local(t, tc.want, c.Location())
		if got := c.Due(start, mustDuration(t, tc.dur)); !got.Equal(want) {
			t.Errorf("%s: Due(%s, %q) = %s, want %s", tc.cal, tc.startUTC, tc.dur, show(got, c.Location()), show(want, c.Location()))
		}
	}
}

func TestNilCalendar(t *testing.T) {
	var c *Calendar
	start := time.Date(2026, 1, 9, 16, 30, 0, 0, time.UTC)
	if got, want := c.Due(start, Duration{2, WorkingDays}), time.Date(2026, 1, 13, 23, 59, 59, 0, time.UTC); !got.Equal(want) {
		t.Errorf("nil calendar: got %s, want %s", got, want)
	}
	if c.Location() != time.UTC {
		t.Errorf("nil calendar zone %s", c.Location())
	}
	var zero Calendar
	if got := zero.Due(start, Duration{1, Days}); !got.Equal(time.Date(2026, 1, 10, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("zero calendar: got %s", got)
	}
}

type warnCase struct {
	cal, start, due, warn, want string
}

var warnCases = []warnCase{
	// Percentages of the span, rounded down to the second.
	{"utc", "Mon 2026-01-05 09:00", "Mon 2026-01-19 23:59:59", "20%", "Sat 2026-01-17 01:47:59"},
	{"utc", "Mon 2026-01-05 09:00", "Mon 2026-01-19 23:59:59", "100%", "Mon 2026-01-05 09:00:00"},
	{"utc", "Mon 2026-01-05 09:00", "Mon 2026-01-19 23:59:59", "50%", "Mon 2026-01-12 16:29:59"},
	{"utc", "Mon 2026-01-05 09:00", "Wed 2026-01-07 09:00", "50%", "Tue 2026-01-06 09:00:00"},
	{"utc", "Mon 2026-01-05 00:00:00", "Mon 2026-01-05 00:00:10", "25%", "Mon 2026-01-05 00:00:07"},
	{"utc", "Mon 2026-01-05 00:00:00", "Mon 2026-01-05 00:00:10", "15%", "Mon 2026-01-05 00:00:08"},
	{"utc", "Mon 2026-01-05 00:00:00", "Mon 2026-01-05 00:00:10", "1%", "Mon 2026-01-05 00:00:09"},
	{"utc", "Mon 2026-01-05 00:00:00", "Mon 2026-01-05 00:00:01", "1%", "Mon 2026-01-05 00:00:00"},
	// 50% of 48 hours across the London clock change is 24 real hours.
	{"uk", "Sat 2026-10-24 12:00 +0100", "Mon 2026-10-26 11:00:00 +0000", "50%", "Sun 2026-10-25 11:00:00 +0000"},
	// Durations before due, counted backwards.
	{"utc", "Wed 2026-01-07 10:00", "Wed 2026-01-21 23:59:59", "2 working days", "Mon 2026-01-19 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "Mon 2026-01-19 23:59:59", "1 working day", "Fri 2026-01-16 23:59:59"},
	{"uk", "Fri 2026-12-18 16:30", "Tue 2026-12-29 23:59:59", "1 working day", "Thu 2026-12-24 23:59:59"},
	{"uk", "Fri 2026-12-18 16:30", "Tue 2026-12-29 23:59:59", "2 working days", "Wed 2026-12-23 23:59:59"},
	{"cn", "Mon 2026-09-21 09:00", "Fri 2026-10-09 23:59:59", "2 working days", "Wed 2026-09-30 23:59:59"},
	{"cn", "Mon 2026-09-21 09:00", "Fri 2026-10-09 23:59:59", "5 working days", "Sun 2026-09-27 23:59:59"},
	{"cn", "Mon 2026-09-21 09:00", "Fri 2026-10-09 23:59:59", "6 working days", "Fri 2026-09-25 23:59:59"},
	{"uk", "Mon 2026-10-19 10:00 +0100", "Mon 2026-10-26 23:59:59 +0000", "24 hours", "Sun 2026-10-25 23:59:59 +0000"},
	{"uk", "Mon 2026-03-23 10:00 +0000", "Sun 2026-03-29 23:59:59 +0100", "24 hours", "Sat 2026-03-28 22:59:59 +0000"},
	{"uk", "Mon 2026-03-23 10:00 +0000", "Sun 2026-03-29 23:59:59 +0100", "1 day", "Sat 2026-03-28 23:59:59 +0000"},
	{"uk", "Mon 2026-03-23 10:00 +0000", "Sun 2026-03-29 23:59:59 +0100", "1 week", "Mon 2026-03-23 10:00:00 +0000"}, // clamped to the start
	{"utc", "Thu 2026-01-01 10:00", "Tue 2026-03-31 23:59:59", "1 month", "Sat 2026-02-28 23:59:59"},
	{"utc", "Thu 2026-01-01 10:00", "Sun 2028-04-30 23:59:59", "2 months", "Tue 2028-02-29 23:59:59"},
	// Never before the start, never after due.
	{"utc", "Mon 2026-01-05 10:00", "Mon 2026-01-19 23:59:59", "20 working days", "Mon 2026-01-05 10:00:00"},
	{"utc", "Mon 2026-01-05 10:00", "Tue 2026-01-06 23:59:59", "1 working day", "Mon 2026-01-05 23:59:59"},
	{"utc", "Mon 2026-01-05 10:00", "Tue 2026-01-06 23:59:59", "2 days", "Mon 2026-01-05 10:00:00"},
	{"utc", "Mon 2026-01-05 10:00", "Mon 2026-01-05 09:00", "20%", "Mon 2026-01-05 09:00:00"}, // due before start: due
	{"utc", "Mon 2026-01-05 10:00", "Mon 2026-01-05 10:00", "1 hour", "Mon 2026-01-05 10:00:00"},
}

func TestWarnAt(t *testing.T) {
	for _, tc := range warnCases {
		c := cal(t, tc.cal)
		loc := c.Location()
		w, err := ParseWarnBefore(tc.warn)
		if err != nil {
			t.Fatal(err)
		}
		start, due, want := local(t, tc.start, loc), local(t, tc.due, loc), local(t, tc.want, loc)
		if got := c.WarnAt(start, due, w); !got.Equal(want) {
			t.Errorf("%s: WarnAt(%s, %s, %q) = %s, want %s", tc.cal, tc.start, tc.due, tc.warn, show(got, loc), show(want, loc))
		}
	}
	// The zero WarnBefore never warns early.
	c := cal(t, "utc")
	start, due := local(t, "2026-01-05 10:00", time.UTC), local(t, "2026-01-09 23:59:59", time.UTC)
	if got := c.WarnAt(start, due, WarnBefore{}); !got.Equal(due) {
		t.Errorf("zero WarnBefore: %s", got)
	}
	// Fractional seconds and spans longer than time.Duration can hold.
	start = time.Date(2026, 1, 5, 0, 0, 0, 500_000_000, time.UTC)
	if got := c.WarnAt(start, start.Add(10*time.Second), WarnBefore{Percent: 25}); !got.Equal(time.Date(2026, 1, 5, 0, 0, 8, 0, time.UTC)) {
		t.Errorf("fractional: %s", got)
	}
	start, due = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2826, 1, 1, 0, 0, 0, 0, time.UTC)
	if got, want := c.WarnAt(start, due, WarnBefore{Percent: 50}), time.Unix((start.Unix()+due.Unix())/2, 0); !got.Equal(want) {
		t.Errorf("800 years, 50%%: %s, want %s", got, want)
	}
}

func TestWarnAtProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	lo := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for name := range calendarSpecs {
		c := cal(t, name)
		for range 500 {
			start := time.Unix(lo+rng.Int64N(40*365*86400), rng.Int64N(1e9))
			due := c.Due(start, Duration{1 + rng.IntN(100), Unit(1 + rng.IntN(5))})
			var w WarnBefore
			if rng.IntN(2) == 0 {
				w.Percent = 1 + rng.IntN(100)
			} else {
				w.Duration = Duration{1 + rng.IntN(20), Unit(1 + rng.IntN(5))}
			}
			at := c.WarnAt(start, due, w)
			if at.Before(start) || at.After(due) {
				t.Fatalf("%s: WarnAt(%s, %s, %v) = %s is outside the span", name, start, due, w, at)
			}
		}
	}
}

type pauseCase struct {
	cal, due, from, to, unit, want string
}

var pauseCases = []pauseCase{
	// Working days: count working days D with date(from) < D <= date(to).
	{"utc", "Wed 2026-01-21 23:59:59", "Mon 2026-01-12 10:00", "Wed 2026-01-14 15:00", "working days", "Fri 2026-01-23 23:59:59"},
	{"utc", "Fri 2026-01-16 23:59:59", "Mon 2026-01-12 10:00", "Wed 2026-01-14 15:00", "working days", "Tue 2026-01-20 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Mon 2026-01-12 10:00", "Mon 2026-01-12 15:00", "working days", "Wed 2026-01-21 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Mon 2026-01-12 00:00:00", "Mon 2026-01-12 23:59:59", "working days", "Wed 2026-01-21 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Mon 2026-01-12 23:59:59", "Tue 2026-01-13 00:00:00", "working days", "Thu 2026-01-22 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Fri 2026-01-09 17:00", "Mon 2026-01-12 09:00", "working days", "Thu 2026-01-22 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Fri 2026-01-09 17:00", "Sun 2026-01-11 12:00", "working days", "Wed 2026-01-21 23:59:59"},
	{"utc", "Thu 2026-01-22 23:59:59", "Mon 2026-01-12 10:00", "Mon 2026-01-19 10:00", "working days", "Thu 2026-01-29 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Wed 2026-01-14 15:00", "Mon 2026-01-12 10:00", "working days", "Wed 2026-01-21 23:59:59"}, // ends before it starts
	{"uk", "Mon 2027-01-04 23:59:59", "Wed 2026-12-23 10:00", "Tue 2026-12-29 10:00", "working days", "Wed 2027-01-06 23:59:59"},
	{"uk", "Thu 2026-12-24 23:59:59", "Mon 2026-12-21 10:00", "Tue 2026-12-22 10:00", "working days", "Tue 2026-12-29 23:59:59"},
	{"cn", "Wed 2026-09-30 23:59:59", "Fri 2026-09-25 10:00", "Mon 2026-09-28 10:00", "working days", "Fri 2026-10-09 23:59:59"},
	{"cn", "Thu 2026-10-08 23:59:59", "Thu 2026-10-01 10:00", "Wed 2026-10-07 10:00", "working days", "Thu 2026-10-08 23:59:59"}, // Golden Week: nothing
	{"uk", "Mon 2026-10-26 23:59:59 +0000", "Fri 2026-10-23 10:00 +0100", "Mon 2026-10-26 09:00 +0000", "working days", "Tue 2026-10-27 23:59:59 +0000"},
	// Calendar days.
	{"utc", "Wed 2026-01-21 23:59:59", "Mon 2026-01-12 10:00", "Wed 2026-01-14 15:00", "days", "Fri 2026-01-23 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Mon 2026-01-12 10:00", "Mon 2026-01-12 15:00", "days", "Wed 2026-01-21 23:59:59"},
	{"utc", "Wed 2026-01-21 23:59:59", "Fri 2026-01-09 17:00", "Mon 2026-01-12 09:00", "weeks", "Sat 2026-01-24 23:59:59"},
	{"utc", "Sat 2026-02-28 23:59:59", "Mon 2026-02-02 10:00", "Mon 2026-02-09 09:00", "months", "Sat 2026-03-07 23:59:59"},
	{"uk", "Sat 2026-03-28 23:59:59 +0000", "Fri 2026-03-20 10:00", "Sun 2026-03-22 10:00", "days", "Mon 2026-03-30 23:59:59 +0100"},
	// Hours: exact.
	{"utc", "Wed 2026-01-07 09:00", "Mon 2026-01-05 10:00", "Mon 2026-01-05 12:30", "hours", "Wed 2026-01-07 11:30:00"},
	{"uk", "Sun 2026-10-25 00:30 +0100", "Sat 2026-10-24 10:00 +0100", "Sat 2026-10-24 11:00 +0100", "hours", "Sun 2026-10-25 01:30:00 +0100"},
	{"uk", "Sun 2026-10-25 00:30 +0100", "Sat 2026-10-24 10:00 +0100", "Sat 2026-10-24 12:00 +0100", "hours", "Sun 2026-10-25 01:30:00 +0000"},
	{"uk", "Sun 2026-10-25 01:30 +0100", "Sat 2026-10-24 10:00 +0100", "Sat 2026-10-24 11:00 +0100", "hours", "Sun 2026-10-25 01:30:00 +0000"},
}

func TestPauseExtension(t *testing.T) {
	for _, tc := range pauseCases {
		c := cal(t, tc.cal)
		loc := c.Location()
		u, ok := lookupUnit(tc.unit)
		if !ok {
			t.Fatalf("unit %q", tc.unit)
		}
		due, from, to, want := local(t, tc.due, loc), local(t, tc.from, loc), local(t, tc.to, loc), local(t, tc.want, loc)
		if got := c.PauseExtension(due, from, to, u); !got.Equal(want) {
			t.Errorf("%s: PauseExtension(%s, %s..%s, %s) = %s, want %s", tc.cal, tc.due, tc.from, tc.to, tc.unit, show(got, loc), show(want, loc))
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	for _, tc := range []struct {
		cal, from, to string
		want          int
	}{
		{"utc", "Mon 2026-01-05 10:00", "Wed 2026-01-07 15:00", 2},
		{"utc", "Wed 2026-01-07 15:00", "Mon 2026-01-05 10:00", -2},
		{"utc", "Mon 2026-01-05 10:00", "Mon 2026-01-05 23:59:59", 0},
		{"utc", "Mon 2026-01-05 23:00", "Mon 2026-01-05 10:00", 0},
		{"utc", "Fri 2026-01-09 17:00", "Mon 2026-01-12 09:00", 1},
		{"utc", "Sat 2026-01-10 17:00", "Sun 2026-01-11 09:00", 0},
		{"utc", "Sun 2026-01-11 09:00", "Sat 2026-01-10 17:00", 0},
		{"utc", "Mon 2026-01-05 10:00", "Mon 2026-02-02 10:00", 20},
		{"uk", "Wed 2026-12-23 10:00", "Mon 2027-01-04 10:00", 5},
		{"uk", "Wed 2025-12-31 10:00", "Thu 2026-12-31 10:00", 253}, // 261 weekdays less 8 bank holidays
		{"cn", "Fri 2026-09-25 10:00", "Sat 2026-10-10 10:00", 7},
		{"cn", "Sat 2026-10-10 10:00", "Fri 2026-09-25 10:00", -7},
		{"cn", "Wed 2026-09-30 10:00", "Wed 2026-10-07 10:00", 0},
		{"ksa", "Thu 2026-01-08 10:00", "Sun 2026-01-11 10:00", 1},
		{"uk", "Thu 2026-06-04 23:30 +0100", "Fri 2026-06-05 00:30 +0100", 1},
	} {
		c := cal(t, tc.cal)
		from, to := local(t, tc.from, c.Location()), local(t, tc.to, c.Location())
		if got := c.WorkingDaysBetween(from, to); got != tc.want {
			t.Errorf("%s: WorkingDaysBetween(%s, %s) = %d, want %d", tc.cal, tc.from, tc.to, got, tc.want)
		}
	}
}

func TestLongerOrEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"20 working days", "10 working days", true},
		{"10 working days", "20 working days", false},
		{"10 working days", "10 working days", true},
		{"10 working days", "2 weeks", true},
		{"2 weeks", "10 working days", true},
		{"14 days", "10 working days", true},
		{"13 days", "10 working days", false},
		{"1 day", "1 working day", true},
		{"1 day", "24 hours", true},
		{"24 hours", "1 day", false},
		{"1 month", "20 working days", true},
		{"20 working days", "1 month", false},
		{"23 working days", "1 month", true},
		{"1 week", "5 working days", true},
		{"1 month", "31 days", true},
		{"1 month", "32 days", false},
		{"48 hours", "1 working day", true},
		{"36 hours", "1 working day", false},
	} {
		if got := LongerOrEqual(mustDuration(t, tc.a), mustDuration(t, tc.b)); got != tc.want {
			t.Errorf("LongerOrEqual(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCaseCount(t *testing.T) {
	n := len(dueCases) + len(warnCases) + len(pauseCases)
	g := len(generatedDueCases())
	t.Logf("%d hand-checked table cases (%d Due, %d WarnAt, %d PauseExtension), %d generated Due cases",
		n, len(dueCases), len(warnCases), len(pauseCases), g)
	if len(dueCases) < 200 {
		t.Errorf("only %d hand-checked Due cases", len(dueCases))
	}
}

func ExampleCalendar_Due() {
	c, _ := NewCalendar("Europe/London", nil, []string{"2026-05-04"}, nil)
	received := time.Date(2026, 5, 1, 16, 30, 0, 0, c.Location()) // a Friday
	fmt.Println(c.Due(received, Duration{2, WorkingDays}))
	fmt.Println(c.Due(received, Duration{48, Hours}))
	// Output:
	// 2026-05-06 23:59:59 +0100 BST
	// 2026-05-03 16:30:00 +0100 BST
}
