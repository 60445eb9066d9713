package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/redress-operator/redress/internal/testenv"
)

// managerProc is one manager process started by the benchmark.
type managerProc struct {
	cmd                             *exec.Cmd
	exited                          chan error
	started                         time.Time
	args                            []string
	logPath                         string
	metricsURL, probeURL, intakeURL string
	workersFlag                     bool
}

// buildManager builds ./cmd/manager into path.
func buildManager(ctx context.Context, path string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", path, "./cmd/manager")
	cmd.Dir = testenv.RepoRoot()
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/manager: %w", err)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// managerSpec says how to run a manager process.
type managerSpec struct {
	bin, kubeconfig, logPath string
	watchNamespace           string
	workers                  int
	intake                   bool // serve intake for nsIntake, rate limits off
}

// startManager runs the manager binary as its own process, watching one
// namespace, and waits for /readyz (which, with intake on, includes intake's
// credentials and tracking key).
func startManager(ctx context.Context, hc *http.Client, s managerSpec) (*managerProc, error) {
	ports := make([]int, 3)
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	m := &managerProc{
		logPath:    s.logPath,
		metricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", ports[0]),
		probeURL:   fmt.Sprintf("http://127.0.0.1:%d/readyz", ports[1]),
	}
	m.args = []string{
		fmt.Sprintf("--metrics-bind-address=127.0.0.1:%d", ports[0]),
		fmt.Sprintf("--health-probe-bind-address=127.0.0.1:%d", ports[1]),
		"--watch-namespaces=" + s.watchNamespace,
	}
	if s.intake {
		m.intakeURL = fmt.Sprintf("http://127.0.0.1:%d/intake/v1/namespaces/%s/complaints", ports[2], nsIntake)
		m.args = append(m.args,
			fmt.Sprintf("--intake-bind-address=127.0.0.1:%d", ports[2]),
			"--intake-token-secret="+nsSystem+"/"+tokenSecretName,
			"--intake-token-rate=0",
			"--intake-client-rate=0",
		)
	}
	// Pass --complaint-workers when this build of the manager has it.
	if help, _ := exec.CommandContext(ctx, s.bin, "--help").CombinedOutput(); bytes.Contains(help, []byte("-complaint-workers")) {
		m.args = append(m.args, fmt.Sprintf("--complaint-workers=%d", s.workers))
		m.workersFlag = true
	}
	logf, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(s.bin, m.args...)
	// gctrace prints the heap each GC marked live: the manager's live heap
	// without forcing a GC (the binary serves no pprof).
	cmd.Env = append(os.Environ(), "KUBECONFIG="+s.kubeconfig, "GODEBUG=gctrace=1")
	cmd.Stdout, cmd.Stderr = logf, logf
	progress("starting the manager: %s %s (log: %s)", s.bin, strings.Join(m.args, " "), s.logPath)
	m.started = time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	m.cmd = cmd
	m.exited = make(chan error, 1)
	go func() { m.exited <- cmd.Wait(); logf.Close() }()

	deadline := time.Now().Add(90 * time.Second)
	for {
		if err := m.alive(); err != nil {
			return nil, err
		}
		if resp, err := hc.Get(m.probeURL); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m, nil
			}
		}
		if time.Now().After(deadline) {
			m.stop()
			return nil, fmt.Errorf("the manager was not ready within 90 s; see %s", s.logPath)
		}
		select {
		case <-ctx.Done():
			m.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (m *managerProc) pid() int { return m.cmd.Process.Pid }

func (m *managerProc) alive() error {
	select {
	case err := <-m.exited:
		m.exited <- err
		return fmt.Errorf("the manager exited (%v); see %s", err, m.logPath)
	default:
		return nil
	}
}

// stop sends SIGTERM to the manager this program started and waits for it,
// killing it (by its pid) after 20 s.
func (m *managerProc) stop() {
	if m == nil || m.cmd == nil || m.cmd.Process == nil || m.alive() != nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(20 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
}
