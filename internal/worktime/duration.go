package worktime

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Unit is what a Duration counts.
type Unit int

// The units a Duration can count.
const (
	WorkingDays Unit = iota + 1
	Days
	Weeks
	Months
	Hours
)

// MaxN is the largest count a Duration or a warnBefore percentage's number
// may have; the smallest is 1.
const MaxN = 9999

var unitNames = [...]struct{ plural, singular string }{
	WorkingDays: {"working days", "working day"},
	Days:        {"days", "day"},
	Weeks:       {"weeks", "week"},
	Months:      {"months", "month"},
	Hours:       {"hours", "hour"},
}

// String is the unit's plural name: "working days", "days", "weeks",
// "months" or "hours".
func (u Unit) String() string {
	if u.valid() {
		return unitNames[u].plural
	}
	return "Unit(" + strconv.Itoa(int(u)) + ")"
}

func (u Unit) valid() bool { return u >= WorkingDays && u <= Hours }

// DayBased reports whether the unit counts days (working days, days, weeks,
// months), so that a deadline in it ends at 23:59:59 local time.
func (u Unit) DayBased() bool { return u >= WorkingDays && u <= Months }

// Duration is a span of time as a Policy writes it: "10 working days",
// "1 month", "48 hours".
type Duration struct {
	N    int
	Unit Unit
}

// String is the canonical spelling, singular when N is 1: "1 working day",
// "10 working days". ParseDuration accepts it and returns the same Duration.
func (d Duration) String() string {
	name := d.Unit.String()
	if d.N == 1 && d.Unit.valid() {
		name = unitNames[d.Unit].singular
	}
	return strconv.Itoa(d.N) + " " + name
}

// IsZero reports whether d is the zero Duration (no duration set).
func (d Duration) IsZero() bool { return d == Duration{} }

const (
	expectUnits   = `expected "<n> working days", "<n> days", "<n> weeks", "<n> months" or "<n> hours"`
	expectWarn    = `expected "<n>%" (1 to 100) or "<n> working days", "<n> days", "<n> weeks", "<n> months" or "<n> hours"`
	exampleSingle = `for example "10 working days"`
)

// ParseDuration parses "<n> <unit>": n is a whole number from 1 to 9999
// written without sign or leading zeros, followed by exactly one space and one
// of "working days", "days", "weeks", "months", "hours" or their singular
// forms ("working day", "day", "week", "month", "hour"), in lower case. The
// singular and plural forms are interchangeable ("2 day" is 2 days).
//
// The error names the value, says what was wrong and what is accepted:
//
//	"10 workdays": unknown unit "workdays"; expected "<n> working days", "<n> days", "<n> weeks", "<n> months" or "<n> hours"
func ParseDuration(s string) (Duration, error) {
	d, problem := parseDuration(s)
	if problem != "" {
		return Duration{}, fmt.Errorf("%q: %s; %s", s, problem, expectUnits)
	}
	return d, nil
}

// parseDuration returns the Duration, or a description of the problem.
func parseDuration(s string) (Duration, string) {
	if s == "" {
		return Duration{}, "empty duration"
	}
	if strings.HasSuffix(s, "%") {
		return Duration{}, "a percentage is only allowed for warnBefore"
	}
	if p := spaceProblem(s); p != "" {
		return Duration{}, p
	}
	num, unit, ok := strings.Cut(s, " ")
	if !ok {
		// No space at all: "10days", "10", "days".
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		switch {
		case i == len(s):
			return Duration{}, "missing unit after the number"
		case i > 0 && isLetter(s[i]):
			return Duration{}, "missing space between the number and the unit"
		default:
			return Duration{}, fmt.Sprintf("missing number: write a number, one space and a unit, %s", exampleSingle)
		}
	}
	if strings.HasPrefix(unit, " ") {
		return Duration{}, "more than one space between the number and the unit; use exactly one"
	}
	n, problem := parseCount(num, MaxN)
	if problem != "" {
		return Duration{}, problem
	}
	u, ok := lookupUnit(unit)
	if !ok {
		if lu, lok := lookupUnit(strings.ToLower(unit)); lok {
			return Duration{}, fmt.Sprintf("unknown unit %q (units are lower case: %q)", unit, lu.String())
		}
		return Duration{}, fmt.Sprintf("unknown unit %q", unit)
	}
	return Duration{N: n, Unit: u}, ""
}

