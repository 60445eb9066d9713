package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func in(zone, s string) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func london(s string) time.Time   { return in("Europe/London", s) }
func shanghai(s string) time.Time { return in("Asia/Shanghai", s) }
func tp(t time.Time) *time.Time   { return &t }
func fp(f float64) *float64       { return &f }

func february() Report {
	return Build(historyComplaints(), historyPolicies(), date("2026-02-01"), date("2026-02-28"))
}

// TestFebruary checks every figure of February 2026 for the fixed history
// against numbers worked out by hand (see the comments on each case in
// history_test.go).
func TestFebruary(t *testing.T) {
	mkact := func(n, name string) Case {
		return Case{Namespace: "complaints", Name: name, Reference: "MKACT-2026-00000" + n}
	}
	sch := func(n, name string) Case {
		return Case{Namespace: "school", Name: name, Reference: "SCH-2026-00000" + n}
	}
	want := Report{
		From: "2026-02-01", To: "2026-02-28",
		TimeZones: []string{"Asia/Shanghai", "Europe/London", "UTC"},
		Cases:     12,
		Received: Received{
			// 1, 2, 3, 4, 6, 7, 8, S1, S2, S4 (not 5: January; not S3:
			// 1 March in Shanghai).
			Total: 10,
			ByChannel: []Count{
				{"Phone", 2}, {"InPerson", 1}, {"Letter", 2}, {"Email", 1}, {"WebForm", 3}, {"ComplaintBox", 1},
			},
			ByCategory: []Count{
				{"staff-conduct", 3}, {"facilities", 2}, {"billing", 1}, {"other", 1}, {"safety", 1}, {"teaching", 1}, {"(none)", 1},
			},
			BySeverity: []Count{{"Minor", 2}, {"Normal", 6}, {"Serious", 2}},
		},
		Outcomes: OutcomeCounts{
			// 1 Upheld (window ran out 27 Feb 23:59:59), 6 Upheld (the last
			// of its two responses), S1 PartlyUpheld, S2 NotUpheld, 4
			// Withdrawn; 2 and S4 closed in March.
			Closed:    5,
			ByOutcome: []Count{{"Upheld", 2}, {"PartlyUpheld", 1}, {"NotUpheld", 1}, {"Withdrawn", 1}},
		},
		Timeliness: []Timeliness{
			{
				// On time: 1, 3, 4, 6 (formal), S1, S2. Breached: 2 and 6
				// (informal) and S4 met late, 7 not met. Working days to
				// acknowledge, for the nine met in February:
				// 0 (3), 1 (1, 4, 6 formal, S1, S2), 2 (S4), 3 (2, 6 informal).
				Deadline: "acknowledge", Due: 10, OnTime: 6, Breached: 4, MetLate: 3, NotMet: 1, Extended: 0,
				OnTimePercent: fp(60), Timed: 9, MedianWorkingDays: fp(1), P90WorkingDays: fp(3),
			},
			{
				// On time: 1, 2, 3 (extended), 6 informal and formal, S1,
				// S2. Breached: 5 (due 2 Feb, not met). Working days:
				// 4 (6 informal), 6 (S2, across the Spring Festival),
				// 7 (S1), 9 (1, 2), 13 (3, 6 formal): median the 4th of 7,
				// 9; 90th percentile the 7th (ceil(0.9 × 7)), 13.
				Deadline: "respond", Due: 8, OnTime: 7, Breached: 1, MetLate: 0, NotMet: 1, Extended: 1,
				OnTimePercent: fp(87.5), Timed: 7, MedianWorkingDays: fp(9), P90WorkingDays: fp(13),
			},
		},
		Extensions: Extensions{
			Taken: 2, Refused: 1, // 5's came after its deadline breached
			Entries: []Extension{
				{Case: mkact("3", "c-0003"), Stage: "informal", At: london("2026-02-19 10:00:00"), Until: "2026-03-06", Reason: "Witness on leave"},
				{Case: sch("4", "c-0104"), Stage: "office", At: shanghai("2026-02-25 10:00:00"), Until: "2026-03-09", Reason: "等待监控录像"},
			},
		},
		Breaches: []Breach{
			{Case: mkact("5", "c-0005"), Stage: "informal", Deadline: "respond", Due: london("2026-02-02 23:59:59"), Owner: "Team Leader"},
			// 6 is at the formal stage now (owner Head of Service); the
			// breach was the informal stage's, owned by the Team Leader.
			{Case: mkact("6", "c-0006"), Stage: "informal", Deadline: "acknowledge", Due: london("2026-02-04 23:59:59"), Owner: "Team Leader", MetAt: tp(london("2026-02-05 10:00:00"))},
			{Case: mkact("2", "c-0002"), Stage: "informal", Deadline: "acknowledge", Due: london("2026-02-06 23:59:59"), Owner: "Team Leader", MetAt: tp(london("2026-02-09 10:00:00"))},
			{Case: sch("4", "c-0104"), Stage: "office", Deadline: "acknowledge", Due: shanghai("2026-02-14 23:59:59"), Owner: "校长办公室", MetAt: tp(shanghai("2026-02-24 09:30:00"))},
			{Case: mkact("7", "c-0007"), Stage: "informal", Deadline: "acknowledge", Due: london("2026-02-27 23:59:59"), Owner: "Head of Service"},
		},
		Remedies: Remedies{
			// Responses 1, 2, 3, 6 (two), S1, S2; 7's was rejected.
			Responses: 7, WithRemedies: 4, Offered: 8,
			ByRemedy: []Count{{"Apology letter", 4}, {"Compensation (£50)", 1}, {"Refund of fees", 1}, {"Staff training", 1}, {"调整课程安排", 1}},
		},
		Lessons: Lessons{
			Notes: 4, // 1, 6, 7 ("Called the complainant back"), S2
			Entries: []Lesson{
				{Case: mkact("1", "c-0001"), At: london("2026-02-16 11:00:00"), Summary: "Lesson: front desk rota reviewed"},
				{Case: sch("2", "c-0102"), At: shanghai("2026-02-27 16:00:00"), Summary: "LESSON: 维修报告须在三天内完成"},
				{Case: mkact("6", "c-0006"), At: london("2026-02-27 15:00:00"), Summary: "lessons learnt: explain decisions in writing"},
			},
		},
		Open: OpenCases{
			// 7 (2 working days), 8 (5, UTC), S4 (6, counting the make-up
			// Saturdays), 3 (14), 2 (17: it closed in March), 5 (29).
			At: "2026-02-28", Total: 6,
			ByAge: []Count{{"0–5", 2}, {"6–10", 1}, {"11–20", 2}, {">20", 1}},
		},
		Notes: []string{"Policy complaints/legacy not found: 1 case judged in UTC with a Monday-to-Friday week."},
	}
	got := february()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("February report (-want +got):\n%s", diff)
	}
	// Instants are shown in their case's zone.
	if z, _ := got.Breaches[3].Due.Zone(); z != "CST" {
		t.Errorf("S4's due time is in zone %s, want CST", z)
	}
}

