package v1alpha1_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) {
	var err error
	if env, err = testenv.Start(); err != nil {
		panic(err)
	}
	code := m.Run()
	_ = env.Stop()
	os.Exit(code)
}

func at(s string) metav1.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return metav1.NewTime(t)
}

func newPolicy(name string) *v1.Policy {
	return &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: v1.PolicySpec{
			ReferencePrefix: "MKACT",
			Calendar:        v1.Calendar{TimeZone: "Europe/London", Holidays: []v1.DateString{"2026-12-25"}},
			Stages: []v1.Stage{
				{Name: "informal", Owner: "Team Leader", RespondWithin: "10 working days", EscalateWithin: "10 working days"},
				{Name: "formal", Owner: "Board", AcknowledgeWithin: "5 working days", RespondWithin: "15 days"},
			},
		},
	}
}

func newComplaint(name string) *v1.Complaint {
	received := at("2026-11-20T16:30:00Z")
	return &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: v1.ComplaintSpec{
			PolicyName: "standard",
			ReceivedAt: &received,
			Channel:    v1.Channel("Email"),
			Summary:    "Rude reply at the front desk",
			Actions: []v1.Action{
				{ID: "1", Type: v1.ActionAcknowledge, At: at("2026-11-23T09:12:00Z"), By: "alice"},
			},
		},
	}
}

func requireRefused(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("the API server accepted it; want a refusal mentioning %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("refusal %q does not mention %q", err, want)
	}
}

func TestPolicyRoundTripsWithDefaults(t *testing.T) {
	ctx := context.Background()
	p := newPolicy("roundtrip")
	if err := env.Client.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	var got v1.Policy
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(p), &got); err != nil {
		t.Fatal(err)
	}
	if got.Spec.WarnBefore != "20%" || got.Spec.Language != "en" || len(got.Spec.Calendar.WorkingDays) != 5 || got.Spec.Stages[0].RespondFrom != v1.RespondFromStageEntry {
		t.Fatalf("defaults not applied: %+v", got.Spec)
	}
}

func TestPolicySchemaRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		mutate func(*v1.Policy)
		want   string
	}{
		"malformed duration": {func(p *v1.Policy) { p.Spec.Stages[0].RespondWithin = "10 workdays" }, "spec.stages[0].respondWithin"},
		"bad weekday":        {func(p *v1.Policy) { p.Spec.Calendar.WorkingDays = []v1.Weekday{"Funday"} }, "spec.calendar.workingDays[0]"},
		"bad date":           {func(p *v1.Policy) { p.Spec.Calendar.Holidays = []v1.DateString{"2026-13-01"} }, "spec.calendar.holidays[0]"},
		"no stages":          {func(p *v1.Policy) { p.Spec.Stages = nil }, "spec.stages"},
		"duplicate stages":   {func(p *v1.Policy) { p.Spec.Stages[1].Name = "informal" }, "stage names must be unique"},
		"bad warnBefore":     {func(p *v1.Policy) { p.Spec.WarnBefore = "120%" }, "spec.warnBefore"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := newPolicy("bad-" + strings.ReplaceAll(name, " ", "-"))
			tc.mutate(p)
			requireRefused(t, env.Client.Create(ctx, p), tc.want)
		})
	}
}

func TestComplaintCaseLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	c := newComplaint("append-only")
	if err := env.Client.Create(ctx, c); err != nil {
		t.Fatal(err)
	}

	// Appending the next entry is accepted.
	c.Spec.Actions = append(c.Spec.Actions, v1.Action{ID: "2", Type: v1.ActionAssign, At: at("2026-11-23T10:00:00Z"), By: "alice", Assignee: "bob"})
	if err := env.Client.Update(ctx, c); err != nil {
		t.Fatalf("append refused: %v", err)
	}

	edited := c.DeepCopy()
	edited.Spec.Actions[0].By = "mallory"
	requireRefused(t, env.Client.Update(ctx, edited), "case-log entries are immutable once written")

	removed := c.DeepCopy()
	removed.Spec.Actions = removed.Spec.Actions[1:]
	requireRefused(t, env.Client.Update(ctx, removed), "case-log entries cannot be removed")

	cleared := c.DeepCopy()
	cleared.Spec.Actions = nil
	requireRefused(t, env.Client.Update(ctx, cleared), "case-log entries cannot be removed")

	gap := c.DeepCopy()
	gap.Spec.Actions = append(gap.Spec.Actions, v1.Action{ID: "7", Type: v1.ActionNote, At: at("2026-11-23T10:00:00Z"), By: "alice", Summary: "x"})
	requireRefused(t, env.Client.Update(ctx, gap), "append the next id")
}

func TestComplaintImmutableFields(t *testing.T) {
	ctx := context.Background()
	c := newComplaint("immutable")
	if err := env.Client.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	moved := c.DeepCopy()
	later := at("2026-11-21T09:00:00Z")
	moved.Spec.ReceivedAt = &later
	requireRefused(t, env.Client.Update(ctx, moved), "receivedAt is immutable")

	other := c.DeepCopy()
	other.Spec.PolicyName = "other"
	requireRefused(t, env.Client.Update(ctx, other), "policyName is immutable")

	staged := c.DeepCopy()
	staged.Spec.StartStage = "formal"
	requireRefused(t, env.Client.Update(ctx, staged), "startStage is immutable")
}

func TestActionRequiredFields(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		action v1.Action
		want   string
	}{
		"respond without outcome": {v1.Action{Type: v1.ActionRespond, Summary: "done"}, "Respond needs outcome"},
		"assign without assignee": {v1.Action{Type: v1.ActionAssign}, "Assign needs assignee"},
		"extend without until":    {v1.Action{Type: v1.ActionExtend, Reason: "leave"}, "Extend needs until and reason"},
		"request without message": {v1.Action{Type: v1.ActionRequestInformation}, "RequestInformation needs message"},
		"unknown type":            {v1.Action{Type: "Shred"}, "spec.actions[0].type"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newComplaint("req-" + strings.ReplaceAll(name, " ", "-"))
			tc.action.ID, tc.action.At, tc.action.By = "1", at("2026-11-23T09:00:00Z"), "alice"
			c.Spec.Actions = []v1.Action{tc.action}
			requireRefused(t, env.Client.Create(ctx, c), tc.want)
		})
	}
}
