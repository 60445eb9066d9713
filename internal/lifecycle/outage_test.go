package lifecycle_test

import (
	"testing"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/procedure"
)

// unavailable evaluates r as if its Policy were invalid at instant s.
func (r *run) unavailable(s string) *run {
	r.now = ts(s)
	r.last = lifecycle.Evaluate(lifecycle.Input{PolicyProblem: &lifecycle.PolicyProblem{Reason: v1.ReasonPolicyInvalid, Message: "bad"},
		Spec: &r.spec, Generation: 1, Status: r.status, Now: r.now})
	r.status = r.last.Status
	r.events = append(r.events, r.last.Events...)
	return r
}

// A response recorded on time while the Policy was broken is on time once
// the Policy is fixed; it is not reported as a breach meanwhile.
func TestWorkRecordedDuringAPolicyOutageIsJudgedAtItsTime(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	r.spec.Actions = append(r.spec.Actions, v1.Action{ID: "1", Type: v1.ActionRespond, At: metaTime("2026-12-01T10:00:00Z"), By: "bob", Outcome: v1.OutcomeUpheld, Summary: "s"})
	r.unavailable("2026-12-07T09:00:00Z")
	r.expectState(v1.DeadlineRespond, "informal", v1.DeadlinePending)
	r.expectCondition(v1.ConditionPolicyResolved, F, v1.ReasonPolicyInvalid)
	r.to("2026-12-08T09:00:00Z")
	r.expectState(v1.DeadlineRespond, "informal", v1.DeadlineMet)
	if r.countEvents("DeadlineBreached") != 0 || r.countEvents(v1.ReasonPolicyInvalid) != 1 {
		t.Fatalf("events: %+v", r.events)
	}
}

// An escalation window that runs out while the Policy is broken closes the
// case once it is back, with its follow-up clock and its letter.
func TestEscalationWindowEndingDuringAnOutageClosesOnceThePolicyIsBack(t *testing.T) {
	policy := charity()
	policy.Spec.Notifications = &v1.Notifications{Events: []v1.NotificationEvent{"Closed"}, TemplatesConfigMap: "letters", Email: true}
	r := newRun(t, policy, "2026-11-20T16:30:00Z")
	r.to("2026-12-03T10:00:00Z").do(v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomeNotUpheld, Summary: "No"})
	r.unavailable("2026-12-20T09:00:00Z")
	r.expectPhase(v1.PhaseResponded)
	r.to("2026-12-21T09:00:00Z")
	r.expectPhase(v1.PhaseClosed)
	r.expectDue(v1.DeadlineFollowUp, "informal", "2026-12-24T23:59:59Z")
	if n := len(r.status.Notifications); n != 1 || r.status.Notifications[0].Event != "Closed" {
		t.Fatalf("letters: %+v", r.status.Notifications)
	}
}

// A stage removed from the Policy while a case stands at it: the case waits
// (nothing is rejected) and carries on when the stage is back.
func TestCaseWaitsWhileItsStageIsMissingFromThePolicy(t *testing.T) {
	r := newRun(t, charity(), "2026-11-20T16:30:00Z")
	renamed := charity()
	renamed.Spec.Stages[0].Name = "early"
	proc, err := procedure.Compile(renamed)
	if err != nil {
		t.Fatal(err)
	}
	original := r.proc
	r.proc = proc
	r.to("2026-11-24T09:00:00Z").do(v1.Action{Type: v1.ActionWithdraw, By: "complainant"})
	r.expectCondition(v1.ConditionPolicyResolved, F, v1.ReasonPolicyInvalid)
	if len(r.status.RejectedActions) != 0 || r.status.AppliedActions != 0 {
		t.Fatalf("the entry must wait: %+v", r.status)
	}
	r.to("2026-11-25T09:00:00Z")
	if r.countEvents(v1.ReasonPolicyInvalid) != 1 {
		t.Fatalf("the warning repeated: %+v", r.events)
	}
	r.proc = original
	r.to("2026-11-26T09:00:00Z")
	r.expectPhase(v1.PhaseWithdrawn)
	r.expectCondition(v1.ConditionPolicyResolved, T, v1.ReasonResolved)
}

func TestUnknownStartStageWarnsOnce(t *testing.T) {
	proc, _ := procedure.Compile(charity())
	in := lifecycle.Input{Procedure: proc, Spec: &v1.ComplaintSpec{StartStage: "tribunal"}, Now: ts("2026-11-20T16:30:00Z")}
	first := lifecycle.Evaluate(in)
	in.Status, in.Now = first.Status, ts("2026-11-21T16:30:00Z")
	second := lifecycle.Evaluate(in)
	if len(second.Events) != 0 || !equalStatus(&first.Status, &second.Status) {
		t.Fatalf("second evaluation changed something: %+v", second)
	}
}

// Information requested before an acknowledgement that starts the respond
// clock: the clock starts paused.
func TestRespondClockStartedWhileAwaitingComplainantStartsPaused(t *testing.T) {
	policy := charity()
	policy.Spec.PauseWhileAwaitingComplainant = true
	r := newRun(t, policy, "2026-11-20T16:30:00Z", func(s *v1.ComplaintSpec) { s.StartStage = "appeal" })
	r.to("2026-11-23T09:00:00Z").do(v1.Action{Type: v1.ActionRequestInformation, Message: "Which day?"})
	r.do(v1.Action{Type: v1.ActionAcknowledge})
	r.expectState(v1.DeadlineRespond, "appeal", v1.DeadlinePaused)
	r.to("2027-01-30T09:00:00Z")
	r.expectState(v1.DeadlineRespond, "appeal", v1.DeadlinePaused)
}