// TestPeriodIsJudgedInEachPolicysZone: a date means the day in the case's
// Policy zone, so the same UTC instant can fall on different dates in
// different cases, and the dates given to Build count, not their instants.
func TestPeriodIsJudgedInEachPolicysZone(t *testing.T) {
	cs, ps := historyComplaints(), historyPolicies()
	received := func(from, to time.Time) []string {
		r := Build(cs, ps, from, to)
		var names []string
		for _, c := range cs {
			one := Build([]v1.Complaint{c}, ps, from, to)
			if one.Received.Total == 1 {
				names = append(names, c.Namespace+"/"+c.Name)
			}
		}
		if len(names) != r.Received.Total {
			t.Errorf("%s..%s: %d received, but %d one by one", from, to, r.Received.Total, len(names))
		}
		return names
	}
	for _, tc := range []struct {
		from, to time.Time
		want     []string
	}{
		// S1 came at 17:30 UTC on 31 Jan, which is 1 Feb in Shanghai.
		{date("2026-01-31"), date("2026-01-31"), nil},
		{date("2026-02-01"), date("2026-02-01"), []string{"school/c-0101"}},
		// S3 came at 16:30 UTC on 28 Feb, which is 1 Mar in Shanghai.
		{date("2026-02-28"), date("2026-02-28"), nil},
		{date("2026-03-01"), date("2026-03-01"), []string{"school/c-0103"}},
		// Only the dates of from and to count, whatever their zone.
		{shanghai("2026-03-01 00:00:00"), in("America/Los_Angeles", "2026-03-01 23:59:00"), []string{"school/c-0103"}},
		{date("2026-01-01"), date("2026-01-31"), []string{"complaints/c-0005"}},
	} {
		got := received(tc.from, tc.to)
		if !cmp.Equal(got, tc.want) {
			t.Errorf("received %s..%s = %v, want %v", tc.from.Format(time.DateOnly), tc.to.Format(time.DateOnly), got, tc.want)
		}
	}
}

