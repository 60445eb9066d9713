package controllers_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/samples"
	"github.com/redress-operator/redress/internal/testenv"
)

func readyCondition(g Gomega, ns, name string) *metav1.Condition {
	var p v1.Policy
	g.Expect(env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &p)).To(Succeed())
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == v1.ConditionReady {
			g.Expect(p.Status.ObservedGeneration).To(Equal(p.Generation))
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

func TestEverySampleBecomesReady(t *testing.T) {
	g := NewWithT(t)
	ns := newNamespace(t)
	startManager(t, testingclock.NewFakeClock(mustTime("2026-11-23T09:00:00Z")))
	dir := filepath.Join(testenv.RepoRoot(), "config", "samples")
	g.Expect(samples.Apply(context.Background(), env.Client, ns, dir)).To(Succeed())

	objs, err := samples.Load(dir)
	g.Expect(err).NotTo(HaveOccurred())
	policies := 0
	for _, o := range objs {
		if o.GetKind() != "Policy" {
			continue
		}
		policies++
		g.Eventually(func(g Gomega) {
			c := readyCondition(g, ns, o.GetName())
			g.Expect(c).NotTo(BeNil())
			g.Expect(c.Status).To(Equal(metav1.ConditionTrue), "%s: %s", o.GetName(), c.Message)
		}).Should(Succeed())
	}
	g.Expect(policies).To(BeNumerically(">=", 8))
}

func TestUnknownTimeZoneIsReportedAndRecovers(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	startManager(t, testingclock.NewFakeClock(mustTime("2026-11-23T09:00:00Z")))
	p := londonPolicy(ns)
	p.Spec.Calendar.TimeZone = "Europe/Atlantis"
	g.Expect(env.Client.Create(ctx, p)).To(Succeed())
	g.Eventually(func(g Gomega) {
		c := readyCondition(g, ns, p.Name)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Status).To(Equal(metav1.ConditionFalse))
		g.Expect(c.Reason).To(Equal("InvalidTimeZone"))
		g.Expect(c.Message).To(ContainSubstring("spec.calendar.timeZone"))
	}).Should(Succeed())
	g.Eventually(func(g Gomega) {
		var list []string
		var events = eventsForPolicy(g, ns, p.Name)
		for _, e := range events {
			list = append(list, e.Reason)
		}
		g.Expect(list).To(ContainElement(v1.ReasonPolicyInvalid))
	}).Should(Succeed())

	g.Expect(env.Client.Get(ctx, client.ObjectKeyFromObject(p), p)).To(Succeed())
	p.Spec.Calendar.TimeZone = "Europe/London"
	g.Expect(env.Client.Update(ctx, p)).To(Succeed())
	g.Eventually(func(g Gomega) {
		c := readyCondition(g, ns, p.Name)
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue))
		g.Expect(c.Reason).To(Equal(v1.ReasonValid))
	}).Should(Succeed())
}

// kubectl apply refuses a malformed duration and names the field.
func TestMalformedDurationIsRefusedByKubectlApply(t *testing.T) {
	g := NewWithT(t)
	ns := newNamespace(t)
	manifest := filepath.Join(t.TempDir(), "bad.yaml")
	g.Expect(os.WriteFile(manifest, []byte(`apiVersion: complaints.redress.dev/v1alpha1
kind: Policy
metadata: {name: typo}
spec:
  referencePrefix: TYPO
  calendar: {timeZone: Europe/London}
  stages:
  - {name: only, owner: Manager, respondWithin: "10 workdays"}
`), 0o600)).To(Succeed())
	out, err := kubectl(t, "apply", "-n", ns, "-f", manifest).CombinedOutput()
	g.Expect(err).To(HaveOccurred())
	g.Expect(string(out)).To(ContainSubstring("spec.stages[0].respondWithin"))
	g.Expect(string(out)).To(ContainSubstring("10 workdays"))
}

// The Policy in the contract itself (shared/design/api.md) is accepted as
// written and becomes Ready.
func TestContractExamplePolicyIsReady(t *testing.T) {
	g := NewWithT(t)
	ns := newNamespace(t)
	startManager(t, testingclock.NewFakeClock(mustTime("2026-11-23T09:00:00Z")))
	contract, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "..", "shared", "design", "api.md"))
	g.Expect(err).NotTo(HaveOccurred(), "the contract lives in ../shared beside the checkout")
	_, rest, found := strings.Cut(string(contract), "```yaml\n")
	g.Expect(found).To(BeTrue())
	example, _, _ := strings.Cut(rest, "```")
	example, _, _ = strings.Cut(example, "\nstatus:") // the status is the controller's to write

	var policy v1.Policy
	g.Expect(yaml.Unmarshal([]byte(example), &policy)).To(Succeed())
	policy.Namespace = ns
	g.Expect(env.Client.Create(context.Background(), &policy)).To(Succeed())
	g.Eventually(func(g Gomega) {
		c := readyCondition(g, ns, policy.Name)
		g.Expect(c).NotTo(BeNil())
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue), c.Message)
		g.Expect(c.Reason).To(Equal(v1.ReasonValid))
	}).Should(Succeed())
}