// spaceProblem rejects leading, trailing and non-space whitespace, which
// would otherwise produce confusing messages about numbers and units.
func spaceProblem(s string) string {
	if strings.TrimSpace(s) != s {
		return "leading or trailing space"
	}
	for _, r := range s {
		if r != ' ' && unicode.IsSpace(r) {
			return "contains a tab or other whitespace; use exactly one space between the number and the unit"
		}
	}
	return ""
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// parseCount parses a whole number from 1 to max, written in ASCII digits
// without sign or leading zeros.
func parseCount(num string, max int) (int, string) {
	if num == "" {
		return 0, "missing number; " + rangeText(max)
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			if num[0] == '-' || num[0] == '+' {
				if _, err := strconv.Atoi(num[1:]); err == nil {
					return 0, fmt.Sprintf("%q has a sign; %s", num, rangeText(max))
				}
			}
			return 0, fmt.Sprintf("%q is not a whole number; %s", num, rangeText(max))
		}
	}
	if len(num) > 1 && num[0] == '0' {
		if strings.Trim(num, "0") == "" {
			return 0, fmt.Sprintf("%s is out of range; %s", num, rangeText(max))
		}
		return 0, fmt.Sprintf("%q has a leading zero; write it without", num)
	}
	if len(num) > len(strconv.Itoa(max)) {
		return 0, fmt.Sprintf("%s is out of range; %s", num, rangeText(max))
	}
	n, _ := strconv.Atoi(num) // only digits, at most 4 or 3 of them
	if n < 1 || n > max {
		return 0, fmt.Sprintf("%d is out of range; %s", n, rangeText(max))
	}
	return n, ""
}

func rangeText(max int) string {
	return fmt.Sprintf("the number must be a whole number from 1 to %d", max)
}

func lookupUnit(name string) (Unit, bool) {
	for u := WorkingDays; u <= Hours; u++ {
		if name == unitNames[u].plural || name == unitNames[u].singular {
			return u, true
		}
	}
	return 0, false
}

// WarnBefore says when to warn that a deadline is approaching: either a
// percentage of the deadline's span (Percent, 1 to 100) or a Duration before
// it. Exactly one is set; the zero WarnBefore never warns early (see
// Calendar.WarnAt).
type WarnBefore struct {
	Percent  int
	Duration Duration
}

// String is the canonical spelling: "20%" or the Duration's.
func (w WarnBefore) String() string {
	if w.Percent != 0 {
		return strconv.Itoa(w.Percent) + "%"
	}
	return w.Duration.String()
}

// ParseWarnBefore parses a warnBefore value: "<n>%" with n a whole number
// from 1 to 100 (no space before "%"), or anything ParseDuration accepts.
func ParseWarnBefore(s string) (WarnBefore, error) {
	if num, ok := strings.CutSuffix(s, "%"); ok {
		if p := spaceProblem(s); p != "" {
			return WarnBefore{}, fmt.Errorf("%q: %s; %s", s, p, expectWarn)
		}
		if strings.HasSuffix(num, " ") {
			return WarnBefore{}, fmt.Errorf("%q: no space allowed before %q; %s", s, "%", expectWarn)
		}
		n, problem := parseCount(num, 100)
		if problem != "" {
			return WarnBefore{}, fmt.Errorf("%q: %s; %s", s, problem, expectWarn)
		}
		return WarnBefore{Percent: n}, nil
	}
	d, problem := parseDuration(s)
	if problem != "" {
		return WarnBefore{}, fmt.Errorf("%q: %s; %s", s, problem, expectWarn)
	}
	return WarnBefore{Duration: d}, nil
}
