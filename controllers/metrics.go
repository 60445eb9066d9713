package controllers

import (
	"context"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// Counters and histograms move only after the status write that records the
// transition, like events, so a retried reconcile never counts twice.
var (
	deadlinesTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "redress_deadlines_total",
		Help: "Deadlines that were met or breached, by policy, stage, deadline and result.",
	}, []string{"namespace", "policy", "stage", "deadline", "result"})

	timeToAcknowledge = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "redress_time_to_acknowledge_seconds",
		Help:    "From the acknowledge clock's start to the acknowledgement.",
		Buckets: caseBuckets,
	}, []string{"namespace", "policy", "stage"})

	timeToRespond = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "redress_time_to_respond_seconds",
		Help:    "From the respond clock's start to the response.",
		Buckets: caseBuckets,
	}, []string{"namespace", "policy", "stage"})

	rejectedActionsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "redress_rejected_actions_total",
		Help: "Case-log entries that could not apply, by reason.",
	}, []string{"namespace", "policy", "reason"})

	openCasesDesc = prometheus.NewDesc("redress_open_cases",
		"Cases not closed or withdrawn, by namespace, policy, stage and phase.",
		[]string{"namespace", "policy", "stage", "phase"}, nil)
)

// caseBuckets run from an hour to eight weeks.
var caseBuckets = []float64{3600, 4 * 3600, 86400, 2 * 86400, 5 * 86400, 10 * 86400, 15 * 86400, 20 * 86400, 28 * 86400, 56 * 86400}

// openCases counts open cases from the cache at scrape time, so the gauge can
// never drift from what the cluster holds. The registry is process-wide, so
// it reads the cache of the manager set up last.
type openCases struct{ reader atomic.Pointer[client.Reader] }

var openCasesCollector = &openCases{}

func (o *openCases) Describe(ch chan<- *prometheus.Desc) { ch <- openCasesDesc }

func (o *openCases) Collect(ch chan<- prometheus.Metric) {
	reader := o.reader.Load()
	if reader == nil {
		return
	}
	var list v1.ComplaintList
	// Read-only: no need to copy every cached case on each scrape.
	if err := (*reader).List(context.Background(), &list, client.UnsafeDisableDeepCopy); err != nil {
		return
	}
	type key struct{ ns, policy, stage, phase string }
	counts := map[key]int{}
	for i := range list.Items {
		c := &list.Items[i]
		if c.Status.Phase == v1.PhaseClosed || c.Status.Phase == v1.PhaseWithdrawn {
			continue
		}
		counts[key{c.Namespace, c.Spec.PolicyName, c.Status.Stage, string(c.Status.Phase)}]++
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(openCasesDesc, prometheus.GaugeValue, float64(n), k.ns, k.policy, k.stage, k.phase)
	}
}

// registerMetrics adds Redress's metrics to controller-runtime's registry,
// served on the manager's metrics endpoint.
func registerMetrics(cache client.Reader) error {
	openCasesCollector.reader.Store(&cache)
	for _, c := range []prometheus.Collector{deadlinesTotal, timeToAcknowledge, timeToRespond, rejectedActionsTotal, openCasesCollector} {
		if err := metrics.Registry.Register(c); err != nil {
			if _, already := err.(prometheus.AlreadyRegisteredError); !already {
				return err
			}
		}
	}
	return nil
}

// observeTransitions records what changed between two statuses of a case.
func observeTransitions(c *v1.Complaint, before, after *v1.ComplaintStatus) {
	ns, policy := c.Namespace, c.Spec.PolicyName
	for i := range after.Deadlines {
		d := &after.Deadlines[i]
		var was *v1.Deadline
		if i < len(before.Deadlines) {
			was = &before.Deadlines[i]
		}
		switch {
		case d.Name == v1.DeadlineEscalationWindow:
			// The complainant's clock: an escalation is not a deadline met.
		case d.State == v1.DeadlineBreached && (was == nil || was.State != v1.DeadlineBreached):
			deadlinesTotal.WithLabelValues(ns, policy, d.Stage, string(d.Name), "breached").Inc()
		case d.State == v1.DeadlineMet && (was == nil || was.State != v1.DeadlineMet):
			deadlinesTotal.WithLabelValues(ns, policy, d.Stage, string(d.Name), "met").Inc()
		}
		if d.MetAt != nil && (was == nil || was.MetAt == nil) {
			seconds := d.MetAt.Sub(d.StartedAt.Time).Seconds()
			switch d.Name {
			case v1.DeadlineAcknowledge:
				timeToAcknowledge.WithLabelValues(ns, policy, d.Stage).Observe(seconds)
			case v1.DeadlineRespond:
				timeToRespond.WithLabelValues(ns, policy, d.Stage).Observe(seconds)
			}
		}
	}
	for _, r := range after.RejectedActions[min(len(before.RejectedActions), len(after.RejectedActions)):] {
		rejectedActionsTotal.WithLabelValues(ns, policy, r.Reason).Inc()
	}
}
