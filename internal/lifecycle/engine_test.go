package lifecycle_test

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/procedure"
)

const (
	T = metav1.ConditionTrue
	F = metav1.ConditionFalse
)

// A case walks every stage of the charity's procedure over eleven weeks,
// across Christmas and New Year bank holidays.
func TestCaseThroughEveryStage(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r.expectPhase(v1.PhaseReceived)
	if r.status.Stage != "informal" || r.status.Owner != "Team Leader" || r.status.ReceivedAt == nil {
		t.Fatalf("start: %+v", r.status)
	}
	r.expectDue(v1.DeadlineRespond, "informal", "2026-12-04T23:59:59Z")
	r.expectCondition(v1.ConditionAcknowledged, F, "AwaitingAcknowledgement")
	r.expectCondition(v1.ConditionClosed, F, "Open")
	r.expectCondition(v1.ConditionPolicyResolved, T, v1.ReasonResolved)
	if r.countEvents("Received") != 1 {
		t.Fatalf("events: %+v", r.events)
	}

	r.to("2026-11-23T09:00:00Z").do(v1.Action{Type: v1.ActionAssign, Assignee: "bob"})
	if r.status.Assignee != "bob" {
		t.Errorf("assignee %q", r.status.Assignee)
	}
	// The informal stage needs no acknowledgement, so it may answer at once.
	r.to("2026-12-03T10:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeUpheld, Summary: "Sorry"})
	r.expectPhase(v1.PhaseResponded)
	r.expectState(v1.DeadlineRespond, "informal", v1.DeadlineMet)
	r.expectDue(v1.DeadlineEscalationWindow, "informal", "2026-12-17T23:59:59Z")

	r.to("2026-12-10T11:00:00Z").do(v1.Action{Type: v1.ActionEscalate, By: "complainant", Reason: "Not enough"})
	r.expectState(v1.DeadlineEscalationWindow, "informal", v1.DeadlineMet)
	if r.status.Stage != "formal" || r.status.Owner != "Head of Service" || r.status.Outcome != "" {
		t.Fatalf("after escalation: %+v", r.status)
	}
	r.expectDue(v1.DeadlineAcknowledge, "formal", "2026-12-17T23:59:59Z")
	r.expectDue(v1.DeadlineRespond, "formal", "2026-12-24T23:59:59Z")

	r.do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeUpheld, Summary: "x"})
	r.expectRejected("NotAcknowledged")
	r.to("2026-12-11T09:00:00Z").do(v1.Action{Type: v1.ActionAcknowledge})
	r.expectState(v1.DeadlineAcknowledge, "formal", v1.DeadlineMet)
	r.expectCondition(v1.ConditionAcknowledged, T, "Acknowledged")
	r.expectPhase(v1.PhaseInvestigating)
	r.do(v1.Action{Type: v1.ActionAcknowledge})
	r.expectRejected("AlreadyAcknowledged")

	// Extensions: the cap is 20 working days from stage entry, past two
	// Christmas holidays and New Year's Day: 12 January 2027.
	r.do(v1.Action{Type: v1.ActionExtend, Until: "2027-01-13", Reason: "Witness on leave"})
	r.expectRejected("BeyondExtensionLimit")
	r.do(v1.Action{Type: v1.ActionExtend, Until: "2026-12-23", Reason: "Sooner?"})
	r.expectRejected("NotAnExtension")
	r.do(v1.Action{Type: v1.ActionExtend, Until: "2027-01-12", Reason: "Witness on leave"})
	r.expectDue(v1.DeadlineRespond, "formal", "2027-01-12T23:59:59Z")
	if !r.deadline(v1.DeadlineRespond, "formal").Extended || r.countEvents("Extended") != 1 {
		t.Error("extension not recorded")
	}

	r.to("2026-12-14T09:00:00Z").do(v1.Action{Type: v1.ActionRequestInformation, Message: "Which day?"})
	r.expectPhase(v1.PhaseAwaitingComplainant)
	r.expectState(v1.DeadlineRespond, "formal", v1.DeadlinePending) // this policy does not pause
	r.do(v1.Action{Type: v1.ActionRequestInformation, Message: "Again?"})
	r.expectRejected("AlreadyAwaitingComplainant")
	r.to("2026-12-16T09:00:00Z").do(v1.Action{Type: v1.ActionInformationReceived})
	r.expectPhase(v1.PhaseInvestigating)
	r.do(v1.Action{Type: v1.ActionInformationReceived})
	r.expectRejected("NotAwaitingComplainant")

	r.to("2027-01-11T15:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeNotUpheld, Summary: "No"})
	r.expectState(v1.DeadlineRespond, "formal", v1.DeadlineMet)
	r.expectDue(v1.DeadlineEscalationWindow, "formal", "2027-01-25T23:59:59Z")
	r.do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeNotUpheld, Summary: "No"})
	r.expectRejected("AlreadyResponded")

	r.to("2027-01-20T10:00:00Z").do(v1.Action{Type: v1.ActionEscalate, By: "complainant"})
	if r.status.Stage != "appeal" || r.status.Owner != "Board" {
		t.Fatalf("appeal: %+v", r.status)
	}
	r.expectDue(v1.DeadlineAcknowledge, "appeal", "2027-01-27T23:59:59Z")
	// respondFrom: acknowledgement — no respond clock until the appeal is acknowledged.
	for _, d := range r.status.Deadlines {
		if d.Stage == "appeal" && d.Name == v1.DeadlineRespond {
			t.Fatal("respond clock started before the acknowledgement")
		}
	}
	r.to("2027-01-21T10:00:00Z").do(v1.Action{Type: v1.ActionAcknowledge})
	r.expectDue(v1.DeadlineRespond, "appeal", "2027-02-05T23:59:59Z")
	r.do(v1.Action{Type: v1.ActionEscalate, By: "complainant"})
	r.expectRejected("FinalStage")

	r.to("2027-02-01T10:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomePartlyUpheld, Summary: "Board decision", Remedies: []string{"Apology"}})
	r.expectPhase(v1.PhaseClosed)
	r.expectCondition(v1.ConditionClosed, T, "FinalResponse")
	if len(r.status.ExternalRoutes) != 2 || r.status.ClosedAt == nil || r.status.Outcome != v1.OutcomePartlyUpheld {
		t.Fatalf("closed: %+v", r.status)
	}
	r.expectDue(v1.DeadlineFollowUp, "appeal", "2027-02-08T23:59:59Z")
	if r.status.NextDeadline == nil || r.status.NextDeadline.Name != v1.DeadlineFollowUp {
		t.Errorf("next deadline %+v", r.status.NextDeadline)
	}
	r.do(v1.Action{Type: v1.ActionAssign, Assignee: "dave"})
	r.expectRejected("CaseClosed")
	r.to("2027-02-04T10:00:00Z").do(v1.Action{Type: v1.ActionFollowUp, Satisfied: ptrTo(true), Summary: "Happy"})
	r.expectState(v1.DeadlineFollowUp, "appeal", v1.DeadlineMet)
	r.do(v1.Action{Type: v1.ActionNote, Summary: "Lesson: train the front desk"})
	if n := len(r.status.RejectedActions); n != 9 {
		t.Errorf("%d rejected entries, want 9: %+v", n, r.status.RejectedActions)
	}
	if int(r.status.AppliedActions) != len(r.spec.Actions) {
		t.Errorf("applied %d of %d", r.status.AppliedActions, len(r.spec.Actions))
	}
	for reason, want := range map[string]int{"Received": 1, "StageAdvanced": 2, "Responded": 3, "Closed": 1, "DeadlineBreached": 0, "ActionRejected": 9, "Acknowledged": 2} {
		if got := r.countEvents(reason); got != want {
			t.Errorf("%d %s events, want %d", got, reason, want)
		}
	}
	r.expectCondition(v1.ConditionDeadlineBreached, F, v1.ReasonOnTrack)
}

