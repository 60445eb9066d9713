package controllers_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	testingclock "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/event"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/controllers"
	"github.com/redress-operator/redress/internal/scheme"
	"github.com/redress-operator/redress/internal/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) {
	// Generous for a loaded 2-core CI machine; polls return as soon as they pass.
	SetDefaultEventuallyTimeout(30 * time.Second)
	SetDefaultEventuallyPollingInterval(20 * time.Millisecond)
	var err error
	if env, err = testenv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = env.Stop()
	os.Exit(code)
}

// running is a manager started for one test, on a fake clock.
type running struct {
	clock *testingclock.FakeClock
	wake  chan event.GenericEvent
	stop  func()
}

var namespaceSeq atomic.Int32

// newNamespace gives each test its own namespace.
func newNamespace(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("t%d", namespaceSeq.Add(1))
	if err := env.Client.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}); err != nil {
		t.Fatal(err)
	}
	return name
}

// startManager runs the controllers against the test API server with the
// given clock until the test ends or stop is called.
func startManager(t *testing.T, clock *testingclock.FakeClock) *running {
	t.Helper()
	return startManagerWith(t, clock, "0")
}

// startManagerWith serves metrics on metricsAddress ("0" for none).
func startManagerWith(t *testing.T, clock *testingclock.FakeClock, metricsAddress string, configure ...func(*controllers.Config)) *running {
	t.Helper()
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 scheme.New(),
		Metrics:                metricsserver.Options{BindAddress: metricsAddress},
		HealthProbeBindAddress: "0",
		Controller:             config.Controller{SkipNameValidation: ptr.To(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	wake := make(chan event.GenericEvent, 1024)
	cfg := controllers.Config{Clock: clock, Wake: wake}
	for _, f := range configure {
		f(&cfg)
	}
	if err := controllers.Setup(mgr, cfg); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := mgr.Start(ctx); err != nil {
			t.Errorf("manager: %v", err)
		}
	}()
	r := &running{clock: clock, wake: wake}
	var stopped atomic.Bool
	r.stop = func() {
		if stopped.CompareAndSwap(false, true) {
			cancel()
			<-done
		}
	}
	t.Cleanup(r.stop)
	return r
}

// step moves the fake clock and wakes the named complaints, as RequeueAfter
// would on real time.
func (r *running) step(d time.Duration, complaints ...*v1.Complaint) {
	r.clock.Step(d)
	for _, c := range complaints {
		r.wake <- event.GenericEvent{Object: c}
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func getComplaint(g Gomega, c *v1.Complaint) *v1.Complaint {
	var got v1.Complaint
	g.Expect(env.Client.Get(context.Background(), client.ObjectKeyFromObject(c), &got)).To(Succeed())
	return &got
}

// eventsFor lists the events regarding a complaint with the given reason.
func eventsFor(g Gomega, c *v1.Complaint, reason string) []eventsv1.Event {
	var list eventsv1.EventList
	g.Expect(env.Client.List(context.Background(), &list, client.InNamespace(c.Namespace))).To(Succeed())
	var out []eventsv1.Event
	for _, e := range list.Items {
		if e.Regarding.Name == c.Name && e.Reason == reason {
			// A series would hide a repeat of the same event.
			g.Expect(e.Series).To(BeNil(), "event %s/%s repeated", e.Reason, e.Action)
			out = append(out, e)
		}
	}
	return out
}

func deadline(st *v1.ComplaintStatus, name v1.DeadlineName) *v1.Deadline {
	for i := range st.Deadlines {
		if st.Deadlines[i].Name == name {
			return &st.Deadlines[i]
		}
	}
	return nil
}

func condition(st *v1.ComplaintStatus, condType string) *metav1.Condition {
	for i := range st.Conditions {
		if st.Conditions[i].Type == condType {
			return &st.Conditions[i]
		}
	}
	return nil
}

func eventsForPolicy(g Gomega, ns, name string) []eventsv1.Event {
	var list eventsv1.EventList
	g.Expect(env.Client.List(context.Background(), &list, client.InNamespace(ns))).To(Succeed())
	var out []eventsv1.Event
	for _, e := range list.Items {
		if e.Regarding.Kind == "Policy" && e.Regarding.Name == name {
			out = append(out, e)
		}
	}
	return out
}
