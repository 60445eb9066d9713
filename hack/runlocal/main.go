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

	"github.com/redress-operator/redress/internal/samples"
	"github.com/redress-operator/redress/internal/testenv"
)

const namespace = "complaints"

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
	kubeconfig := filepath.Join(root, ".redress", "kubeconfig")
	if err := env.WriteKubeconfig(kubeconfig); err != nil {
		return err
	}

	fmt.Printf(`
Redress is running on a local control plane. In another terminal:

  export KUBECONFIG=%s
  kubectl get cpol,cmp -n %s

Press Ctrl-C to stop everything.

`, kubeconfig, namespace)

	manager := exec.CommandContext(ctx, filepath.Join(root, "bin", "manager"),
		"--metrics-bind-address=127.0.0.1:8080",
		"--health-probe-bind-address=127.0.0.1:8081",
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
