package controllers_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

func londonPolicy(ns string) *v1.Policy {
	return &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Name: "standard", Namespace: ns},
		Spec: v1.PolicySpec{
			ReferencePrefix: "MKACT",
			Calendar: v1.Calendar{
				TimeZone: "Europe/London",
				Holidays: []v1.DateString{"2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"},
			},
			Stages: []v1.Stage{
				{Name: "formal", Owner: "Head of Service", AlternateOwner: "Trustees", AcknowledgeWithin: "5 working days",
					RespondWithin: "10 working days", ExtendUpTo: "20 working days", EscalateWithin: "10 working days"},
				{Name: "appeal", Owner: "Board", AcknowledgeWithin: "5 working days", RespondWithin: "15 days",
					ExternalRoutes: []string{"Charity Commission"}},
			},
		},
	}
}

func complaint(ns, name string, received time.Time) *v1.Complaint {
	at := metav1.NewTime(received)
	return &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1.ComplaintSpec{
			PolicyName: "standard",
			ReceivedAt: &at,
			Channel:    "Email",
			Summary:    "Rude reply at the front desk",
		},
	}
}

// A case received on the Friday before the late-May bank holiday: the
// holiday Monday does not count.
func TestDeadlinesSkipWeekendAndBankHoliday(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-05-22T15:30:00Z") // Friday 16:30 BST
	startManager(t, testingclock.NewFakeClock(received.Add(time.Minute)))
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	c := complaint(ns, "friday", received)
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())

	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.Reference).To(Equal("MKACT-2026-000001"))
		g.Expect(deadline(&st, v1.DeadlineAcknowledge).Due.Time).To(BeTemporally("==", mustTime("2026-06-01T22:59:59Z")))
		g.Expect(deadline(&st, v1.DeadlineRespond).Due.Time).To(BeTemporally("==", mustTime("2026-06-08T22:59:59Z")))
		g.Expect(st.Phase).To(Equal(v1.PhaseReceived))
		g.Expect(st.NextDeadline.Name).To(Equal(v1.DeadlineAcknowledge))
	}).Should(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(eventsFor(g, c, "Received")).To(HaveLen(1)) }).Should(Succeed())
}

// Nothing done: both deadlines breach, each raises exactly one event, and a
// restarted manager does not raise them again.
func TestBreachedDeadlinesRaiseOneEventEachAcrossRestarts(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-11-20T16:30:00Z")
	clock := testingclock.NewFakeClock(received.Add(time.Minute))
	mgr := startManager(t, clock)
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	c := complaint(ns, "ignored", received)
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, c).Status.Deadlines).To(HaveLen(2)) }).Should(Succeed())

	// Six days on, the acknowledge deadline is near; three weeks on, both passed.
	mgr.step(6*24*time.Hour, c)
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(deadline(&st, v1.DeadlineAcknowledge).Warned).To(BeTrue())
		g.Expect(condition(&st, v1.ConditionDeadlineApproaching).Status).To(Equal(metav1.ConditionTrue))
	}).Should(Succeed())
	for day := 0; day < 15; day++ {
		mgr.step(24*time.Hour, c)
	}
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(deadline(&st, v1.DeadlineAcknowledge).State).To(Equal(v1.DeadlineBreached))
		g.Expect(deadline(&st, v1.DeadlineRespond).State).To(Equal(v1.DeadlineBreached))
		g.Expect(condition(&st, v1.ConditionDeadlineBreached).Status).To(Equal(metav1.ConditionTrue))
	}).Should(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(eventsFor(g, c, "DeadlineBreached")).To(HaveLen(2)) }).Should(Succeed())
	g.Expect(eventsFor(g, c, "DeadlineApproaching")).To(HaveLen(1))

	// A new manager, more time, and a change to the case: still two events.
	mgr.stop()
	mgr = startManager(t, clock)
	mgr.step(48*time.Hour, c)
	latest := getComplaint(g, c)
	latest.Spec.Actions = append(latest.Spec.Actions, v1.Action{ID: "1", Type: v1.ActionNote, At: metav1.NewTime(clock.Now()), By: "alice", Summary: "Lesson: reply sooner"})
	g.Expect(env.Client.Update(ctx, latest)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, c).Status.AppliedActions).To(BeEquivalentTo(1)) }).Should(Succeed())
	g.Consistently(func(g Gomega) { g.Expect(eventsFor(g, c, "DeadlineBreached")).To(HaveLen(2)) }, "2s").Should(Succeed())
}

func TestConcurrentComplaintsGetDistinctReferences(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-11-23T09:00:00Z")
	startManager(t, testingclock.NewFakeClock(received))
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())

	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- env.Client.Create(ctx, complaint(ns, fmt.Sprintf("c%03d", i), received))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		g.Expect(err).NotTo(HaveOccurred())
	}
	g.Eventually(func(g Gomega) {
		var list v1.ComplaintList
		g.Expect(env.Client.List(ctx, &list, client.InNamespace(ns))).To(Succeed())
		seen := map[string]bool{}
		for _, c := range list.Items {
			g.Expect(c.Status.Reference).NotTo(BeEmpty())
			seen[c.Status.Reference] = true
		}
		g.Expect(seen).To(HaveLen(n))
	}, "60s").Should(Succeed())
	var policy v1.Policy
	g.Expect(env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "standard"}, &policy)).To(Succeed())
	// Blocks reserved during the burst may leave at most one partly used block.
	g.Expect(policy.Status.NextSequence).To(BeNumerically(">=", n+1))
	g.Expect(policy.Status.NextSequence).To(BeNumerically("<", n+1+64))
}

