package casework

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/procedure"
	boardreport "github.com/redress-operator/redress/internal/report"
)

// reportNow is when the cases' statuses were computed.
var reportNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// createCase creates a Complaint and writes the status the controller would
// have written by reportNow (computed by its state machine), as the
// controller does, through the status subresource.
func createCase(t *testing.T, policy *v1.Policy, cmp *v1.Complaint, reference string) {
	t.Helper()
	ctx := context.Background()
	if err := testEnv.Client.Create(ctx, cmp); err != nil {
		t.Fatal(err)
	}
	proc, err := procedure.Compile(policy)
	if err != nil {
		t.Fatal(err)
	}
	st := lifecycle.Evaluate(lifecycle.Input{
		Procedure: proc, Spec: &cmp.Spec, UID: string(cmp.UID), Generation: cmp.Generation,
		CreatedAt: cmp.Spec.ReceivedAt.Time, Now: reportNow,
	}).Status
	st.Reference = reference
	cmp.Status = st
	if err := testEnv.Client.Status().Update(ctx, cmp); err != nil {
		t.Fatal(err)
	}
}

func createPolicy(t *testing.T, p *v1.Policy) *v1.Policy {
	t.Helper()
	if err := testEnv.Client.Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReport creates cases in two namespaces, in London and in Shanghai,
// and reads the February report as a user who may only read complaints and
// policies (no Secrets at all), for one namespace and for all of them.
func TestReport(t *testing.T) {
	ctx := context.Background()
	london, shanghai := newNamespace(t), newNamespace(t)
	at := func(s string) metav1.Time {
		ts, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return metav1.NewTime(ts)
	}

	charity := createPolicy(t, &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Namespace: london, Name: "standard"},
		Spec: v1.PolicySpec{
			ReferencePrefix: "MKACT",
			Calendar:        v1.Calendar{TimeZone: "Europe/London"},
			Stages: []v1.Stage{{Name: "formal", Owner: "Team Leader", AlternateOwner: "Head of Service",
				AcknowledgeWithin: "2 working days", RespondWithin: "10 working days"}},
		},
	})
	// Answered on time and upheld, with a remedy and a lesson.
	createCase(t, charity, &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: london, Name: "c-answered"},
		Spec: v1.ComplaintSpec{
			PolicyName: "standard", ReceivedAt: ptr.To(at("2026-02-02T10:00:00Z")), Channel: "Email", Category: "billing",
			Summary: "Charged twice",
			Actions: []v1.Action{
				{ID: "1", Type: v1.ActionAcknowledge, At: at("2026-02-03T09:00:00Z"), By: "alice"},
				{ID: "2", Type: v1.ActionRespond, At: at("2026-02-13T15:00:00Z"), By: "bob", Outcome: v1.OutcomeUpheld,
					Summary: "Refunded", Remedies: []string{"Refund"}},
				{ID: "3", Type: v1.ActionNote, At: at("2026-02-16T11:00:00Z"), By: "bob", Summary: "Lesson: check the billing run"},
			},
		},
	}, "MKACT-2026-000001")
	// Never acknowledged; the Team Leader is named in it. Its complainant's
	// name is in a Secret the report must never read.
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: london, Name: "c-ignored-complainant"},
		StringData: map[string]string{"name": "Jane Doe", "email": "jane.doe@example.org"},
	}
	if err := testEnv.Client.Create(ctx, secret); err != nil {
		t.Fatal(err)
	}
	createCase(t, charity, &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: london, Name: "c-ignored"},
		Spec: v1.ComplaintSpec{
			PolicyName: "standard", ReceivedAt: ptr.To(at("2026-02-16T09:00:00Z")), Channel: "Phone", Category: "staff-conduct",
			Severity: v1.SeveritySerious, Summary: "Rude reply", PeopleInvolved: []string{"Team Leader"},
			ComplainantSecretRef: &corev1.LocalObjectReference{Name: secret.Name},
		},
	}, "MKACT-2026-000002")

	school := createPolicy(t, &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Namespace: shanghai, Name: "school"},
		Spec: v1.PolicySpec{
			ReferencePrefix: "SCH",
			Calendar:        v1.Calendar{TimeZone: "Asia/Shanghai"},
			Stages:          []v1.Stage{{Name: "office", Owner: "校长办公室", AcknowledgeWithin: "1 working day", RespondWithin: "7 working days"}},
		},
	})
	// 17:30 UTC on 31 January is 1 February in Shanghai.
	createCase(t, school, &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: shanghai, Name: "c-school"},
		Spec: v1.ComplaintSpec{
			PolicyName: "school", ReceivedAt: ptr.To(at("2026-01-31T17:30:00Z")), Channel: "WebForm", Category: "teaching",
			Summary: "课程安排",
			Actions: []v1.Action{
				{ID: "1", Type: v1.ActionAcknowledge, At: at("2026-02-02T01:00:00Z"), By: "wang.li"},
				{ID: "2", Type: v1.ActionRespond, At: at("2026-02-10T08:00:00Z"), By: "wang.li", Outcome: v1.OutcomeNotUpheld, Summary: "无"},
			},
		},
	}, "SCH-2026-000001")

	run := func(args ...string) (boardreport.Report, string) {
		t.Helper()
		out, err := kubectl(t, "mallory", nil, append([]string{"report", "--from", "2026-02-01", "--to", "2026-02-28", "-o", "json"}, args...)...)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var r boardreport.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return r, out
	}

	r, out := run("-n", london)
	if r.Scope != "namespace "+london || r.Cases != 2 || r.Received.Total != 2 || r.Outcomes.Closed != 1 {
		t.Errorf("scope %q, read %d, received %d, closed %d; want namespace %s, 2, 2, 1", r.Scope, r.Cases, r.Received.Total, r.Outcomes.Closed, london)
	}
	if got := r.Outcomes.ByOutcome[0]; got != (boardreport.Count{Name: "Upheld", Count: 1}) {
		t.Errorf("outcomes %v", r.Outcomes.ByOutcome)
	}
	ack, resp := r.Timeliness[0], r.Timeliness[1]
	if ack.Due != 2 || ack.OnTime != 1 || ack.NotMet != 1 || *ack.OnTimePercent != 50 || *ack.MedianWorkingDays != 1 {
		t.Errorf("acknowledge %+v", ack)
	}
	// c-ignored's respond deadline breached on 2 March, outside the period.
	if resp.Due != 1 || resp.OnTime != 1 || *resp.MedianWorkingDays != 9 {
		t.Errorf("respond %+v", resp)
	}
	if len(r.Breaches) != 1 || r.Breaches[0].Reference != "MKACT-2026-000002" || r.Breaches[0].Owner != "Head of Service" ||
		r.Breaches[0].Due.Format(time.RFC3339) != "2026-02-18T23:59:59Z" {
		t.Errorf("breaches %+v", r.Breaches)
	}
	if r.Remedies.Offered != 1 || len(r.Lessons.Entries) != 1 || r.Lessons.Entries[0].Summary != "Lesson: check the billing run" {
		t.Errorf("remedies %+v lessons %+v", r.Remedies, r.Lessons)
	}
	if r.Open.Total != 1 || r.Open.ByAge[1] != (boardreport.Count{Name: "6–10", Count: 1}) {
		t.Errorf("open %+v", r.Open)
	}
	for _, pii := range []string{"Jane", "jane.doe", "alice", "bob", "Charged twice", "Rude reply"} {
		if strings.Contains(out, pii) {
			t.Errorf("the report contains %q", pii)
		}
	}

	// Every namespace: the Shanghai case counts in February.
	all, _ := run("-A")
	if all.Scope != "all namespaces" || all.Received.Total != 3 || all.Outcomes.Closed != 2 {
		t.Errorf("-A: scope %q, received %d, closed %d; want all namespaces, 3, 2", all.Scope, all.Received.Total, all.Outcomes.Closed)
	}

	// The other formats, as the same reader.
	for format, want := range map[string]string{
		"markdown": "| Upheld | 1 |",
		"csv":      "outcomes,Upheld,1",
		"html":     "<h2>Breaches: 1</h2>",
	} {
		out, err := kubectl(t, "mallory", nil, "-n", london, "report", "--from", "2026-02-01", "--to", "2026-02-28", "-o", format)
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("-o %s: %v; output lacks %q:\n%s", format, err, want, out)
		}
	}
}

// TestReportRefusals: bad flags are refused before anything is read, and a
// user who may not list complaints is told so.
func TestReportRefusals(t *testing.T) {
	ns := newNamespace(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--from", "2026-02-01"}, `required flag(s) "to" not set`},
		{[]string{"report", "--from", "1/2/2026", "--to", "2026-02-28"}, `--from "1/2/2026" is not a date (YYYY-MM-DD)`},
		{[]string{"report", "--from", "2026-03-01", "--to", "2026-02-28"}, "--to 2026-02-28 is before --from 2026-03-01"},
		{[]string{"report", "--from", "2026-02-01", "--to", "2026-02-28", "-o", "yaml"}, `-o "yaml": want one of markdown, csv, json, html`},
	} {
		_, err := kubectl(t, "alice", nil, append([]string{"-n", ns}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
	_, err := kubectl(t, "admin", nil, "-n", ns, "--as", "nobody", "report", "--from", "2026-02-01", "--to", "2026-02-28")
	if err == nil || !strings.Contains(err.Error(), "refused to let you list complaints in namespace") {
		t.Errorf("a user who may not list complaints: err = %v", err)
	}
}
