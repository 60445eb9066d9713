package worktime

import (
	"testing"
	"time"
)

// benchCalendar is Europe/London with 20 bank holidays (2026-2028).
func benchCalendar(b testing.TB) *Calendar {
	c, err := NewCalendar("Europe/London", nil, []string{
		"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
		"2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03",
		"2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28", "2028-01-03", "2028-04-14",
		"2028-04-17", "2028-05-01",
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

var sink time.Time

func benchmarkDue(b *testing.B, d Duration) {
	c := benchCalendar(b)
	// A start just before Christmas, so the span crosses holidays.
	start := time.Date(2026, 12, 18, 16, 30, 0, 0, c.Location())
	b.ReportAllocs()
	for b.Loop() {
		sink = c.Due(start, d)
	}
}

func BenchmarkDue10WorkingDays(b *testing.B) { benchmarkDue(b, Duration{10, WorkingDays}) }
func BenchmarkDue60WorkingDays(b *testing.B) { benchmarkDue(b, Duration{60, WorkingDays}) }
func BenchmarkDue1Month(b *testing.B)        { benchmarkDue(b, Duration{1, Months}) }
func BenchmarkDue48Hours(b *testing.B)       { benchmarkDue(b, Duration{48, Hours}) }

func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := benchCalendar(b)
	from := time.Date(2026, 11, 2, 9, 0, 0, 0, c.Location())
	to := time.Date(2027, 3, 3, 9, 0, 0, 0, c.Location())
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n += c.WorkingDaysBetween(from, to)
	}
	_ = n
}

func TestDueDoesNotAllocate(t *testing.T) {
	c := benchCalendar(t)
	start := time.Date(2026, 12, 18, 16, 30, 0, 0, time.UTC)
	due := c.Due(start, Duration{60, WorkingDays})
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Due", func() { sink = c.Due(start, Duration{60, WorkingDays}) }},
		{"WarnAt", func() { sink = c.WarnAt(start, due, WarnBefore{Duration: Duration{5, WorkingDays}}) }},
		{"PauseExtension", func() { sink = c.PauseExtension(due, start, start.Add(100*time.Hour), WorkingDays) }},
		{"WorkingDaysBetween", func() { _ = c.WorkingDaysBetween(start, due) }},
	} {
		if n := testing.AllocsPerRun(100, tc.f); n != 0 {
			t.Errorf("%s allocates %.0f times", tc.name, n)
		}
	}
}