// Nothing done: a warning then a breach per deadline, each exactly once, and
// the breach stays recorded when the work is finally done.
func TestWarningsAndBreachesAreRaisedOnce(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z", func(s *v1.ComplaintSpec) { s.StartStage = "formal" })
	r.expectDue(v1.DeadlineAcknowledge, "formal", "2026-11-27T23:59:59Z")
	r.expectDue(v1.DeadlineRespond, "formal", "2026-12-04T23:59:59Z")
	// 20% of the 7d 7h29m59s acknowledge span before it is due.
	if want := ts("2026-11-26T12:53:59Z"); !r.last.WakeAt.Equal(want) {
		t.Fatalf("wake at %s, want the acknowledge warning at %s", r.last.WakeAt, want)
	}

	r.to("2026-11-26T12:00:00Z")
	r.expectCondition(v1.ConditionDeadlineApproaching, F, v1.ReasonOnTrack)
	r.to("2026-11-26T12:53:59Z")
	r.expectCondition(v1.ConditionDeadlineApproaching, T, "Approaching")
	r.to("2026-11-27T23:59:59Z")
	if r.countEvents("DeadlineApproaching") != 1 || r.countEvents("DeadlineBreached") != 0 {
		t.Fatalf("events: %+v", r.events)
	}
	if want := ts("2026-11-27T23:59:59.001Z"); !r.last.WakeAt.Equal(want) {
		t.Fatalf("wake at %s, want just after the due time", r.last.WakeAt)
	}
	r.to("2026-11-28T00:00:00Z")
	r.expectState(v1.DeadlineAcknowledge, "formal", v1.DeadlineBreached)
	r.expectCondition(v1.ConditionDeadlineBreached, T, "Breached")
	r.to("2026-11-28T00:00:01Z").to("2026-11-30T09:00:00Z")
	if r.countEvents("DeadlineBreached") != 1 {
		t.Fatalf("breach raised %d times", r.countEvents("DeadlineBreached"))
	}
	r.to("2026-12-10T09:00:00Z")
	r.expectState(v1.DeadlineRespond, "formal", v1.DeadlineBreached)
	// The respond deadline breached unseen by a warning: none is raised late.
	if r.countEvents("DeadlineBreached") != 2 || r.countEvents("DeadlineApproaching") != 1 {
		t.Fatalf("events: %+v", r.events)
	}
	actions := map[string]bool{}
	for _, e := range r.events {
		if e.Reason == "DeadlineBreached" {
			actions[e.Action] = true
		}
	}
	if len(actions) != 2 {
		t.Errorf("breach events must name their deadline in the action, or the events API folds them: %v", actions)
	}
	if !r.last.WakeAt.IsZero() || r.status.NextDeadline != nil {
		t.Errorf("nothing left to wait for, yet wake at %s, next %+v", r.last.WakeAt, r.status.NextDeadline)
	}

	r.do(v1.Action{Type: v1.ActionAcknowledge})
	r.expectState(v1.DeadlineAcknowledge, "formal", v1.DeadlineBreached)
	if r.deadline(v1.DeadlineAcknowledge, "formal").MetAt == nil {
		t.Error("metAt not set on a late acknowledgement")
	}
	r.expectCondition(v1.ConditionAcknowledged, T, "Acknowledged")
	r.expectCondition(v1.ConditionDeadlineBreached, T, "Breached")
}

