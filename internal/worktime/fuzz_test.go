package worktime

import (
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{
		"10 working days", "1 working day", "5 days", "1 day", "2 weeks", "1 week", "3 months",
		"1 month", "48 hours", "1 hour", "9999 hours", "10 workdays", "", "0 days", "ten days",
		"10  days", "-1 days", "20%", "100%", "0%", "10 Days", "010 days", "10\tdays", " 1 day",
		"1 days", "2 day", "10000 days", "\xff days", "1 working\u00a0day",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), strconv.Quote(s)+": ") {
				t.Fatalf("error for %q does not name the value: %v", s, err)
			}
		} else {
			if d.N < 1 || d.N > MaxN || !d.Unit.valid() {
				t.Fatalf("ParseDuration(%q) = %#v is out of range", s, d)
			}
			again, err := ParseDuration(d.String())
			if err != nil || again != d {
				t.Fatalf("ParseDuration(%q) = %#v; its String %q parses as %#v, %v", s, d, d.String(), again, err)
			}
		}
		w, werr := ParseWarnBefore(s)
		switch {
		case werr != nil:
			if err == nil {
				t.Fatalf("ParseWarnBefore(%q) refuses a valid duration: %v", s, werr)
			}
			if !strings.HasPrefix(werr.Error(), strconv.Quote(s)+": ") {
				t.Fatalf("error for %q does not name the value: %v", s, werr)
			}
		case w.Percent != 0:
			if w.Percent < 1 || w.Percent > 100 || !w.Duration.IsZero() {
				t.Fatalf("ParseWarnBefore(%q) = %#v", s, w)
			}
		default:
			if err != nil || w.Duration != d {
				t.Fatalf("ParseWarnBefore(%q) = %#v, ParseDuration says %#v, %v", s, w, d, err)
			}
		}
		if werr == nil {
			if again, err := ParseWarnBefore(w.String()); err != nil || again != w {
				t.Fatalf("ParseWarnBefore(%q) = %#v does not round-trip through %q", s, w, w.String())
			}
		}
	})
}

// fuzzCalendars are the test calendars plus zones with awkward clock changes:
// at midnight (São Paulo until 2019), from 23:00 to 00:00 (Nuuk), a skipped
// day (Apia, 2011), half-hour changes (Lord Howe), odd offsets (Kathmandu).
func fuzzCalendars(t testing.TB) []*Calendar {
	names := make([]string, 0, len(calendarSpecs))
	for name := range calendarSpecs {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []*Calendar
	for _, name := range names {
		out = append(out, cal(t, name))
	}
	for _, z := range []string{"America/Sao_Paulo", "America/Nuuk", "Pacific/Apia", "Australia/Lord_Howe", "Asia/Kathmandu"} {
		c, err := NewCalendar(z, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func FuzzDue(f *testing.F) {
	// Seeds: start (Unix seconds), n, unit (0 = working days .. 4 = hours),
	// calendar (index into fuzzCalendars: 0 cn, 2 london, 5 uk, 7 utc,
	// 9 São Paulo, 11 Apia), pause, warnBefore (1-100 a percentage, else a
	// duration).
	f.Add(int64(1767976200), 2, uint8(0), uint8(7), int64(0), uint8(20))          // Friday 2026-01-09 16:30 UTC, 2 working days
	f.Add(int64(1774656000), 48, uint8(4), uint8(5), int64(90000), uint8(50))     // 48 hours across the London clock change
	f.Add(int64(1790000000), 10, uint8(0), uint8(0), int64(-3600), uint8(100))    // China, across National Day
	f.Add(int64(1325160000), 1, uint8(1), uint8(11), int64(86400*3), uint8(1))    // Apia, 29 December 2011 (30th skipped)
	f.Add(int64(1550372400), 1, uint8(1), uint8(9), int64(7200), uint8(99))       // São Paulo, clocks back at midnight
	f.Add(int64(-2208988800), 9999, uint8(0), uint8(2), int64(1<<40), uint8(255)) // 1900, the longest duration
	cals := fuzzCalendars(f)
	lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	f.Fuzz(func(t *testing.T, sec int64, n int, unit, zone uint8, pause int64, warn uint8) {
		// Map the raw inputs onto the domain: starts from 1900 to 2200, n from
		// 1 to 9999, any unit, a calendar from the list.
		start := time.Unix(lo+int64(floorMod64(sec, hi-lo)), floorMod64(sec, 1e9))
		d := Duration{N: 1 + int(floorMod64(int64(n), MaxN)), Unit: Unit(1 + int(unit)%5)}
		c := cals[int(zone)%len(cals)]
		loc := c.Location()

		due := c.Due(start, d)
		if due.Before(start) {
			t.Fatalf("%s: Due(%s, %q) = %s is before the start", loc, start, d, due)
		}
		if d.Unit == Hours {
			if due.Sub(start) != time.Duration(d.N)*time.Hour {
				t.Fatalf("%s: Due(%s, %q) = %s is not exact", loc, start, d, due)
			}
		} else if !due.Equal(start) {
			// A day-based due time is the last second of its local day.
			if dayOf(due.Add(time.Second), loc) <= dayOf(due, loc) || due.Nanosecond() != 0 {
				t.Fatalf("%s: Due(%s, %q) = %s is not the end of a day", loc, start, d, show(due, loc))
			}
		}
		if !c.WithinCap(start, d, due) || c.WithinCap(start, d, due.Add(time.Second)) {
			t.Fatalf("%s: WithinCap disagrees with Due(%s, %q) = %s", loc, start, d, due)
		}

		var w WarnBefore
		if warn <= 100 && warn > 0 {
			w.Percent = int(warn)
		} else {
			w.Duration = Duration{N: 1 + int(warn)%30, Unit: Unit(1 + int(warn)%5)}
		}
		if at := c.WarnAt(start, due, w); at.Before(start) || at.After(due) {
			t.Fatalf("%s: WarnAt(%s, %s, %v) = %s is outside the span", loc, start, due, w, at)
		}

		from := start.Add(time.Duration(floorMod64(pause, 400*24)) * time.Hour / 24)
		to := from.Add(time.Duration(floorMod64(pause>>8, 60*24)) * time.Hour / 24)
		if ext := c.PauseExtension(due, from, to, d.Unit); ext.Before(due) {
			t.Fatalf("%s: PauseExtension(%s, %s, %s, %s) = %s moved the deadline earlier", loc, due, from, to, d.Unit, ext)
		}
		if k := c.WorkingDaysBetween(from, to); k < 0 || k != -c.WorkingDaysBetween(to, from) {
			t.Fatalf("%s: WorkingDaysBetween(%s, %s) = %d is not antisymmetric", loc, from, to, k)
		}
	})
}

func floorMod64(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}
