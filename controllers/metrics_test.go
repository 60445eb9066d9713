package controllers_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	testingclock "k8s.io/utils/clock/testing"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func scrape(g Gomega, addr string) string {
	resp, err := http.Get("http://" + addr + "/metrics")
	g.Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	g.Expect(err).NotTo(HaveOccurred())
	return string(body)
}

// A scripted history — one case answered late, one acknowledged on time and
// an action rejected — read back from the manager's metrics endpoint.
func TestMetricsEndpointAfterACaseHistory(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := newNamespace(t)
	addr := freeAddress(t)
	received := mustTime("2026-11-20T16:30:00Z")
	mgr := startManagerWith(t, testingclock.NewFakeClock(received.Add(time.Minute)), addr)
	g.Expect(env.Client.Create(ctx, londonPolicy(ns))).To(Succeed())
	late, prompt := complaint(ns, "late", received), complaint(ns, "prompt", received)
	g.Expect(env.Client.Create(ctx, late)).To(Succeed())
	g.Expect(env.Client.Create(ctx, prompt)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, prompt).Status.Reference).NotTo(BeEmpty()) }).Should(Succeed())

	p := getComplaint(g, prompt)
	p.Spec.Actions = []v1.Action{
		{ID: "1", Type: v1.ActionAcknowledge, At: metav1.NewTime(received.Add(24 * time.Hour)), By: "alice"},
		{ID: "2", Type: v1.ActionEscalate, At: metav1.NewTime(received.Add(25 * time.Hour)), By: "complainant"},
	}
	g.Expect(env.Client.Update(ctx, p)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(getComplaint(g, prompt).Status.AppliedActions).To(BeEquivalentTo(2)) }).Should(Succeed())
	mgr.step(8*24*time.Hour, late) // the late case's acknowledgement passes unmet
	g.Eventually(func(g Gomega) {
		g.Expect(getComplaint(g, late).Status.Deadlines[0].State).To(Equal(v1.DeadlineBreached))
	}).Should(Succeed())

	g.Eventually(func(g Gomega) {
		samples := parseMetrics(g, scrape(g, addr))
		at := func(name string, kv ...string) float64 {
			labels := map[string]string{"namespace": ns, "policy": "standard"}
			for i := 0; i < len(kv); i += 2 {
				labels[kv[i]] = kv[i+1]
			}
			return samples.value(name, labels)
		}
		g.Expect(at("redress_open_cases", "stage", "formal", "phase", "Received")).To(Equal(1.0))
		g.Expect(at("redress_open_cases", "stage", "formal", "phase", "Investigating")).To(Equal(1.0))
		g.Expect(at("redress_deadlines_total", "stage", "formal", "deadline", "acknowledge", "result", "breached")).To(Equal(1.0))
		g.Expect(at("redress_deadlines_total", "stage", "formal", "deadline", "acknowledge", "result", "met")).To(Equal(1.0))
		g.Expect(at("redress_time_to_acknowledge_seconds_count", "stage", "formal")).To(Equal(1.0))
		g.Expect(at("redress_rejected_actions_total", "reason", "NotResponded")).To(Equal(1.0))
	}).Should(Succeed())
}

// metricSamples is a scrape parsed into name{labels} -> value.
type metricSamples []metricSample

type metricSample struct {
	name   string
	labels map[string]string
	value  float64
}

// parseMetrics reads the Prometheus text format: name{k="v",...} value.
func parseMetrics(g Gomega, body string) metricSamples {
	var out metricSamples
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, _ := strings.Cut(line, "{")
		labels := map[string]string{}
		if rest != "" {
			var labelText string
			labelText, rest, _ = strings.Cut(rest, "} ")
			for _, kv := range strings.Split(labelText, ",") {
				k, v, _ := strings.Cut(kv, "=")
				labels[k] = strings.Trim(v, `"`)
			}
		} else {
			name, rest, _ = strings.Cut(line, " ")
		}
		var v float64
		_, err := fmt.Sscan(rest, &v)
		g.Expect(err).NotTo(HaveOccurred(), line)
		out = append(out, metricSample{name, labels, v})
	}
	return out
}

// value is the sample with exactly these labels, or -1.
func (m metricSamples) value(name string, labels map[string]string) float64 {
	for _, s := range m {
		if s.name == name && fmt.Sprint(s.labels) == fmt.Sprint(labels) {
			return s.value
		}
	}
	return -1
}
