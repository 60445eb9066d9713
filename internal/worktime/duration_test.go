package worktime

import (
	"strings"
	"testing"
)

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  Duration
		canon string
	}{
		{"10 working days", Duration{10, WorkingDays}, "10 working days"},
		{"1 working day", Duration{1, WorkingDays}, "1 working day"},
		{"5 days", Duration{5, Days}, "5 days"},
		{"1 day", Duration{1, Days}, "1 day"},
		{"2 weeks", Duration{2, Weeks}, "2 weeks"},
		{"1 week", Duration{1, Weeks}, "1 week"},
		{"3 months", Duration{3, Months}, "3 months"},
		{"1 month", Duration{1, Months}, "1 month"},
		{"48 hours", Duration{48, Hours}, "48 hours"},
		{"1 hour", Duration{1, Hours}, "1 hour"},
		{"9999 working days", Duration{9999, WorkingDays}, "9999 working days"},
		// Singular and plural are interchangeable; String is canonical.
		{"1 days", Duration{1, Days}, "1 day"},
		{"2 working day", Duration{2, WorkingDays}, "2 working days"},
		{"1 months", Duration{1, Months}, "1 month"},
	} {
		got, err := ParseDuration(tc.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseDuration(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
		if got.String() != tc.canon {
			t.Errorf("ParseDuration(%q).String() = %q, want %q", tc.in, got.String(), tc.canon)
		}
	}
}

const expected = `expected "<n> working days", "<n> days", "<n> weeks", "<n> months" or "<n> hours"`

func TestParseDurationErrors(t *testing.T) {
	// The exact messages a Policy author sees in the Ready condition.
	for in, want := range map[string]string{
		"10 workdays": `"10 workdays": unknown unit "workdays"; ` + expected,
		"":            `"": empty duration; ` + expected,
		"0 days":      `"0 days": 0 is out of range; the number must be a whole number from 1 to 9999; ` + expected,
		"ten days":    `"ten days": "ten" is not a whole number; the number must be a whole number from 1 to 9999; ` + expected,
		"10  days":    `"10  days": more than one space between the number and the unit; use exactly one; ` + expected,
		"-1 days":     `"-1 days": "-1" has a sign; the number must be a whole number from 1 to 9999; ` + expected,
	} {
		_, err := ParseDuration(in)
		if err == nil {
			t.Errorf("ParseDuration(%q) succeeded", in)
			continue
		}
		if err.Error() != want {
			t.Errorf("ParseDuration(%q) error\n got: %s\nwant: %s", in, err, want)
		}
	}
	// Other mistakes: what the message must mention.
	for in, want := range map[string]string{
		"10 Days":                   `unknown unit "Days" (units are lower case: "days")`,
		"10 WORKING DAYS":           `unknown unit "WORKING DAYS" (units are lower case: "working days")`,
		"10 working  days":          `unknown unit "working  days"`,
		"10 workingdays":            `unknown unit "workingdays"`,
		"10 business days":          `unknown unit "business days"`,
		"10 minutes":                `unknown unit "minutes"`,
		"10days":                    `missing space between the number and the unit`,
		"10":                        `missing unit after the number`,
		"days":                      `missing number`,
		"working days":              `"working" is not a whole number`,
		" 10 days":                  `leading or trailing space`,
		"10 days ":                  `leading or trailing space`,
		"10\tdays":                  `contains a tab or other whitespace`,
		"10\u00a0days":              `contains a tab or other whitespace`,
		"+10 days":                  `"+10" has a sign`,
		"010 days":                  `"010" has a leading zero`,
		"00 days":                   `00 is out of range`,
		"10000 days":                `10000 is out of range`,
		"99999999999999999999 days": `99999999999999999999 is out of range`,
		"1.5 days":                  `"1.5" is not a whole number`,
		"1e3 days":                  `"1e3" is not a whole number`,
		"١٠ days":                   `is not a whole number`,
		"20%":                       `a percentage is only allowed for warnBefore`,
		" ":                         `leading or trailing space`,
	} {
		_, err := ParseDuration(in)
		if err == nil {
			t.Errorf("ParseDuration(%q) succeeded", in)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, want) || !strings.HasSuffix(msg, expected) {
			t.Errorf("ParseDuration(%q) error %q, want it to say %q and what is accepted", in, msg, want)
		}
	}
}

func TestParseWarnBefore(t *testing.T) {
	for in, want := range map[string]WarnBefore{
		"20%":            {Percent: 20},
		"1%":             {Percent: 1},
		"100%":           {Percent: 100},
		"2 working days": {Duration: Duration{2, WorkingDays}},
		"1 day":          {Duration: Duration{1, Days}},
		"48 hours":       {Duration: Duration{48, Hours}},
		"1 week":         {Duration: Duration{1, Weeks}},
		"1 month":        {Duration: Duration{1, Months}},
	} {
		got, err := ParseWarnBefore(in)
		if err != nil {
			t.Errorf("ParseWarnBefore(%q): %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("ParseWarnBefore(%q) = %#v, want %#v", in, got, want)
		}
		if again, err := ParseWarnBefore(got.String()); err != nil || again != got {
			t.Errorf("ParseWarnBefore(%q).String() = %q does not round-trip", in, got.String())
		}
	}
	const expectWarn = `expected "<n>%" (1 to 100) or "<n> working days", "<n> days", "<n> weeks", "<n> months" or "<n> hours"`
	for in, want := range map[string]string{
		"0%":          `"0%": 0 is out of range; the number must be a whole number from 1 to 100; `,
		"101%":        `"101%": 101 is out of range; the number must be a whole number from 1 to 100; `,
		"1000%":       `"1000%": 1000 is out of range`,
		"20 %":        `"20 %": no space allowed before "%"; `,
		"%":           `"%": missing number`,
		"20.5%":       `"20.5%": "20.5" is not a whole number`,
		"-5%":         `"-5%": "-5" has a sign`,
		" 20%":        `" 20%": leading or trailing space`,
		"020%":        `"020%": "020" has a leading zero`,
		"20%%":        `"20%%": "20%" is not a whole number`,
		"10 workdays": `"10 workdays": unknown unit "workdays"; `,
		"":            `"": empty duration; `,
	} {
		_, err := ParseWarnBefore(in)
		if err == nil {
			t.Errorf("ParseWarnBefore(%q) succeeded", in)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, expectWarn) {
			t.Errorf("ParseWarnBefore(%q) error\n got: %s\nwant: %s...%s", in, msg, want, expectWarn)
		}
	}
}

func TestUnitString(t *testing.T) {
	for u, want := range map[Unit]string{
		WorkingDays: "working days",
		Days:        "days",
		Weeks:       "weeks",
		Months:      "months",
		Hours:       "hours",
		0:           "Unit(0)",
		6:           "Unit(6)",
	} {
		if got := u.String(); got != want {
			t.Errorf("Unit(%d).String() = %q, want %q", int(u), got, want)
		}
	}
	if !WorkingDays.DayBased() || !Months.DayBased() || Hours.DayBased() || Unit(0).DayBased() {
		t.Error("DayBased")
	}
}

func TestDurationString(t *testing.T) {
	for d, want := range map[Duration]string{
		{1, WorkingDays}: "1 working day",
		{2, WorkingDays}: "2 working days",
		{1, Days}:        "1 day",
		{28, Days}:       "28 days",
		{1, Weeks}:       "1 week",
		{6, Weeks}:       "6 weeks",
		{1, Months}:      "1 month",
		{12, Months}:     "12 months",
		{1, Hours}:       "1 hour",
		{48, Hours}:      "48 hours",
		{}:               "0 Unit(0)",
		{1, 9}:           "1 Unit(9)",
	} {
		if got := d.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", d, got, want)
		}
	}
	if !(Duration{}).IsZero() || (Duration{1, Days}).IsZero() {
		t.Error("IsZero")
	}
	if got := (WarnBefore{Percent: 20}).String(); got != "20%" {
		t.Errorf("WarnBefore String %q", got)
	}
}

// Every canonical spelling parses back to itself.
func TestDurationRoundTripAll(t *testing.T) {
	for u := WorkingDays; u <= Hours; u++ {
		for n := 1; n <= MaxN; n++ {
			d := Duration{n, u}
			got, err := ParseDuration(d.String())
			if err != nil || got != d {
				t.Fatalf("%q: %v, %v", d.String(), got, err)
			}
		}
	}
}