// TestMarch checks the cases February left behind land in March: 2 and S4
// close, 3's window and S3's acknowledgement.
func TestMarch(t *testing.T) {
	r := Build(historyComplaints(), historyPolicies(), date("2026-03-01"), date("2026-03-31"))
	if r.Received.Total != 1 || r.Outcomes.Closed != 2 {
		t.Errorf("received %d, closed %d; want 1 (S3), 2 (2 and S4)", r.Received.Total, r.Outcomes.Closed)
	}
	if want := []Count{{"Upheld", 1}, {"PartlyUpheld", 0}, {"NotUpheld", 1}, {"Withdrawn", 0}}; !cmp.Equal(r.Outcomes.ByOutcome, want) {
		t.Errorf("outcomes %v, want %v", r.Outcomes.ByOutcome, want)
	}
	ackT, respT := r.Timeliness[0], r.Timeliness[1]
	// S3's acknowledgement breached on 2 Mar; S4's extended respond met 6 Mar.
	if ackT.Due != 1 || ackT.Breached != 1 || ackT.Timed != 0 || ackT.MedianWorkingDays != nil || *ackT.OnTimePercent != 0 {
		t.Errorf("acknowledge %+v", ackT)
	}
	// S4 took 11 working days: 14, 24–28 Feb (14 and 28 are make-up
	// Saturdays, 16–23 the holiday) and 2–6 Mar.
	if respT.Due != 1 || respT.OnTime != 1 || respT.Extended != 1 || *respT.MedianWorkingDays != 11 || *respT.P90WorkingDays != 11 {
		t.Errorf("respond %+v", respT)
	}
	if len(r.Breaches) != 1 || r.Breaches[0].Reference != "SCH-2026-000003" {
		t.Errorf("breaches %+v", r.Breaches)
	}
	if r.Open.Total != 5 { // 3 (window open), 5, 7, 8 and S3
		t.Errorf("open at 31 Mar: %d, want 5", r.Open.Total)
	}
}

func TestEmpty(t *testing.T) {
	r := Build(nil, nil, date("2026-02-01"), date("2026-02-28"))
	if r.Received.Total != 0 || len(r.Received.ByChannel) != 6 || len(r.Outcomes.ByOutcome) != 4 || len(r.Open.ByAge) != 4 {
		t.Errorf("empty report %+v", r)
	}
	for _, tm := range r.Timeliness {
		if tm.OnTimePercent != nil || tm.MedianWorkingDays != nil || tm.P90WorkingDays != nil {
			t.Errorf("%s: figures of nothing: %+v", tm.Deadline, tm)
		}
	}
}

func TestMedianAndPercentile(t *testing.T) {
	for _, tc := range []struct {
		days        []int
		median      float64
		p90, p50    int
		description string
	}{
		{[]int{5}, 5, 5, 5, "one value"},
		{[]int{3, 1}, 2, 3, 1, "even count: mean of the middle two; nearest rank"},
		{[]int{0, 1, 1, 1, 1, 1, 2, 3, 3}, 1, 3, 1, "February acknowledgements"},
		{[]int{13, 9, 4, 13, 7, 6, 9}, 9, 13, 9, "February responses"},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 10.5, 18, 10, "twenty: the 18th is the 90th percentile"},
	} {
		if got := Median(tc.days); got != tc.median {
			t.Errorf("%s: median %v, want %v", tc.description, got, tc.median)
		}
		if got := Percentile(tc.days, 90); got != tc.p90 {
			t.Errorf("%s: p90 %v, want %v", tc.description, got, tc.p90)
		}
		if got := Percentile(tc.days, 50); got != tc.p50 {
			t.Errorf("%s: p50 %v, want %v", tc.description, got, tc.p50)
		}
	}
}

func TestIsLesson(t *testing.T) {
	for s, want := range map[string]bool{
		"Lesson: rota": true, "  lesson learnt": true, "LESSONS": true, "Lessen the backlog": false,
		"A lesson": false, "": false, "Les": false,
	} {
		if got := IsLesson(s); got != want {
			t.Errorf("IsLesson(%q) = %v", s, got)
		}
	}
}
