package report

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/procedure"
)

// The fixed case history: two organisations, February 2026.
//
// "complaints/standard" is a London charity: Monday to Friday, two stages
// (informal: acknowledge in 2 working days, respond in 10, extendable to 20,
// escalate within 10; formal, final: acknowledge in 5, respond in 20).
//
// "school/school" is a Shanghai school: one stage (acknowledge in 1 working
// day, respond in 7, extendable to 15), with the 2026 Spring Festival: 16–20
// and 23 February are holidays, Saturdays 14 and 28 February are make-up
// working days.
//
// Statuses are written out as the controller writes them at historyNow;
// TestHistoryIsWhatTheControllerWrites replays every case log through the
// controller's state machine (internal/lifecycle) and checks they agree.

var historyNow = ts("2026-03-10T12:00:00Z")

func ts(s string) metav1.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return metav1.NewTime(t.UTC())
}

func tsp(s string) *metav1.Time { t := ts(s); return &t }

func dl(name v1.DeadlineName, stage, started, due string, state v1.DeadlineState, met string) v1.Deadline {
	d := v1.Deadline{Name: name, Stage: stage, StartedAt: ts(started), Due: ts(due), State: state, PolicyGeneration: 1}
	if met != "" {
		d.MetAt = tsp(met)
	}
	return d
}

func extended(d v1.Deadline) v1.Deadline { d.Extended = true; return d }

func act(id string, typ v1.ActionType, at, by string) v1.Action {
	return v1.Action{ID: id, Type: typ, At: ts(at), By: by}
}

func respond(id, at, by string, outcome v1.Outcome, summary string, remedies ...string) v1.Action {
	a := act(id, v1.ActionRespond, at, by)
	a.Outcome, a.Summary, a.Remedies = outcome, summary, remedies
	return a
}

func note(id, at, by, summary string) v1.Action {
	a := act(id, v1.ActionNote, at, by)
	a.Summary = summary
	return a
}

func extend(id, at, by, until, reason string) v1.Action {
	a := act(id, v1.ActionExtend, at, by)
	a.Until, a.Reason = v1.DateString(until), reason
	return a
}

const (
	ack     = v1.DeadlineAcknowledge
	resp    = v1.DeadlineRespond
	window  = v1.DeadlineEscalationWindow
	met     = v1.DeadlineMet
	breach  = v1.DeadlineBreached
	pending = v1.DeadlinePending
	waived  = v1.DeadlineWaived
)

func historyPolicies() map[string]*v1.Policy {
	standard := &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Namespace: "complaints", Name: "standard", Generation: 1},
		Spec: v1.PolicySpec{
			ReferencePrefix: "MKACT",
			Calendar:        v1.Calendar{TimeZone: "Europe/London", Holidays: []v1.DateString{"2026-12-25", "2026-12-28"}},
			Stages: []v1.Stage{
				{Name: "informal", Owner: "Team Leader", AlternateOwner: "Head of Service", AcknowledgeWithin: "2 working days",
					RespondWithin: "10 working days", ExtendUpTo: "20 working days", EscalateWithin: "10 working days"},
				{Name: "formal", Owner: "Head of Service", AlternateOwner: "Trustees", AcknowledgeWithin: "5 working days",
					RespondWithin: "20 working days", ExternalRoutes: []string{"Local Government Ombudsman"}},
			},
		},
	}
	school := &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Namespace: "school", Name: "school", Generation: 1},
		Spec: v1.PolicySpec{
			ReferencePrefix: "SCH",
			Language:        "zh",
			Calendar: v1.Calendar{
				TimeZone:         "Asia/Shanghai",
				Holidays:         []v1.DateString{"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23"},
				ExtraWorkingDays: []v1.DateString{"2026-02-14", "2026-02-28"},
			},
			Stages: []v1.Stage{
				{Name: "office", Owner: "校长办公室", AcknowledgeWithin: "1 working day", RespondWithin: "7 working days",
					ExtendUpTo: "15 working days", ExternalRoutes: []string{"区教育局"}},
			},
		},
	}
	return map[string]*v1.Policy{"complaints/standard": standard, "school/school": school}
}

