package casework

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

func mustTime(t *testing.T, s string) metav1.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return metav1.NewTime(ts)
}

// TestDescribe prints a case whose status the controller would have written
// (set here directly) and checks the whole page: the header, the case log as
// a timeline in the Policy's zone, and each deadline's due date, state and
// working days left by the Policy's calendar (holidays skipped, BST shown).
func TestDescribe(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	policy := &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "standard"},
		Spec: v1.PolicySpec{
			ReferencePrefix: "MKACT",
			Calendar: v1.Calendar{
				TimeZone: "Europe/London",
				Holidays: []v1.DateString{"2026-12-14", "2026-12-25", "2026-12-28"},
			},
			Stages: []v1.Stage{
				{Name: "informal", Owner: "Team Leader", RespondWithin: "10 working days", EscalateWithin: "10 working days"},
				{Name: "formal", Owner: "Head of Service", AlternateOwner: "Trustees", RespondWithin: "10 working days"},
			},
		},
	}
	if err := testEnv.Client.Create(ctx, policy); err != nil {
		t.Fatal(err)
	}
	cmp := &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "c-8k2pq"},
		Spec: v1.ComplaintSpec{
			PolicyName:     "standard",
			ReceivedAt:     ptr.To(mustTime(t, "2026-10-20T15:30:00Z")),
			Channel:        "Email",
			Category:       "staff-conduct",
			Summary:        "Rude reply at the front desk",
			PeopleInvolved: []string{"Team Leader"},
			Actions: []v1.Action{
				{ID: "1", Type: v1.ActionAcknowledge, At: mustTime(t, "2026-10-21T09:12:00Z"), By: "alice"},
				{ID: "2", Type: v1.ActionRespond, At: mustTime(t, "2026-11-12T16:00:00Z"), By: "bob", Outcome: v1.OutcomeNotUpheld, Summary: "No fault found"},
				{ID: "3", Type: v1.ActionEscalate, At: mustTime(t, "2026-11-16T10:00:00Z"), By: "alice", Reason: "Disputes the finding"},
				{ID: "4", Type: v1.ActionAssign, At: mustTime(t, "2026-11-16T10:05:00Z"), By: "alice", Assignee: "Team Leader"},
				{ID: "5", Type: v1.ActionExtend, At: mustTime(t, "2026-11-20T11:00:00Z"), By: "carol", Until: "2026-12-18", Reason: "Witness on leave"},
				{ID: "6", Type: v1.ActionRespond, At: mustTime(t, "2026-11-21T11:00:00Z"), By: "carol", Outcome: v1.OutcomeUpheld, Summary: "Sorry", Remedies: []string{"Apology letter", "Staff training"}},
			},
		},
	}
	// Entries 7 to 10 exist so that #10 sorts after #9, not after #1.
	for _, id := range []string{"7", "8", "9", "10"} {
		cmp.Spec.Actions = append(cmp.Spec.Actions, v1.Action{ID: id, Type: v1.ActionNote, At: mustTime(t, "2026-12-01T12:00:00Z"), By: "carol", Summary: "note " + id})
	}
	if err := testEnv.Client.Create(ctx, cmp); err != nil {
		t.Fatal(err)
	}
	cmp.Status = v1.ComplaintStatus{
		Reference:  "MKACT-2026-000123",
		ReceivedAt: cmp.Spec.ReceivedAt,
		Stage:      "formal",
		Phase:      v1.PhaseInvestigating,
		Owner:      "Trustees",
		Assignee:   "carol",
		Outcome:    v1.OutcomeNotUpheld,
		Deadlines: []v1.Deadline{
			{Name: v1.DeadlineRespond, Stage: "informal", StartedAt: mustTime(t, "2026-10-20T15:30:00Z"), Within: "10 working days",
				Due: mustTime(t, "2026-11-03T23:59:59Z"), State: v1.DeadlineBreached, MetAt: ptr.To(mustTime(t, "2026-11-12T16:00:00Z")), PolicyGeneration: 1},
			{Name: v1.DeadlineEscalationWindow, Stage: "informal", StartedAt: mustTime(t, "2026-11-12T16:00:00Z"), Within: "10 working days",
				Due: mustTime(t, "2026-11-26T23:59:59Z"), State: v1.DeadlineMet, MetAt: ptr.To(mustTime(t, "2026-11-16T10:00:00Z")), PolicyGeneration: 1},
			{Name: v1.DeadlineAcknowledge, Stage: "formal", StartedAt: mustTime(t, "2026-11-16T10:00:00Z"), Within: "2 working days",
				Due: mustTime(t, "2026-11-18T23:59:59Z"), State: v1.DeadlineBreached, PolicyGeneration: 1},
			{Name: v1.DeadlineRespond, Stage: "formal", StartedAt: mustTime(t, "2026-11-16T10:00:00Z"), Within: "10 working days",
				Due: mustTime(t, "2026-12-18T23:59:59Z"), State: v1.DeadlinePending, Extended: true, PolicyGeneration: 1},
			{Name: v1.DeadlineFollowUp, Stage: "formal", StartedAt: mustTime(t, "2026-12-10T10:00:00Z"), Within: "5 working days",
				Due: mustTime(t, "2026-12-10T23:59:59Z"), State: v1.DeadlinePending, PolicyGeneration: 1},
			{Name: v1.DeadlineRespond, Stage: "appeal", StartedAt: mustTime(t, "2026-12-10T10:00:00Z"), Within: "15 days",
				Due: mustTime(t, "2027-04-01T22:59:59Z"), State: v1.DeadlinePaused, PolicyGeneration: 2},
		},
		RejectedActions: []v1.RejectedAction{{ID: "4", Type: v1.ActionAssign, Reason: "AssigneeInvolved", Message: "Team Leader is named in the complaint"}},
		Conditions: []metav1.Condition{
			{Type: v1.ConditionDeadlineBreached, Status: metav1.ConditionTrue, Reason: "Breached", Message: "acknowledge (formal) was due Wed 18 Nov", LastTransitionTime: mustTime(t, "2026-11-19T00:00:00Z")},
		},
	}
	if err := testEnv.Client.Status().Update(ctx, cmp); err != nil {
		t.Fatal(err)
	}

	now := func() time.Time { return mustTime(t, "2026-12-10T12:00:00Z").Time } // a Thursday
	out, err := kubectl(t, "alice", now, "-n", ns, "describe", "c-8k2pq")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := `Name:       c-8k2pq
Namespace:  ` + ns + `
Reference:  MKACT-2026-000123
Policy:     standard (calendar Europe/London)
Stage:      formal
Phase:      Investigating
Owner:      Trustees
Assignee:   carol
Outcome:    NotUpheld
Summary:    Rude reply at the front desk
Channel:    Email
Category:   staff-conduct
Severity:   Normal

Timeline (Europe/London):
  Tue 20 Oct 2026 16:30 BST       Received via Email
  Wed 21 Oct 2026 10:12 BST  #1   Acknowledge by alice
  Thu 12 Nov 2026 16:00 GMT  #2   Respond by bob: NotUpheld, "No fault found"
  Mon 16 Nov 2026 10:00 GMT  #3   Escalate by alice: "Disputes the finding"
  Mon 16 Nov 2026 10:05 GMT  #4   Assign by alice: to Team Leader  [REJECTED AssigneeInvolved: Team Leader is named in the complaint]
  Fri 20 Nov 2026 11:00 GMT  #5   Extend by carol: until 2026-12-18, "Witness on leave"
  Sat 21 Nov 2026 11:00 GMT  #6   Respond by carol: Upheld, "Sorry", remedies: Apology letter; Staff training
  Tue 01 Dec 2026 12:00 GMT  #7   Note by carol: "note 7"
  Tue 01 Dec 2026 12:00 GMT  #8   Note by carol: "note 8"
  Tue 01 Dec 2026 12:00 GMT  #9   Note by carol: "note 9"
  Tue 01 Dec 2026 12:00 GMT  #10  Note by carol: "note 10"

Deadlines (Europe/London; working days Mon,Tue,Wed,Thu,Fri):
  NAME              STAGE     DUE                        STATE               LEFT
  respond           informal  Tue 03 Nov 2026 23:59 GMT  Breached            met late Thu 12 Nov 2026 16:00 GMT
  escalationWindow  informal  Thu 26 Nov 2026 23:59 GMT  Met                 met Mon 16 Nov 2026 10:00 GMT
  acknowledge       formal    Wed 18 Nov 2026 23:59 GMT  Breached            overdue by 16 working days
  respond           formal    Fri 18 Dec 2026 23:59 GMT  Pending (extended)  5 working days
  followUp          formal    Thu 10 Dec 2026 23:59 GMT  Pending             due today
  respond           appeal    Thu 01 Apr 2027 23:59 BST  Paused              paused, 77 working days

Conditions:
  TYPE              STATUS  REASON    MESSAGE
  DeadlineBreached  True    Breached  acknowledge (formal) was due Wed 18 Nov
`
	if out != want {
		t.Errorf("describe printed\n%s\nwant\n%s\ndiff at line: %s", out, want, firstDiff(out, want))
	}

	t.Run("a new case without its Policy is shown in UTC", func(t *testing.T) {
		other := newComplaint(t, newNamespace(t))
		out, err := kubectl(t, "mallory", now, "-n", other.Namespace, "describe", other.Name)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, want := range []string{
			"Reference:  -\n",
			`Note:       Policy "standard" not found: times in UTC, Monday to Friday`,
			"Timeline (UTC):\n",
			"Deadlines (UTC; working days Mon,Tue,Wed,Thu,Fri):\n  none yet\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "\n got: " + al[i] + "\nwant: " + bl[i]
		}
	}
	return "(one is a prefix of the other)"
}