func TestPauseWhileAwaitingComplainant(t *testing.T) {
	policy := charity()
	policy.Spec.PauseWhileAwaitingComplainant = true
	r := newRun(t, policy, "2026-11-23T09:00:00Z")
	r.expectDue(v1.DeadlineRespond, "informal", "2026-12-07T23:59:59Z")
	r.to("2026-11-25T10:00:00Z").do(v1.Action{Type: v1.ActionRequestInformation, Message: "Which day?"})
	r.expectState(v1.DeadlineRespond, "informal", v1.DeadlinePaused)
	if r.status.PausedAt == nil || r.status.NextDeadline != nil {
		t.Fatalf("paused: %+v", r.status)
	}
	// Long past the original due date, nothing breaches while paused.
	r.to("2026-12-10T12:00:00Z")
	r.expectState(v1.DeadlineRespond, "informal", v1.DeadlinePaused)
	// Eleven working days passed (26 Nov .. 10 Dec): the deadline moves by eleven.
	r.do(v1.Action{Type: v1.ActionInformationReceived})
	r.expectState(v1.DeadlineRespond, "informal", v1.DeadlinePending)
	r.expectDue(v1.DeadlineRespond, "informal", "2026-12-22T23:59:59Z")
	if r.status.PausedAt != nil || r.countEvents("DeadlineBreached") != 0 {
		t.Fatalf("resumed: %+v", r.status)
	}
}