func complaint(ns, name, policy, received string, channel v1.Channel, category string, severity v1.Severity, actions ...v1.Action) v1.Complaint {
	return v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, CreationTimestamp: ts(received)},
		Spec: v1.ComplaintSpec{
			PolicyName: policy, ReceivedAt: tsp(received), Channel: channel, Category: category, Severity: severity,
			Summary: "a summary that never appears in a report", ComplainantSecretRef: nil, Actions: actions,
		},
	}
}

func historyComplaints() []v1.Complaint {
	var cs []v1.Complaint
	add := func(c v1.Complaint, st v1.ComplaintStatus) {
		st.ReceivedAt = c.Spec.ReceivedAt
		st.AppliedActions = int32(len(c.Spec.Actions))
		c.Status = st
		cs = append(cs, c)
	}

	// 1. Acknowledged and answered on time (Upheld, two remedies), a lesson
	// noted; no escalation, so it closes when the window runs out on 27 Feb.
	add(complaint("complaints", "c-0001", "standard", "2026-02-02T10:00:00Z", "Email", "staff-conduct", "Normal",
		act("1", v1.ActionAcknowledge, "2026-02-03T09:00:00Z", "alice"),
		v1.Action{ID: "2", Type: v1.ActionAssign, At: ts("2026-02-03T09:05:00Z"), By: "alice", Assignee: "bob"},
		respond("3", "2026-02-13T15:00:00Z", "bob", "Upheld", "We got it wrong", "Apology letter", "Staff training"),
		note("4", "2026-02-16T11:00:00Z", "alice", "Lesson: front desk rota reviewed"),
	), v1.ComplaintStatus{
		Reference: "MKACT-2026-000001", Stage: "informal", Phase: v1.PhaseClosed, Owner: "Team Leader", Assignee: "bob",
		Outcome: "Upheld", ClosedAt: tsp("2026-02-27T23:59:59Z"),
		Deadlines: []v1.Deadline{
			dl(ack, "informal", "2026-02-02T10:00:00Z", "2026-02-04T23:59:59Z", met, "2026-02-03T09:00:00Z"),
			dl(resp, "informal", "2026-02-02T10:00:00Z", "2026-02-16T23:59:59Z", met, "2026-02-13T15:00:00Z"),
			dl(window, "informal", "2026-02-13T15:00:00Z", "2026-02-27T23:59:59Z", waived, ""),
		},
	})

	// 2. A late acknowledgement (due Fri 6 Feb, done Mon 9 Feb); answered on
	// time; closes on 3 March, outside February.
	add(complaint("complaints", "c-0002", "standard", "2026-02-04T14:00:00Z", "Phone", "billing", "Minor",
		act("1", v1.ActionAcknowledge, "2026-02-09T10:00:00Z", "alice"),
		respond("2", "2026-02-17T11:00:00Z", "bob", "NotUpheld", "No fault found"),
	), v1.ComplaintStatus{
		Reference: "MKACT-2026-000002", Stage: "informal", Phase: v1.PhaseClosed, Owner: "Team Leader",
		Outcome: "NotUpheld", ClosedAt: tsp("2026-03-03T23:59:59Z"),
		Deadlines: []v1.Deadline{
			dl(ack, "informal", "2026-02-04T14:00:00Z", "2026-02-06T23:59:59Z", breach, "2026-02-09T10:00:00Z"),
			dl(resp, "informal", "2026-02-04T14:00:00Z", "2026-02-18T23:59:59Z", met, "2026-02-17T11:00:00Z"),
			dl(window, "informal", "2026-02-17T11:00:00Z", "2026-03-03T23:59:59Z", waived, ""),
		},
	})

	// 3. The Team Leader is named in it, so the Head of Service owns it; the
	// respond deadline is extended (23 Feb -> 6 Mar) and met on 26 Feb; the
	// escalation window is still open.
	c3 := complaint("complaints", "c-0003", "standard", "2026-02-09T09:30:00Z", "WebForm", "staff-conduct", "Serious",
		act("1", v1.ActionAcknowledge, "2026-02-09T16:00:00Z", "alice"),
		v1.Action{ID: "2", Type: v1.ActionAssign, At: ts("2026-02-10T09:00:00Z"), By: "alice", Assignee: "carol"},
		extend("3", "2026-02-19T10:00:00Z", "carol", "2026-03-06", "Witness on leave"),
		respond("4", "2026-02-26T15:00:00Z", "carol", "PartlyUpheld", "Partly our fault", "Apology letter", "Refund of fees"),
	)
	c3.Spec.PeopleInvolved = []string{"Team Leader"}
	add(c3, v1.ComplaintStatus{
		Reference: "MKACT-2026-000003", Stage: "informal", Phase: v1.PhaseResponded, Owner: "Head of Service", Assignee: "carol",
		Outcome: "PartlyUpheld",
		Deadlines: []v1.Deadline{
			dl(ack, "informal", "2026-02-09T09:30:00Z", "2026-02-11T23:59:59Z", met, "2026-02-09T16:00:00Z"),
			extended(dl(resp, "informal", "2026-02-09T09:30:00Z", "2026-03-06T23:59:59Z", met, "2026-02-26T15:00:00Z")),
			dl(window, "informal", "2026-02-26T15:00:00Z", "2026-03-12T23:59:59Z", pending, ""),
		},
	})

	// 4. Withdrawn on 20 Feb; its respond deadline is waived.
	add(complaint("complaints", "c-0004", "standard", "2026-02-10T11:00:00Z", "Letter", "facilities", "Normal",
		act("1", v1.ActionAcknowledge, "2026-02-11T09:00:00Z", "alice"),
		v1.Action{ID: "2", Type: v1.ActionWithdraw, At: ts("2026-02-20T12:00:00Z"), By: "complainant", Reason: "Resolved informally"},
	), v1.ComplaintStatus{
		Reference: "MKACT-2026-000004", Stage: "informal", Phase: v1.PhaseWithdrawn, Owner: "Team Leader",
		ClosedAt: tsp("2026-02-20T12:00:00Z"),
		Deadlines: []v1.Deadline{
			dl(ack, "informal", "2026-02-10T11:00:00Z", "2026-02-12T23:59:59Z", met, "2026-02-11T09:00:00Z"),
			dl(resp, "informal", "2026-02-10T11:00:00Z", "2026-02-24T23:59:59Z", waived, ""),
		},
	})

	// 5. Received in January; its respond deadline breached on 2 Feb and it
	// still has no answer; an extension asked for after the breach was
	// refused; a January lesson (outside the period).
	add(complaint("complaints", "c-0005", "standard", "2026-01-19T09:00:00Z", "Email", "billing", "Normal",
		act("1", v1.ActionAcknowledge, "2026-01-20T10:00:00Z", "alice"),
		v1.Action{ID: "2", Type: v1.ActionAssign, At: ts("2026-01-20T10:05:00Z"), By: "alice", Assignee: "bob"},
		note("3", "2026-01-21T09:00:00Z", "bob", "Lesson: check direct debits before replying"),
		extend("4", "2026-02-05T09:00:00Z", "bob", "2026-02-20", "Awaiting the bank's statement"),
	), v1.ComplaintStatus{
		Reference: "MKACT-2026-000005", Stage: "informal", Phase: v1.PhaseInvestigating, Owner: "Team Leader", Assignee: "bob",
		Deadlines: []v1.Deadline{
			dl(ack, "informal", "2026-01-19T09:00:00Z", "2026-01-21T23:59:59Z", met, "2026-01-20T10:00:00Z"),
			dl(resp, "informal", "2026-01-19T09:00:00Z", "2026-02-02T23:59:59Z", breach, ""),
		},
		RejectedActions: []v1.RejectedAction{{ID: "4", Type: v1.ActionExtend, Reason: "NothingToExtend", Message: "stage informal has no running respond deadline"}},
	})

	// 6. Acknowledged late at the informal stage, answered NotUpheld,
	// escalated, acknowledged on time at the formal stage and upheld there
	// (the last response decides the outcome); closed 27 Feb; a lesson.
	add(complaint("complaints", "c-0006", "standard", "2026-02-02T12:00:00Z", "InPerson", "staff-conduct", "Normal",
		act("1", v1.ActionAcknowledge, "2026-02-05T10:00:00Z", "alice"),
		respond("2", "2026-02-06T10:00:00Z", "bob", "NotUpheld", "Procedure followed"),
		v1.Action{ID: "3", Type: v1.ActionEscalate, At: ts("2026-02-10T09:00:00Z"), By: "complainant", Reason: "Disputes the finding"},
		act("4", v1.ActionAcknowledge, "2026-02-11T09:00:00Z", "dave"),
		respond("5", "2026-02-27T14:00:00Z", "dave", "Upheld", "On review, upheld", "apology letter ", "Compensation (£50)"),
		note("6", "2026-02-27T15:00:00Z", "dave", "lessons learnt: explain decisions in writing"),
	), v1.ComplaintStatus{
		Reference: "MKACT-2026-000006", Stage: "formal", Phase: v1.PhaseClosed, Owner: "Head of Service",
		Outcome: "Upheld", ClosedAt: tsp("2026-02-27T14:00:00Z"), ExternalRoutes: []string{"Local Government Ombudsman"},
		Deadlines: []v1.Deadline{
			dl(ack, "informal", "2026-02-02T12:00:00Z", "2026-02-04T23:59:59Z", breach, "2026-02-05T10:00:00Z"),
			dl(resp, "informal", "2026-02-02T12:00:00Z", "2026-02-16T23:59:59Z", met, "2026-02-06T10:00:00Z"),
			dl(window, "informal", "2026-02-06T10:00:00Z", "2026-02-20T23:59:59Z", met, "2026-02-10T09:00:00Z"),
			dl(ack, "formal", "2026-02-10T09:00:00Z", "2026-02-17T23:59:59Z", met, "2026-02-11T09:00:00Z"),
			dl(resp, "formal", "2026-02-10T09:00:00Z", "2026-03-10T23:59:59Z", met, "2026-02-27T14:00:00Z"),
		},
	})

	// 7. No category; the Team Leader is named (in lower case), so the Head
	// of Service owns it; a response before any acknowledgement is rejected
	// (its remedy does not count); the acknowledgement breached on 27 Feb.
	c7 := complaint("complaints", "c-0007", "standard", "2026-02-25T10:00:00Z", "ComplaintBox", "", "Minor",
		respond("1", "2026-02-26T10:00:00Z", "erin", "NotUpheld", "Nothing to answer", "Free parking"),
		note("2", "2026-02-26T10:30:00Z", "erin", "Called the complainant back"),
	)
	c7.Spec.PeopleInvolved = []string{"team leader"}
	add(c7, v1.ComplaintStatus{
		Reference: "MKACT-2026-000007", Stage: "informal", Phase: v1.PhaseReceived, Owner: "Head of Service",
		Deadlines: []v1.Deadline{
			dl(ack, "informal", "2026-02-25T10:00:00Z", "2026-02-27T23:59:59Z", breach, ""),
			dl(resp, "informal", "2026-02-25T10:00:00Z", "2026-03-11T23:59:59Z", pending, ""),
		},
		RejectedActions: []v1.RejectedAction{{ID: "1", Type: v1.ActionRespond, Reason: "NotAcknowledged", Message: "stage informal must acknowledge the complaint before responding"}},
	})

	// 8. Its Policy does not exist: the case waits unscheduled, and the
	// report judges it in UTC, Monday to Friday.
	c8 := complaint("complaints", "c-legacy", "legacy", "2026-02-20T10:00:00Z", "WebForm", "other", "Normal")
	c8.Status = v1.ComplaintStatus{Conditions: []metav1.Condition{{Type: v1.ConditionPolicyResolved, Status: metav1.ConditionFalse, Reason: v1.ReasonPolicyNotFound}}}
	cs = append(cs, c8)

	// S1. Received at 01:30 on Sunday 1 Feb in Shanghai (17:30 UTC on
	// 31 Jan): a February case there. Answered on time, closed 10 Feb.
	add(complaint("school", "c-0101", "school", "2026-02-01T01:30:00+08:00", "WebForm", "teaching", "Normal",
		act("1", v1.ActionAcknowledge, "2026-02-02T09:00:00+08:00", "wang.li"),
		respond("2", "2026-02-10T16:00:00+08:00", "wang.li", "PartlyUpheld", "已调整", "Apology letter", "调整课程安排"),
	), v1.ComplaintStatus{
		Reference: "SCH-2026-000001", Stage: "office", Phase: v1.PhaseClosed, Owner: "校长办公室",
		Outcome: "PartlyUpheld", ClosedAt: tsp("2026-02-10T16:00:00+08:00"), ExternalRoutes: []string{"区教育局"},
		Deadlines: []v1.Deadline{
			dl(ack, "office", "2026-02-01T01:30:00+08:00", "2026-02-02T23:59:59+08:00", met, "2026-02-02T09:00:00+08:00"),
			dl(resp, "office", "2026-02-01T01:30:00+08:00", "2026-02-10T23:59:59+08:00", met, "2026-02-10T16:00:00+08:00"),
		},
	})

	// S2. Across the Spring Festival: 7 working days from Thu 12 Feb end on
	// Sat 28 Feb (a make-up day); answered on Fri 27 Feb after 6 of them.
	add(complaint("school", "c-0102", "school", "2026-02-12T10:00:00+08:00", "Phone", "facilities", "Normal",
		act("1", v1.ActionAcknowledge, "2026-02-13T11:00:00+08:00", "wang.li"),
		respond("2", "2026-02-27T15:00:00+08:00", "wang.li", "NotUpheld", "电梯已按期维护"),
		note("3", "2026-02-27T16:00:00+08:00", "wang.li", "LESSON: 维修报告须在三天内完成"),
	), v1.ComplaintStatus{
		Reference: "SCH-2026-000002", Stage: "office", Phase: v1.PhaseClosed, Owner: "校长办公室",
		Outcome: "NotUpheld", ClosedAt: tsp("2026-02-27T15:00:00+08:00"), ExternalRoutes: []string{"区教育局"},
		Deadlines: []v1.Deadline{
			dl(ack, "office", "2026-02-12T10:00:00+08:00", "2026-02-13T23:59:59+08:00", met, "2026-02-13T11:00:00+08:00"),
			dl(resp, "office", "2026-02-12T10:00:00+08:00", "2026-02-28T23:59:59+08:00", met, "2026-02-27T15:00:00+08:00"),
		},
	})

	// S3. Received at 00:30 on 1 March in Shanghai (16:30 UTC on 28 Feb):
	// a March case there, not a February one.
	add(complaint("school", "c-0103", "school", "2026-03-01T00:30:00+08:00", "Email", "teaching", "Serious"),
		v1.ComplaintStatus{
			Reference: "SCH-2026-000003", Stage: "office", Phase: v1.PhaseReceived, Owner: "校长办公室",
			Deadlines: []v1.Deadline{
				dl(ack, "office", "2026-03-01T00:30:00+08:00", "2026-03-02T23:59:59+08:00", breach, ""),
				dl(resp, "office", "2026-03-01T00:30:00+08:00", "2026-03-10T23:59:59+08:00", pending, ""),
			},
		})

	// S4. Received Fri 13 Feb: one working day is Sat 14 Feb (a make-up
	// day), so the acknowledgement after the holiday (Tue 24 Feb) is late;
	// extended, and answered in March.
	add(complaint("school", "c-0104", "school", "2026-02-13T09:00:00+08:00", "Letter", "safety", "Serious",
		act("1", v1.ActionAcknowledge, "2026-02-24T09:30:00+08:00", "zhao.min"),
		extend("2", "2026-02-25T10:00:00+08:00", "zhao.min", "2026-03-09", "等待监控录像"),
		respond("3", "2026-03-06T16:00:00+08:00", "zhao.min", "Upheld", "已加装护栏", "加装护栏"),
	), v1.ComplaintStatus{
		Reference: "SCH-2026-000004", Stage: "office", Phase: v1.PhaseClosed, Owner: "校长办公室",
		Outcome: "Upheld", ClosedAt: tsp("2026-03-06T16:00:00+08:00"), ExternalRoutes: []string{"区教育局"},
		Deadlines: []v1.Deadline{
			dl(ack, "office", "2026-02-13T09:00:00+08:00", "2026-02-14T23:59:59+08:00", breach, "2026-02-24T09:30:00+08:00"),
			extended(dl(resp, "office", "2026-02-13T09:00:00+08:00", "2026-03-09T23:59:59+08:00", met, "2026-03-06T16:00:00+08:00")),
		},
	})
	return cs
}

