// Command manager runs the Redress controllers (and, with --intake-bind-address,
// the intake HTTP endpoint) against the cluster named by KUBECONFIG or the
// in-cluster configuration.
package main

import (
	"flag"
	"os"

	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/redress-operator/redress/controllers"
	"github.com/redress-operator/redress/internal/intake"
	"github.com/redress-operator/redress/internal/scheme"
)

func main() {
	var opts options
	opts.bindFlags(flag.CommandLine)
	zapOpts := zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))

	if err := run(opts); err != nil {
		ctrl.Log.Error(err, "manager stopped")
		os.Exit(1)
	}
}

func run(opts options) error {
	log := ctrl.Log.WithName("setup")
	mgr, err := ctrl.NewManager(ctrl.GetConfigOrDie(), ctrl.Options{
		Scheme:                  scheme.New(),
		Metrics:                 metricsserver.Options{BindAddress: opts.metricsAddr},
		HealthProbeBindAddress:  opts.probeAddr,
		LeaderElection:          opts.leaderElect,
		LeaderElectionID:        "redress-manager.complaints.redress.dev",
		LeaderElectionNamespace: opts.leaderElectionNamespace,
		// Release the lease on SIGTERM so a new replica takes over at once.
		LeaderElectionReleaseOnCancel: true,
		Cache: cache.Options{
			// Controllers never read managedFields; dropping them saves memory per case.
			DefaultTransform:  cache.TransformStripManagedFields(),
			DefaultNamespaces: opts.cacheNamespaces(),
		},
	})
	if err != nil {
		return err
	}

	smtpSecret, err := opts.smtpSecretName()
	if err != nil {
		return err
	}
	if err := controllers.Setup(mgr, controllers.Config{Clock: clock.RealClock{}, SMTPSecret: smtpSecret, ComplaintWorkers: opts.complaintWorkers}); err != nil {
		return err
	}
	if err := intake.AddToManager(mgr, opts.intake); err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}

	log.Info("starting manager")
	return mgr.Start(ctrl.SetupSignalHandler())
}