func TestEscalationWindowRunsOutAndClosesTheCase(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r.to("2026-12-03T10:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeNotUpheld, Summary: "No"})
	r.to("2026-12-18T00:00:00Z")
	r.expectPhase(v1.PhaseClosed)
	r.expectState(v1.DeadlineEscalationWindow, "informal", v1.DeadlineWaived)
	r.expectCondition(v1.ConditionClosed, T, "EscalationWindowExpired")
	r.expectCondition(v1.ConditionDeadlineBreached, F, v1.ReasonOnTrack)
	if !r.status.ClosedAt.Time.Equal(ts("2026-12-17T23:59:59Z")) || len(r.status.ExternalRoutes) != 0 {
		t.Fatalf("closed: %+v", r.status)
	}
	// The follow-up clock starts when the window closed: 5 working days.
	r.expectDue(v1.DeadlineFollowUp, "informal", "2026-12-24T23:59:59Z")
	r.do(v1.Action{Type: v1.ActionEscalate, By: "complainant"})
	r.expectRejected("EscalationWindowClosed")
	// The follow-up itself can be missed: that is a breach.
	r.to("2026-12-29T09:00:00Z")
	r.expectState(v1.DeadlineFollowUp, "informal", v1.DeadlineBreached)
}

// An Escalate made after the window closed is judged at its own instant, even
// when it is recorded in the same evaluation as the window's end.
func TestEscalationAfterTheWindowIsRejected(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r.to("2026-12-03T10:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeNotUpheld, Summary: "No"})
	r.to("2026-12-21T09:00:00Z").do(v1.Action{Type: v1.ActionEscalate, By: "complainant"})
	r.expectRejected("EscalationWindowClosed")
	if r.status.Stage != "informal" {
		t.Fatalf("stage %s", r.status.Stage)
	}
	r2 := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r2.do(v1.Action{Type: v1.ActionEscalate, By: "complainant"})
	r2.expectRejected("NotResponded")
}

func TestWithdrawal(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r.to("2026-11-24T10:00:00Z").do(v1.Action{Type: v1.ActionWithdraw, By: "complainant", Reason: "Sorted"})
	r.expectPhase(v1.PhaseWithdrawn)
	r.expectState(v1.DeadlineRespond, "informal", v1.DeadlineWaived)
	r.expectCondition(v1.ConditionClosed, T, "Withdrawn")
	if r.countEvents("Withdrawn") != 1 || r.status.NextDeadline != nil {
		t.Fatalf("withdrawn: %+v", r.status)
	}
	r.to("2027-01-30T10:00:00Z")
	if r.countEvents("DeadlineBreached") != 0 {
		t.Fatal("a withdrawn case breached")
	}

	serious := newRun(t, charity(), "2026-11-20T16:30:00Z", func(s *v1.ComplaintSpec) { s.Severity = v1.SeveritySerious })
	serious.to("2026-11-24T10:00:00Z").do(v1.Action{Type: v1.ActionWithdraw, By: "complainant"})
	serious.expectPhase(v1.PhaseReceived)
	serious.expectCondition(v1.ConditionWithdrawalRequested, T, "SeriousCase")
	serious.expectState(v1.DeadlineRespond, "informal", v1.DeadlinePending)
	serious.to("2026-12-01T10:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeUpheld, Summary: "Investigated anyway"})
	serious.expectPhase(v1.PhaseResponded)
}

func TestConflictOfInterest(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z", func(s *v1.ComplaintSpec) { s.PeopleInvolved = []string{"team leader", "Carol"} })
	if r.status.Owner != "Head of Service" {
		t.Fatalf("owner %s, want the alternate", r.status.Owner)
	}
	r.do(v1.Action{Type: v1.ActionAssign, Assignee: "Carol "})
	r.expectRejected("ConflictOfInterest")
	if r.status.Assignee != "" || r.countEvents("ActionRejected") != 1 {
		t.Fatalf("%+v", r.status)
	}
}

func TestIntakeConditions(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z", func(s *v1.ComplaintSpec) {
		s.IncidentDate = "2026-10-19"
		s.Representative = &v1.Representative{Relationship: "Solicitor"}
	})
	r.expectCondition(v1.ConditionLateSubmission, T, "RaisedLate")
	r.expectCondition(v1.ConditionContactDetailsMissing, T, "NoComplainantSecret")
	r.expectCondition(v1.ConditionConsentMissing, T, "ConsentNotRecorded")
	if r.status.Reference == "" || len(r.status.Deadlines) != 1 {
		t.Fatal("a flagged complaint must still be a case")
	}

	ok := newRun(t, charity(), "2026-11-20T16:30:00Z", func(s *v1.ComplaintSpec) {
		s.IncidentDate = "2026-10-20" // one month back is still in time
		s.Representative = &v1.Representative{Relationship: "Parent", ConsentRecorded: true}
		s.ComplainantSecretRef = &corev1LocalRef{Name: "c-complainant"}
	})
	for _, c := range []string{v1.ConditionLateSubmission, v1.ConditionContactDetailsMissing, v1.ConditionConsentMissing} {
		if ok.condition(c) != nil {
			t.Errorf("unexpected %s: %+v", c, ok.condition(c))
		}
	}

	policy := charity()
	policy.Spec.Intake.AllowRepresentatives = false
	refused := newRun(t, policy, "2026-11-20T16:30:00Z", func(s *v1.ComplaintSpec) {
		s.Representative = &v1.Representative{Relationship: "Friend", ConsentRecorded: true}
	})
	refused.expectCondition(v1.ConditionConsentMissing, T, "RepresentativesNotAccepted")
}

func TestExtensionRules(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r.do(v1.Action{Type: v1.ActionExtend, Until: "2026-12-10", Reason: "r"})
	r.expectRejected("ExtensionNotAllowed") // the informal stage sets no extendUpTo
	r.to("2026-12-01T10:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeUpheld, Summary: "s"})
	r.do(v1.Action{Type: v1.ActionExtend, Until: "2026-12-10", Reason: "r"})
	r.expectRejected("NothingToExtend")
	r.do(v1.Action{Type: v1.ActionFollowUp, Satisfied: ptrTo(false)})
	r.expectRejected("NotClosed")
}

func TestPolicyProblemsWaitAndDeadlinesKeepRunning(t *testing.T) {
	problem := &lifecycle.PolicyProblem{Reason: v1.ReasonPolicyNotFound, Message: "Policy standard does not exist"}
	in := lifecycle.Input{PolicyProblem: problem, Spec: &v1.ComplaintSpec{PolicyName: "standard"}, Now: ts("2026-11-20T16:30:00Z")}
	res := lifecycle.Evaluate(in)
	if len(res.Events) != 1 || res.Events[0].Reason != v1.ReasonPolicyNotFound || res.Status.Stage != "" || !res.WakeAt.IsZero() {
		t.Fatalf("%+v", res)
	}
	in.Status = res.Status
	if again := lifecycle.Evaluate(in); len(again.Events) != 0 {
		t.Fatalf("the warning repeated: %+v", again.Events)
	}

	// A running case whose Policy turns invalid still breaches on time.
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	res = lifecycle.Evaluate(lifecycle.Input{PolicyProblem: &lifecycle.PolicyProblem{Reason: v1.ReasonPolicyInvalid, Message: "bad"},
		Spec: &r.spec, Status: r.status, Now: ts("2026-12-07T09:00:00Z")})
	if res.Status.Deadlines[0].State != v1.DeadlineBreached || len(res.Events) != 2 {
		t.Fatalf("%+v %+v", res.Status.Deadlines, res.Events)
	}
}

// A Policy edit never moves a deadline already set; deadlines set later
// follow the edited Policy and record its generation.
func TestPolicyEditsDoNotMoveDeadlines(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	edited := charity()
	edited.Generation = 4
	edited.Spec.Stages[0].RespondWithin = "20 working days"
	edited.Spec.Stages[1].AcknowledgeWithin = "2 working days"
	proc, err := procedure.Compile(edited)
	if err != nil {
		t.Fatal(err)
	}
	r.proc = proc
	r.to("2026-11-23T09:00:00Z")
	r.expectDue(v1.DeadlineRespond, "informal", "2026-12-04T23:59:59Z")
	if g := r.deadline(v1.DeadlineRespond, "informal").PolicyGeneration; g != 3 {
		t.Errorf("generation %d, want 3", g)
	}
	r.do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeUpheld, Summary: "s"})
	r.to("2026-11-24T09:00:00Z").do(v1.Action{Type: v1.ActionEscalate, By: "complainant"})
	r.expectDue(v1.DeadlineAcknowledge, "formal", "2026-11-26T23:59:59Z")
	if g := r.deadline(v1.DeadlineAcknowledge, "formal").PolicyGeneration; g != 4 {
		t.Errorf("generation %d, want 4", g)
	}
}

