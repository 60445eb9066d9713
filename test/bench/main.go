// Command bench is `make bench`: Redress's manager, run as its own process
// against the real kube-apiserver and etcd that `make test` uses, measured
// against bare API clients doing the same writes on the same control plane.
//
// It prints progress, then a table, and as its very last line one JSON
// object with the headline figures. docs/performance.md explains every
// figure, how it is measured and what limits it.
//
// Environment (all optional):
//
//	BENCH_CASES            cases reconciled (10000)
//	BENCH_CONCURRENCY      requests in flight for every client in the driver:
//	                       creates, the status-write and event baselines,
//	                       intake and its baseline (8); also the manager's
//	                       --complaint-workers
//	BENCH_WORKERS          --complaint-workers, when it should differ
//	BENCH_BREACH_CASES     cases whose acknowledge deadline falls 5–60 s into
//	                       the run (300, at most a quarter of BENCH_CASES)
//	BENCH_INTAKE_REQUESTS  intake requests, and bare creates to compare (4000)
//	BENCH_QUIET_SECONDS    the quiet window for idle writes (60)
//	BENCH_BACKLOG          0 skips the backlog phase (a manager started after
//	                       BENCH_CASES complaints exist; table only) (1)
//	BENCH_TIMEOUT          how long reconciling may take before giving up (15m)
//	BENCH_DIR              where the manager binary, its log and the kubeconfig go (bin/bench)
//	BENCH_MANAGER          a prebuilt manager binary (default: go build ./cmd/manager)
//
// It is a program, not a test, so `go test ./...` never runs it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/redress-operator/redress/internal/testenv"
)

type config struct {
	cases, concurrency, workers, breach, intake int
	backlog                                     bool
	quiet, timeout                              time.Duration
	dir, manager                                string
}

func loadConfig() (config, error) {
	c := config{dir: os.Getenv("BENCH_DIR"), manager: os.Getenv("BENCH_MANAGER")}
	var err error
	num := func(name string, def int) int {
		v := os.Getenv(name)
		if v == "" || err != nil {
			return def
		}
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 0 {
			err = fmt.Errorf("%s=%q: want a whole number", name, v)
		}
		return n
	}
	c.cases = num("BENCH_CASES", 10000)
	c.concurrency = num("BENCH_CONCURRENCY", 8)
	c.workers = num("BENCH_WORKERS", c.concurrency)
	c.breach = num("BENCH_BREACH_CASES", 300)
	c.intake = num("BENCH_INTAKE_REQUESTS", 4000)
	c.quiet = time.Duration(num("BENCH_QUIET_SECONDS", 60)) * time.Second
	c.backlog = num("BENCH_BACKLOG", 1) != 0
	c.timeout = 15 * time.Minute
	if v := os.Getenv("BENCH_TIMEOUT"); v != "" && err == nil {
		if c.timeout, err = time.ParseDuration(v); err != nil {
			err = fmt.Errorf("BENCH_TIMEOUT=%q: %w", v, err)
		}
	}
	if err != nil {
		return c, err
	}
	if c.cases < 10 || c.concurrency < 1 || c.workers < 1 || c.intake < 4 || c.quiet < 10*time.Second {
		return c, fmt.Errorf("BENCH_CASES must be at least 10, BENCH_CONCURRENCY, BENCH_WORKERS at least 1, BENCH_INTAKE_REQUESTS at least 4, BENCH_QUIET_SECONDS at least 10")
	}
	c.breach = min(c.breach, c.cases/4)
	if c.dir == "" {
		c.dir = filepath.Join(testenv.RepoRoot(), "bin", "bench")
	}
	return c, nil
}

func main() {
	// Nothing from controller-runtime's logger may reach the output: the
	// JSON line must stay last.
	ctrllog.SetLogger(logr.Discard())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := loadConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	res, err := run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: FAILED:", err)
		os.Exit(1)
	}
	res.print(os.Stdout)
}

func progress(format string, args ...any) {
	fmt.Printf("bench %s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func run(ctx context.Context, cfg config) (*results, error) {
	res := &results{cfg: cfg, started: time.Now(), loadBefore: loadAverage(), cpus: runtime.NumCPU()}
	progress("%d cases, concurrency %d, --complaint-workers=%d, %d breach cases, %d intake requests; load average %s on %d CPUs",
		cfg.cases, cfg.concurrency, cfg.workers, cfg.breach, cfg.intake, res.loadBefore, res.cpus)

	res.gitState = gitState()
	progress("source: %s", res.gitState)
	if err := os.MkdirAll(cfg.dir, 0o755); err != nil {
		return nil, err
	}
	managerBin := cfg.manager
	if managerBin == "" {
		managerBin = filepath.Join(cfg.dir, "manager")
		progress("building ./cmd/manager into %s", managerBin)
		if err := buildManager(ctx, managerBin); err != nil {
			return nil, err
		}
	}

	progress("starting etcd and kube-apiserver (internal/testenv)")
	env, err := testenv.Start()
	if err != nil {
		return nil, err
	}
	b, err := newBench(ctx, cfg, env, res, managerBin)
	if err != nil {
		_ = env.Stop()
		return nil, err
	}
	err = b.runAll(ctx)
	b.stopManager()
	if serr := env.Stop(); serr != nil && err == nil {
		err = fmt.Errorf("stopping the control plane: %w", serr)
	}
	res.loadAfter = loadAverage()
	res.finished = time.Now()
	return res, err
}

// gitState names the commit and the uncommitted files that go into the
// manager, so a result can be tied to the code it measured.
func gitState() string {
	root := testenv.RepoRoot()
	head, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (no git)"
	}
	out, _ := exec.Command("git", "-C", root, "status", "--porcelain", "--", "api", "cmd", "controllers", "internal").Output()
	var dirty []string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if len(line) > 3 {
			dirty = append(dirty, strings.TrimSpace(line[3:]))
		}
	}
	s := "commit " + strings.TrimSpace(string(head))
	if len(dirty) > 0 {
		s += fmt.Sprintf(" + uncommitted changes in %d files (%s)", len(dirty), strings.Join(dirty, ", "))
	}
	return s
}