func TestComplaintWaitsForItsPolicy(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-11-23T09:00:00Z")
	startManager(t, testingclock.NewFakeClock(received))
	c := complaint(ns, "early", received)
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		cond := condition(&st, v1.ConditionPolicyResolved)
		g.Expect(cond).NotTo(BeNil())
		g.Expect(cond.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(cond.Reason).To(Equal(v1.ReasonPolicyNotFound))
		g.Expect(st.Reference).To(BeEmpty())
	}).Should(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(eventsFor(g, c, v1.ReasonPolicyNotFound)).To(HaveLen(1)) }).Should(Succeed())

	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(condition(&st, v1.ConditionPolicyResolved).Status).To(Equal(metav1.ConditionTrue))
		g.Expect(st.Reference).To(Equal("MKACT-2026-000001"))
		g.Expect(st.Deadlines).To(HaveLen(2))
	}).Should(Succeed())
}

// A full case: acknowledged, extended, answered, escalated and answered at
// the final stage, which closes it with the external routes.
func TestCaseRunsThroughStagesToClosure(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-11-20T16:30:00Z")
	clock := testingclock.NewFakeClock(received.Add(time.Minute))
	startManager(t, clock)
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	c := complaint(ns, "journey", received)
	c.Spec.PeopleInvolved = []string{"Head of Service"}
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, c).Status.Owner).To(Equal("Trustees")) }).Should(Succeed())

	appendActions := func(actions ...v1.Action) {
		t.Helper()
		latest := getComplaint(g, c)
		for i := range actions {
			actions[i].ID = fmt.Sprint(len(latest.Spec.Actions) + 1)
			latest.Spec.Actions = append(latest.Spec.Actions, actions[i])
		}
		g.Expect(env.Client.Update(ctx, latest)).To(Succeed())
	}
	ts := func(s string) metav1.Time { return metav1.NewTime(mustTime(s)) }
	appendActions(
		v1.Action{Type: v1.ActionAcknowledge, At: ts("2026-11-23T09:12:00Z"), By: "alice"},
		v1.Action{Type: v1.ActionAssign, At: ts("2026-11-23T09:13:00Z"), By: "alice", Assignee: "Head of Service"},
		v1.Action{Type: v1.ActionExtend, At: ts("2026-11-30T10:00:00Z"), By: "bob", Until: "2026-12-18", Reason: "Witness on leave"},
		v1.Action{Type: v1.ActionRespond, At: ts("2026-12-15T10:00:00Z"), By: "bob", Outcome: v1.OutcomePartlyUpheld, Summary: "Apology"},
		v1.Action{Type: v1.ActionEscalate, At: ts("2026-12-21T10:00:00Z"), By: "complainant", Reason: "Not enough"},
	)
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.AppliedActions).To(BeEquivalentTo(5))
		g.Expect(st.Stage).To(Equal("appeal"))
		g.Expect(st.Owner).To(Equal("Board"))
		g.Expect(st.RejectedActions).To(HaveLen(1))
		g.Expect(st.RejectedActions[0].Reason).To(Equal("ConflictOfInterest"))
		respond := st.Deadlines[1]
		g.Expect(respond.Extended).To(BeTrue())
		g.Expect(respond.State).To(Equal(v1.DeadlineMet))
	}).Should(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(eventsFor(g, c, "StageAdvanced")).To(HaveLen(1)) }).Should(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(eventsFor(g, c, "ActionRejected")).To(HaveLen(1)) }).Should(Succeed())

	appendActions(
		v1.Action{Type: v1.ActionAcknowledge, At: ts("2026-12-22T10:00:00Z"), By: "carol"},
		v1.Action{Type: v1.ActionRespond, At: ts("2027-01-04T10:00:00Z"), By: "carol", Outcome: v1.OutcomeNotUpheld, Summary: "Board decision"},
	)
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.Phase).To(Equal(v1.PhaseClosed))
		g.Expect(st.ExternalRoutes).To(ConsistOf("Charity Commission"))
		g.Expect(st.Outcome).To(Equal(v1.OutcomeNotUpheld))
		g.Expect(condition(&st, v1.ConditionClosed).Status).To(Equal(metav1.ConditionTrue))
		g.Expect(st.NextDeadline).To(BeNil())
	}).Should(Succeed())
}

// A Policy deleted and recreated (a GitOps prune, a restore without status)
// carries on numbering after its existing cases.
func TestRecreatedPolicyNeverReusesReferences(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-11-23T09:00:00Z")
	startManager(t, testingclock.NewFakeClock(received))
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	first := complaint(ns, "first", received)
	g.Expect(env.Client.Create(ctx, first)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, first).Status.Reference).To(Equal("MKACT-2026-000001")) }).Should(Succeed())

	g.Expect(env.Client.Delete(ctx, londonPolicy(ns))).To(Succeed())
	g.Eventually(func(g Gomega) {
		var p v1.Policy
		g.Expect(env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "standard"}, &p)).NotTo(Succeed())
	}).Should(Succeed())
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	second := complaint(ns, "second", received)
	g.Expect(env.Client.Create(ctx, second)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, second).Status.Reference).To(Equal("MKACT-2026-000002")) }).Should(Succeed())
}
