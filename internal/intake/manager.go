package intake

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/go-logr/logr"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"
)

// AddToManager adds the intake server to mgr as a Runnable that runs on every
// replica (it does not need leader election) and shuts down gracefully with
// the manager. It does nothing when o.BindAddress is empty. The address is
// bound here, so a taken port fails at startup.
func AddToManager(mgr manager.Manager, o Options) error {
	if o.BindAddress == "" {
		return nil
	}
	_, err := addToManager(mgr, o, deps{})
	return err
}

// deps are what tests may replace; zero fields come from the manager.
type deps struct {
	writer     client.Client
	reader     client.Reader
	kube       corev1client.CoreV1Interface
	log        *logr.Logger
	secretWait time.Duration
	now        func() time.Time
}

func addToManager(mgr manager.Manager, o Options, d deps) (*Server, error) {
	cfg, err := o.parse()
	if err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	if d.writer == nil {
		d.writer = mgr.GetClient()
	}
	if d.reader == nil {
		d.reader = mgr.GetAPIReader()
	}
	if d.kube == nil {
		if d.kube, err = corev1client.NewForConfigAndClient(mgr.GetConfig(), mgr.GetHTTPClient()); err != nil {
			return nil, fmt.Errorf("intake: %w", err)
		}
	}
	log := mgr.GetLogger().WithName("intake")
	if d.log != nil {
		log = *d.log
	}
	if d.secretWait == 0 {
		d.secretWait = 3 * time.Second
	}
	if d.now == nil {
		d.now = time.Now
	}

	var certs *certwatcher.CertWatcher
	if cfg.TLSCertFile != "" {
		if certs, err = certwatcher.New(cfg.TLSCertFile, cfg.TLSKeyFile); err != nil {
			return nil, fmt.Errorf("intake: TLS: %w", err)
		}
	}
	s, err := newServer(cfg, d, log, certs)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.BindAddress)
	if err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	s.listener = ln
	if err := mgr.Add(s); err != nil {
		_ = ln.Close()
		return nil, err
	}
	if err := mgr.AddReadyzCheck("intake", func(*http.Request) error { return s.readyErr() }); err != nil {
		return nil, err
	}
	return s, nil
}
