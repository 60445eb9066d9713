// Command runlocal is `make run-local`: it starts a local etcd and
// kube-apiserver on loopback (the binaries `make envtest-assets` builds),
// installs the CRDs and config/samples into namespace "complaints", writes a
// kubeconfig to .redress/kubeconfig and runs the manager in the foreground.
// Ctrl-C stops the manager and then the control plane; nothing is left behind.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/redress-operator/redress/internal/samples"
	"github.com/redress-operator/redress/internal/testenv"
)

const (
	namespace = "complaints"
	// intakeToken is the bearer token run-local accepts for namespace complaints.
	intakeToken  = "redress-local-dev-token"
	intakeSecret = "redress-intake-tokens"
	intakeAddr   = "127.0.0.1:8082"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "run-local:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	root := testenv.RepoRoot()
	fmt.Println("run-local: starting etcd and kube-apiserver on 127.0.0.1 ...")
	env, err := testenv.Start()
	if err != nil {
		return err
	}
	defer func() {
		fmt.Println("run-local: stopping the control plane")
		_ = env.Stop()
	}()

	if err := samples.Apply(ctx, env.Client, namespace, filepath.Join(root, "config", "samples")); err != nil {
		return err
	}
	tokens := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: intakeSecret},
		StringData: map[string]string{namespace: intakeToken},
	}
	if err := env.Client.Create(ctx, tokens); err != nil {
		return err
	}
	kubeconfig := filepath.Join(root, ".redress", "kubeconfig")
	if err := env.WriteKubeconfig(kubeconfig); err != nil {
		return err
	}

	fmt.Printf(`
Redress is running on a local control plane. In another terminal:

  export KUBECONFIG=%[1]s
  kubectl get cpol,cmp -n %[2]s

Intake listens on http://%[3]s (token %[4]q for namespace %[2]s):

  curl -sS -H 'Authorization: Bearer %[4]s' -H 'Content-Type: application/json' \
    -d '{"channel":"Email","summary":"No reply to my letter","description":"I wrote on 2 November.","complainant":{"name":"Sam Example","email":"sam@example.org"}}' \
    http://%[3]s/intake/v1/namespaces/%[2]s/complaints

The public complaint form: http://%[3]s/intake/v1/namespaces/%[2]s/form

Press Ctrl-C to stop everything.

`, kubeconfig, namespace, intakeAddr, intakeToken)

	manager := exec.CommandContext(ctx, filepath.Join(root, "bin", "manager"),
		"--metrics-bind-address=127.0.0.1:8080",
		"--health-probe-bind-address=127.0.0.1:8081",
		"--intake-bind-address="+intakeAddr,
		"--intake-token-secret="+namespace+"/"+intakeSecret,
		"--intake-public-namespaces="+namespace,
	)
	manager.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	manager.Stdout, manager.Stderr = os.Stdout, os.Stderr
	// On Ctrl-C, let the manager shut down cleanly rather than killing it.
	manager.Cancel = func() error { return manager.Process.Signal(syscall.SIGTERM) }
	if err := manager.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("manager: %w", err)
	}
	return nil
}
