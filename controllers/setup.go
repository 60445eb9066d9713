// Package controllers holds one reconciler per kind: Policy and Complaint. Each
// is a thin adapter between the API server and the pure packages under
// internal/ (procedure for validation, lifecycle for the case state machine).
package controllers

import (
	"net/http"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/event"
)

// Config is what the controllers need from the manager's caller.
type Config struct {
	// Clock is injected so tests move time through weeks in milliseconds.
	Clock clock.PassiveClock
	// Wake, when set, reconciles the Complaints sent on it. Tests that step a
	// fake clock use it, since the work queue's RequeueAfter runs on real time.
	Wake <-chan event.GenericEvent
	// SMTPSecret names the Secret with the SMTP server's settings (the
	// manager's --smtp-secret); empty means email letters cannot be sent.
	SMTPSecret types.NamespacedName
	// HTTPClient posts webhook letters; a 10 s timeout client by default.
	HTTPClient *http.Client
	// ComplaintWorkers is how many cases are reconciled at once (default 4).
	ComplaintWorkers int
}

// eventRecorderName is the reporting controller on every event.
const eventRecorderName = "redress"

// Setup registers every controller with the manager.
func Setup(mgr ctrl.Manager, cfg Config) error {
	if cfg.Clock == nil {
		cfg.Clock = clock.RealClock{}
	}
	if cfg.ComplaintWorkers < 1 {
		cfg.ComplaintWorkers = 4
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if err := registerMetrics(mgr.GetCache()); err != nil {
		return err
	}
	if err := (&PolicyReconciler{
		Client:   mgr.GetClient(),
		Recorder: mgr.GetEventRecorder(eventRecorderName),
	}).SetupWithManager(mgr); err != nil {
		return err
	}
	return (&ComplaintReconciler{
		Client:     mgr.GetClient(),
		Recorder:   mgr.GetEventRecorder(eventRecorderName),
		Clock:      cfg.Clock,
		References: NewReferenceAllocator(mgr.GetClient(), mgr.GetAPIReader()),
		letters:    &letterSender{reader: mgr.GetAPIReader(), smtpSecret: cfg.SMTPSecret, http: cfg.HTTPClient},
	}).SetupWithManager(mgr, cfg.Wake, cfg.ComplaintWorkers)
}
