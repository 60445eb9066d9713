package main

import (
	"flag"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	"github.com/redress-operator/redress/internal/intake"
)

// options are the manager's command-line flags.
type options struct {
	metricsAddr             string
	probeAddr               string
	leaderElect             bool
	leaderElectionNamespace string
	watchNamespaces         string
	smtpSecret              string
	complaintWorkers        int
	intake                  intake.Options
}

func (o *options) bindFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.metricsAddr, "metrics-bind-address", ":8080", "Address the Prometheus metrics endpoint binds to; 0 disables it.")
	fs.StringVar(&o.probeAddr, "health-probe-bind-address", ":8081", "Address /healthz and /readyz bind to.")
	fs.BoolVar(&o.leaderElect, "leader-elect", false, "Elect a leader so only one replica reconciles at a time.")
	fs.StringVar(&o.leaderElectionNamespace, "leader-election-namespace", "", "Namespace of the leader election Lease (defaults to the pod's namespace).")
	fs.StringVar(&o.watchNamespaces, "watch-namespaces", "", "Comma-separated namespaces to watch; empty watches all.")
	fs.StringVar(&o.smtpSecret, "smtp-secret", "", "<namespace>/<name> of the Secret with the SMTP server for letters (keys host, port, username, password, from, tls); empty: no email.")
	fs.IntVar(&o.complaintWorkers, "complaint-workers", 4, "How many complaints are reconciled at once.")
	o.intake.BindFlags(fs)
}

// smtpSecretName parses --smtp-secret.
func (o *options) smtpSecretName() (types.NamespacedName, error) {
	if o.smtpSecret == "" {
		return types.NamespacedName{}, nil
	}
	ns, name, ok := strings.Cut(o.smtpSecret, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return types.NamespacedName{}, fmt.Errorf("--smtp-secret=%q: want <namespace>/<name>", o.smtpSecret)
	}
	return types.NamespacedName{Namespace: ns, Name: name}, nil
}

// cacheNamespaces restricts the cache for a namespaced install.
func (o *options) cacheNamespaces() map[string]cache.Config {
	if strings.TrimSpace(o.watchNamespaces) == "" {
		return nil
	}
	namespaces := map[string]cache.Config{}
	for _, ns := range strings.Split(o.watchNamespaces, ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			namespaces[ns] = cache.Config{}
		}
	}
	return namespaces
}
