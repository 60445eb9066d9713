package intake

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// requestsTotal counts intake requests by route and status code, served on
// the manager's metrics endpoint. Routes are patterns, never paths: a path can
// hold a tracking token.
var requestsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "redress_intake_requests_total",
	Help: "Intake HTTP requests by route pattern and status code.",
}, []string{"route", "code"})

func init() {
	metrics.Registry.MustRegister(requestsTotal)
}

func countRequest(route string, status int) {
	if route == "" {
		route = "other"
	}
	requestsTotal.WithLabelValues(route, strconv.Itoa(status)).Inc()
}