// TestHistoryIsWhatTheControllerWrites replays each case log of the fixed
// history through the controller's state machine at historyNow and checks
// the statuses written out above agree with it, so the report is tested
// against statuses the controller really writes.
func TestHistoryIsWhatTheControllerWrites(t *testing.T) {
	policies := historyPolicies()
	for _, c := range historyComplaints() {
		p := policies[c.Namespace+"/"+c.Spec.PolicyName]
		if p == nil {
			continue
		}
		proc, err := procedure.Compile(p)
		if err != nil {
			t.Fatalf("policy %s: %v", p.Name, err)
		}
		got := lifecycle.Evaluate(lifecycle.Input{
			Procedure: proc, Spec: &c.Spec, UID: string(c.Name), Generation: 1,
			CreatedAt: c.Spec.ReceivedAt.Time, Now: historyNow.Time,
		}).Status
		want := c.Status
		where := c.Namespace + "/" + c.Name
		if got.Stage != want.Stage || got.Phase != want.Phase || got.Owner != want.Owner || got.Outcome != want.Outcome ||
			got.AppliedActions != want.AppliedActions || !sameTime(got.ClosedAt, want.ClosedAt) || !sameTime(got.ReceivedAt, want.ReceivedAt) {
			t.Errorf("%s: controller writes stage %s phase %s owner %s outcome %q applied %d closedAt %v receivedAt %v; fixture has %s %s %s %q %d %v %v",
				where, got.Stage, got.Phase, got.Owner, got.Outcome, got.AppliedActions, got.ClosedAt, got.ReceivedAt,
				want.Stage, want.Phase, want.Owner, want.Outcome, want.AppliedActions, want.ClosedAt, want.ReceivedAt)
		}
		if len(got.Deadlines) != len(want.Deadlines) {
			t.Errorf("%s: controller writes %d deadlines, fixture has %d:\n%s", where, len(got.Deadlines), len(want.Deadlines), deadlines(got.Deadlines))
			continue
		}
		for i, g := range got.Deadlines {
			w := want.Deadlines[i]
			if g.Name != w.Name || g.Stage != w.Stage || !g.StartedAt.Equal(&w.StartedAt) || !g.Due.Equal(&w.Due) ||
				g.State != w.State || !sameTime(g.MetAt, w.MetAt) || g.Extended != w.Extended {
				t.Errorf("%s: deadline %d: controller writes\n%s fixture has\n%s", where, i, deadlines(got.Deadlines[i:i+1]), deadlines(want.Deadlines[i:i+1]))
			}
		}
		if len(got.RejectedActions) != len(want.RejectedActions) {
			t.Errorf("%s: rejected %+v, fixture has %+v", where, got.RejectedActions, want.RejectedActions)
			continue
		}
		for i, g := range got.RejectedActions {
			if w := want.RejectedActions[i]; g.ID != w.ID || g.Type != w.Type || g.Reason != w.Reason {
				t.Errorf("%s: rejected %+v, fixture has %+v", where, g, w)
			}
		}
	}
}

func sameTime(a, b *metav1.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(b)
}

func deadlines(ds []v1.Deadline) string {
	var s string
	for _, d := range ds {
		met := "-"
		if d.MetAt != nil {
			met = d.MetAt.UTC().Format(time.RFC3339)
		}
		s += "  " + string(d.Name) + " " + d.Stage + " started " + d.StartedAt.UTC().Format(time.RFC3339) + " due " +
			d.Due.UTC().Format(time.RFC3339) + " " + string(d.State) + " met " + met
		if d.Extended {
			s += " extended"
		}
		s += "\n"
	}
	return s
}
