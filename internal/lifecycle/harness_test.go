package lifecycle_test

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/procedure"
)

// charity is the contract's example procedure in London with the 2026
// Christmas bank holidays.
func charity() *v1.Policy {
	return &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Name: "standard", Generation: 3},
		Spec: v1.PolicySpec{
			ReferencePrefix: "MKACT",
			Calendar:        v1.Calendar{TimeZone: "Europe/London", Holidays: []v1.DateString{"2026-12-25", "2026-12-28", "2027-01-01"}},
			WarnBefore:      "20%",
			FollowUpWithin:  "5 working days",
			Intake:          &v1.IntakeRules{RequireContactDetails: true, RaiseWithin: "1 month", AllowRepresentatives: true},
			Stages: []v1.Stage{
				{Name: "informal", Owner: "Team Leader", AlternateOwner: "Head of Service", RespondWithin: "10 working days", EscalateWithin: "10 working days"},
				{Name: "formal", Owner: "Head of Service", AlternateOwner: "Trustees", AcknowledgeWithin: "5 working days",
					RespondWithin: "10 working days", ExtendUpTo: "20 working days", EscalateWithin: "10 working days"},
				{Name: "appeal", Owner: "Board", AcknowledgeWithin: "5 working days", RespondWithin: "15 days",
					RespondFrom: v1.RespondFromAcknowledgement, ExternalRoutes: []string{"Charity Commission", "Local Government Ombudsman"}},
			},
		},
	}
}

// run is one case moved through time by a test.
type run struct {
	t      *testing.T
	proc   *procedure.Procedure
	spec   v1.ComplaintSpec
	status v1.ComplaintStatus
	now    time.Time
	events []lifecycle.Event // every event raised so far
	last   lifecycle.Result
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newRun(t *testing.T, policy *v1.Policy, received string, edit ...func(*v1.ComplaintSpec)) *run {
	t.Helper()
	proc, err := procedure.Compile(policy)
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	at := metav1.NewTime(ts(received))
	r := &run{t: t, proc: proc, now: ts(received), spec: v1.ComplaintSpec{
		PolicyName: policy.Name, ReceivedAt: &at, Channel: "Email", Summary: "s", Severity: v1.SeverityNormal,
		ComplainantSecretRef: nil,
	}}
	for _, e := range edit {
		e(&r.spec)
	}
	r.status.Reference = "MKACT-2026-000001"
	r.evaluate()
	return r
}

func (r *run) evaluate() {
	r.last = lifecycle.Evaluate(lifecycle.Input{Procedure: r.proc, Spec: &r.spec, Generation: 1, CreatedAt: r.now, Status: r.status, Now: r.now})
	r.status = r.last.Status
	r.events = append(r.events, r.last.Events...)
}

// to moves the clock to instant s and evaluates.
func (r *run) to(s string) *run {
	r.now = ts(s)
	r.evaluate()
	return r
}

// do appends a case-log entry made at the current time and evaluates.
func (r *run) do(a v1.Action) *run {
	a.ID = fmt.Sprint(len(r.spec.Actions) + 1)
	if a.At.IsZero() {
		a.At = metav1.NewTime(r.now)
	}
	if a.By == "" {
		a.By = "alice"
	}
	r.spec.Actions = append(r.spec.Actions, a)
	r.evaluate()
	return r
}

func (r *run) deadline(name v1.DeadlineName, stage string) *v1.Deadline {
	r.t.Helper()
	for i := range r.status.Deadlines {
		if d := &r.status.Deadlines[i]; d.Name == name && d.Stage == stage {
			return d
		}
	}
	r.t.Fatalf("no %s deadline at stage %s in %+v", name, stage, r.status.Deadlines)
	return nil
}

func (r *run) condition(condType string) *metav1.Condition {
	for i := range r.status.Conditions {
		if r.status.Conditions[i].Type == condType {
			return &r.status.Conditions[i]
		}
	}
	return nil
}

func (r *run) countEvents(reason string) int {
	n := 0
	for _, e := range r.events {
		if e.Reason == reason {
			n++
		}
	}
	return n
}

func (r *run) expectDue(name v1.DeadlineName, stage, want string) {
	r.t.Helper()
	if got := r.deadline(name, stage).Due.Time; !got.Equal(ts(want)) {
		r.t.Errorf("%s/%s due %s, want %s", stage, name, got.UTC().Format(time.RFC3339), want)
	}
}

func (r *run) expectState(name v1.DeadlineName, stage string, want v1.DeadlineState) {
	r.t.Helper()
	if got := r.deadline(name, stage).State; got != want {
		r.t.Errorf("%s/%s state %s, want %s", stage, name, got, want)
	}
}

func (r *run) expectPhase(want v1.Phase) {
	r.t.Helper()
	if r.status.Phase != want {
		r.t.Errorf("phase %s, want %s", r.status.Phase, want)
	}
}

func (r *run) expectRejected(reason string) {
	r.t.Helper()
	n := len(r.status.RejectedActions)
	if n == 0 || r.status.RejectedActions[n-1].Reason != reason {
		r.t.Fatalf("want the last entry rejected with %s; rejected: %+v", reason, r.status.RejectedActions)
	}
	if id := r.spec.Actions[len(r.spec.Actions)-1].ID; r.status.RejectedActions[n-1].ID != id {
		r.t.Fatalf("rejected entry %s, want %s", r.status.RejectedActions[n-1].ID, id)
	}
}

func (r *run) expectCondition(condType string, status metav1.ConditionStatus, reason string) {
	r.t.Helper()
	c := r.condition(condType)
	if c == nil {
		r.t.Fatalf("no %s condition", condType)
	}
	if c.Status != status || (reason != "" && c.Reason != reason) {
		r.t.Errorf("%s = %s/%s (%s), want %s/%s", condType, c.Status, c.Reason, c.Message, status, reason)
	}
}
