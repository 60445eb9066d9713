package controllers_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	testingclock "k8s.io/utils/clock/testing"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

func kubectl(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := env.WriteKubeconfig(kubeconfig); err != nil {
		t.Fatal(err)
	}
	return exec.Command("kubectl", append([]string{"--kubeconfig", kubeconfig}, args...)...)
}

// What a case worker sees: the contract's columns, through the short name.
func TestKubectlGetShowsContractColumns(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-11-20T16:30:00Z")
	startManager(t, testingclock.NewFakeClock(received.Add(time.Minute)))
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	c := complaint(ns, "columns", received)
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, c).Status.Reference).NotTo(BeEmpty()) }).Should(Succeed())

	out, err := kubectl(t, "get", "cmp", "-n", ns).CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	g.Expect(strings.Fields(lines[0])).To(Equal([]string{"NAME", "REFERENCE", "STAGE", "PHASE", "NEXT", "DEADLINE", "DUE", "BREACHED", "AGE"}))
	g.Expect(lines[1]).To(ContainSubstring("MKACT-2026-000001"))
	g.Expect(lines[1]).To(ContainSubstring("formal"))
	g.Expect(lines[1]).To(ContainSubstring("acknowledge"))

	out, err = kubectl(t, "get", "cpol", "-n", ns).CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	g.Expect(strings.Fields(strings.Split(string(out), "\n")[0])).To(Equal([]string{"NAME", "READY", "STAGES", "AGE"}))
	g.Eventually(func(g Gomega) {
		out, err := kubectl(t, "get", "cpol", "-n", ns, "--no-headers").CombinedOutput()
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(strings.Fields(string(out))[1:3]).To(Equal([]string{"True", "formal,appeal"}))
	}).Should(Succeed())

	out, err = kubectl(t, "get", "redress", "-n", ns).CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	g.Expect(string(out)).To(And(ContainSubstring("complaint.complaints.redress.dev/columns"), ContainSubstring("policy.complaints.redress.dev/standard")))
}

func TestKubectlWaitForAcknowledged(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	received := mustTime("2026-11-20T16:30:00Z")
	clock := testingclock.NewFakeClock(received.Add(time.Minute))
	startManager(t, clock)
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	c := complaint(ns, "wait", received)
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, c).Status.Reference).NotTo(BeEmpty()) }).Should(Succeed())

	wait := kubectl(t, "wait", "-n", ns, "--for=condition=Acknowledged", "complaint/wait", "--timeout=60s")
	var out strings.Builder
	wait.Stdout, wait.Stderr = &out, &out
	g.Expect(wait.Start()).To(Succeed())
	done := make(chan error, 1)
	go func() { done <- wait.Wait() }()
	g.Consistently(done, "1s").ShouldNot(Receive(), "kubectl wait returned before the acknowledgement")

	latest := getComplaint(g, c)
	latest.Spec.Actions = []v1.Action{{ID: "1", Type: v1.ActionAcknowledge, At: metav1.NewTime(clock.Now()), By: "alice"}}
	g.Expect(env.Client.Update(ctx, latest)).To(Succeed())
	var err error
	g.Eventually(done, "60s").Should(Receive(&err))
	g.Expect(err).NotTo(HaveOccurred(), out.String())
	g.Expect(out.String()).To(ContainSubstring("condition met"))
}