func TestUnknownStartStageWaits(t *testing.T) {
	proc, _ := procedure.Compile(charity())
	res := lifecycle.Evaluate(lifecycle.Input{Procedure: proc, Spec: &v1.ComplaintSpec{StartStage: "tribunal"}, Now: ts("2026-11-20T16:30:00Z")})
	if res.Status.Stage != "" || len(res.Events) != 1 {
		t.Fatalf("%+v", res)
	}
	if c := res.Status.Conditions[0]; c.Type != v1.ConditionPolicyResolved || c.Status != F || c.Reason != "UnknownStage" {
		t.Fatalf("%+v", c)
	}
}

// Evaluating again with nothing new changes nothing and raises nothing: the
// controller then writes nothing.
func TestEvaluationIsIdempotent(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r.to("2026-11-25T10:00:00Z").do(v1.Action{Type: v1.ActionAssign, Assignee: "bob"})
	before := r.status.DeepCopy()
	n := len(r.events)
	r.evaluate()
	if len(r.events) != n {
		t.Fatalf("new events: %+v", r.events[n:])
	}
	if !equalStatus(before, &r.status) {
		t.Fatalf("status changed:\n%+v\n%+v", before, r.status)
	}
}

func TestConditionTransitionTimesAreHonest(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	first := r.condition(v1.ConditionDeadlineBreached).LastTransitionTime
	r.to("2026-11-25T10:00:00Z")
	if got := r.condition(v1.ConditionDeadlineBreached).LastTransitionTime; !got.Equal(&first) {
		t.Errorf("lastTransitionTime moved without a transition: %s -> %s", first, got)
	}
	r.to("2026-12-05T10:00:00Z")
	if got := r.condition(v1.ConditionDeadlineBreached).LastTransitionTime.Time; !got.Equal(ts("2026-12-05T10:00:00Z")) {
		t.Errorf("lastTransitionTime %s, want the evaluation time of the breach", got)
	}
}

func BenchmarkEvaluateQuietCase(b *testing.B) {
	proc, _ := procedure.Compile(charity())
	received := metav1.NewTime(ts("2026-11-20T16:30:00Z"))
	spec := &v1.ComplaintSpec{PolicyName: "standard", ReceivedAt: &received}
	first := lifecycle.Evaluate(lifecycle.Input{Procedure: proc, Spec: spec, Now: received.Time})
	now := received.Add(time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		lifecycle.Evaluate(lifecycle.Input{Procedure: proc, Spec: spec, Status: first.Status, Now: now})
	}
}
