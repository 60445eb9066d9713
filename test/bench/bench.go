package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/procedure"
	"github.com/redress-operator/redress/internal/scheme"
	"github.com/redress-operator/redress/internal/testenv"
)

// bench holds the control plane, the driver's clients and the manager.
type bench struct {
	cfg  config
	env  *testenv.Env
	res  *results
	c    client.WithWatch
	kube kubernetes.Interface
	hc   *http.Client

	managerBin string
	kubeconfig string
	token      string

	mgr   *managerProc // the manager measured from the reconcile phase on
	procs []proc       // control plane and driver, for CPU accounting
}

func newBench(ctx context.Context, cfg config, env *testenv.Env, res *results, managerBin string) (*bench, error) {
	rc := rest.CopyConfig(env.Config)
	// No client-side rate limit: the driver must never be what holds the
	// API server back (QPS < 0 disables client-go's token bucket).
	rc.QPS, rc.Burst = -1, 0
	rc.UserAgent = "redress-bench"
	rc.WarningHandler = rest.NoWarnings{}
	c, err := client.NewWithWatch(rc, client.Options{Scheme: scheme.New()})
	if err != nil {
		return nil, err
	}
	kube, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, err
	}
	b := &bench{
		cfg: cfg, env: env, res: res, c: c, kube: kube,
		hc: &http.Client{
			Timeout:   60 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 4 * cfg.concurrency, MaxIdleConns: 4 * cfg.concurrency, IdleConnTimeout: 90 * time.Second},
		},
		managerBin: managerBin,
		kubeconfig: filepath.Join(cfg.dir, "kubeconfig"),
		token:      randomHex(24),
	}
	b.procs = append(childProcs(), proc{name: "bench driver", pid: os.Getpid()})
	if len(b.procs) < 3 {
		progress("warning: found only %d control-plane processes for CPU accounting", len(b.procs)-1)
	}
	if err := env.WriteKubeconfig(b.kubeconfig); err != nil {
		return nil, err
	}
	for _, ns := range []string{nsReconcile, nsBaseline, nsBacklog, nsIntake, nsIntakeBaseline, nsSystem} {
		if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return nil, err
		}
	}
	for _, ns := range []string{nsReconcile, nsBaseline, nsBacklog} {
		if err := c.Create(ctx, policy(ns)); err != nil {
			return nil, fmt.Errorf("creating the Policy: %w", err)
		}
	}
	tokens := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: nsSystem, Name: tokenSecretName},
		StringData: map[string]string{nsIntake: b.token},
	}
	if err := c.Create(ctx, tokens); err != nil {
		return nil, err
	}
	return b, nil
}

// withManager is the tracked processes plus a manager.
func (b *bench) withManager(m *managerProc) []proc {
	return append(slices.Clone(b.procs), proc{name: "manager", pid: m.pid()})
}

func (b *bench) runAll(ctx context.Context) error {
	if err := b.statusBaseline(ctx); err != nil {
		return fmt.Errorf("status-write baseline: %w", err)
	}
	if b.cfg.backlog {
		if err := b.backlog(ctx); err != nil {
			return fmt.Errorf("backlog: %w", err)
		}
	}
	var err error
	b.mgr, err = startManager(ctx, b.hc, managerSpec{
		bin: b.managerBin, kubeconfig: b.kubeconfig, logPath: filepath.Join(b.cfg.dir, "manager.log"),
		watchNamespace: nsReconcile, workers: b.cfg.workers, intake: true,
	})
	if err != nil {
		return err
	}
	b.res.managerArgs, b.res.workersFlag = b.mgr.args, b.mgr.workersFlag
	b.procs = b.withManager(b.mgr)
	if err := b.heapBefore(ctx); err != nil {
		return err
	}
	tr, err := b.reconcile(ctx)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	if err := b.breaches(ctx, tr); err != nil {
		return fmt.Errorf("breach latency: %w", err)
	}
	if err := b.quietMinute(ctx); err != nil {
		return fmt.Errorf("quiet minute: %w", err)
	}
	if err := b.idleBreaches(ctx); err != nil {
		return fmt.Errorf("idle breach latency: %w", err)
	}
	if err := b.intake(ctx); err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	return b.mgr.alive()
}

// stopManager stops the measured manager, if it runs.
func (b *bench) stopManager() { b.mgr.stop() }

// --- the status-write baseline -------------------------------------------------

// statusBaseline creates BENCH_CASES complaints in a namespace the manager
// never watches (it is not running yet), then writes to each the very status
// the controller would write (computed by internal/lifecycle, as the
// controller does) with the same request the controller sends: a JSON merge
// patch of the status subresource carrying the resourceVersion. The patches
// are computed before the clock starts; only the writes are timed.
func (b *bench) statusBaseline(ctx context.Context) error {
	n, conc := b.cfg.cases, b.cfg.concurrency
	var pol v1.Policy
	if err := b.c.Get(ctx, client.ObjectKey{Namespace: nsBaseline, Name: policyName}, &pol); err != nil {
		return err
	}
	proc, err := procedure.Compile(&pol)
	if err != nil {
		return err
	}

	warm := min(200, n)
	progress("baseline: warming up with %d creates and status writes", warm)
	warmCases := make([]*v1.Complaint, warm)
	if r := parallel(ctx, warm, conc, func(ctx context.Context, i int) error {
		c := complaint(nsBaseline, 1_000_000+i, nil)
		warmCases[i] = c
		return b.c.Create(ctx, c)
	}); r.failures > 0 {
		return r.firstErr
	}
	warmPatches, _ := statusPatches(warmCases, proc)
	if r := parallel(ctx, warm, conc, func(ctx context.Context, i int) error {
		return b.patchStatus(ctx, warmCases[i], warmPatches[i])
	}); r.failures > 0 {
		return r.firstErr
	}

	progress("baseline: creating %d complaints with a bare client, %d in flight", n, conc)
	cases := make([]*v1.Complaint, n)
	before := snapshot(b.procs)
	cr := parallel(ctx, n, conc, func(ctx context.Context, i int) error {
		c := complaint(nsBaseline, i, nil)
		cases[i] = c
		return b.c.Create(ctx, c)
	})
	b.res.cpuBaselineCreate = diffCPU(before, snapshot(b.procs))
	if cr.failures > 0 {
		return fmt.Errorf("%d creates failed: %w", cr.failures, cr.firstErr)
	}
	b.res.baselineCreate = cr

	patches, events := statusPatches(cases, proc)
	progress("baseline: writing %d status updates with a bare client, %d in flight", n, conc)
	before = snapshot(b.procs)
	sr := parallel(ctx, n, conc, func(ctx context.Context, i int) error {
		return b.patchStatus(ctx, cases[i], patches[i])
	})
	b.res.cpuBaselineStatus = diffCPU(before, snapshot(b.procs))
	if sr.failures > 0 {
		return fmt.Errorf("%d status writes failed: %w", sr.failures, sr.firstErr)
	}
	b.res.baselineStatus = sr
	b.res.statusPatchBytes = len(patches[n/2])
	progress("baseline: %d status updates in %.1f s (%.0f/s); creates took %.1f s (%.0f/s)",
		n, sr.elapsed.Seconds(), sr.rate(), cr.elapsed.Seconds(), cr.rate())

	// The contract also wants a Received event per case: what the same
	// client pays to record those (not part of baseline_seconds).
	progress("baseline: recording %d Received events with a bare client, %d in flight", n, conc)
	before = snapshot(b.procs)
	er := parallel(ctx, n, conc, func(ctx context.Context, i int) error {
		return b.c.Create(ctx, events[i])
	})
	b.res.cpuBaselineEvents = diffCPU(before, snapshot(b.procs))
	if er.failures > 0 {
		return fmt.Errorf("%d event writes failed: %w", er.failures, er.firstErr)
	}
	b.res.baselineEvents = er
	return nil
}

// statusPatches computes, for each created case, the merge patch that
// records the status the controller computes for it, and the Received event
// the controller's recorder would post for it.
func statusPatches(cases []*v1.Complaint, proc *procedure.Procedure) ([][]byte, []*eventsv1.Event) {
	out := make([][]byte, len(cases))
	events := make([]*eventsv1.Event, len(cases))
	now := time.Now()
	host, _ := os.Hostname()
	for i, c := range cases {
		in := lifecycle.Input{
			UID: string(c.UID), Spec: &c.Spec, Generation: c.Generation,
			CreatedAt: c.CreationTimestamp.Time, Status: c.Status, Now: now, Procedure: proc,
		}
		in.Status.Reference = fmt.Sprintf("BENCH-%d-%06d", now.Year(), i+1)
		r := lifecycle.Evaluate(in)
		modified := c.DeepCopy()
		modified.Status = r.Status
		data, err := client.MergeFromWithOptions(c, client.MergeFromWithOptimisticLock{}).Data(modified)
		if err != nil {
			panic(err)
		}
		out[i] = data
		for _, e := range r.Events {
			if e.Reason != "Received" {
				continue
			}
			events[i] = &eventsv1.Event{
				ObjectMeta:          metav1.ObjectMeta{Namespace: c.Namespace, Name: fmt.Sprintf("%s.%x", c.Name, now.UnixNano()+int64(i))},
				EventTime:           metav1.NewMicroTime(now),
				ReportingController: "redress",
				ReportingInstance:   "redress-" + host,
				Action:              e.Action,
				Reason:              e.Reason,
				Type:                e.Type,
				Note:                e.Note,
				Regarding: corev1.ObjectReference{Kind: "Complaint", APIVersion: v1.GroupVersion.String(),
					Namespace: c.Namespace, Name: c.Name, UID: c.UID, ResourceVersion: c.ResourceVersion},
			}
		}
		if events[i] == nil {
			panic("the lifecycle raised no Received event for a new case")
		}
	}
	return out, events
}

func (b *bench) patchStatus(ctx context.Context, c *v1.Complaint, patch []byte) error {
	target := &v1.Complaint{ObjectMeta: metav1.ObjectMeta{Namespace: c.Namespace, Name: c.Name}}
	return b.c.Status().Patch(ctx, target, client.RawPatch(types.MergePatchType, patch))
}

// --- a backlog ------------------------------------------------------------------

// backlog creates BENCH_CASES complaints while no manager runs, then starts a
// manager (its own process, watching only that namespace) and times it from
// process start until every case has its reference and deadlines: the
// controller alone against the status-write baseline, without creates
// competing. The manager is stopped afterwards.
func (b *bench) backlog(ctx context.Context) error {
	n, conc := b.cfg.cases, b.cfg.concurrency
	progress("backlog: creating %d complaints with no manager running", n)
	if r := parallel(ctx, n, conc, func(ctx context.Context, i int) error {
		return b.c.Create(ctx, complaint(nsBacklog, i, nil))
	}); r.failures > 0 {
		return fmt.Errorf("%d creates failed: %w", r.failures, r.firstErr)
	}
	t := &tracker{want: n, done: map[string]time.Time{}, ackDue: map[string]time.Time{}, allDone: make(chan struct{})}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	ready := make(chan struct{})
	go b.follow(wctx, nsBacklog, t, ready)
	<-ready

	before := snapshot(b.procs)
	m, err := startManager(ctx, b.hc, managerSpec{
		bin: b.managerBin, kubeconfig: b.kubeconfig, logPath: filepath.Join(b.cfg.dir, "manager-backlog.log"),
		watchNamespace: nsBacklog, workers: b.cfg.workers,
	})
	if err != nil {
		return err
	}
	defer m.stop()
	procs := b.withManager(m)
	// CPU of the manager is counted from its start (it was 0 before).
	before.cpu["manager"] = 0
	b.res.backlogReady = time.Since(m.started)
	progress("backlog: manager ready %.1f s after its start; %d of %d reconciled", b.res.backlogReady.Seconds(), t.count(), n)
	timeout := time.NewTimer(b.cfg.timeout)
	defer timeout.Stop()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-t.allDone:
			done = true
		case <-tick.C:
			progress("backlog: %d/%d reconciled", t.count(), n)
			if err := m.alive(); err != nil {
				return err
			}
		case <-timeout.C:
			return fmt.Errorf("only %d of %d cases reconciled after %s", t.count(), n, b.cfg.timeout)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	b.res.cpuBacklog = diffCPU(before, snapshot(procs))
	var last time.Time
	for _, at := range t.done {
		if at.After(last) {
			last = at
		}
	}
	b.res.backlog = last.Sub(m.started)
	if c, err := b.managerCounters(ctx, m); err == nil {
		b.res.backlogCounters = c
	}
	progress("backlog: all %d reconciled %.1f s after the manager started", n, b.res.backlog.Seconds())
	return nil
}

// liveHeap measures the manager's live heap without scraping its /metrics
// (a scrape copies every cached case and would be counted as live): it makes
// the manager allocate short-lived garbage (GET /healthz on two keep-alive
// connections) until the runtime has traced two garbage collections, and
// returns the lower heap those GCs marked live (gctrace, in MiB) and the
// process's resident set.
func (b *bench) liveHeap(ctx context.Context) (heapSummary, error) {
	healthz := strings.TrimSuffix(b.mgr.probeURL, "/readyz") + "/healthz"
	from := fileSize(b.mgr.logPath)
	deadline := time.Now().Add(90 * time.Second)
	h := heapSummary{liveMB: math.NaN()}
	for {
		cycles := gcCycles(b.mgr.logPath, from, fileSize(b.mgr.logPath))
		if len(cycles) >= 2 {
			for _, c := range cycles {
				if math.IsNaN(h.liveMB) || c.liveMB < h.liveMB {
					h.liveMB = c.liveMB
				}
			}
			h.gcs = len(cycles)
			h.rss = residentBytes(b.mgr.pid())
			return h, nil
		}
		if time.Now().After(deadline) {
			return h, fmt.Errorf("the manager ran no garbage collection in 90 s of /healthz requests")
		}
		r := parallel(ctx, 500, 2, func(ctx context.Context, i int) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, healthz, nil)
			if err != nil {
				return err
			}
			resp, err := b.hc.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			return resp.Body.Close()
		})
		if r.failures > 0 {
			return h, r.firstErr
		}
		h.requests += r.n
	}
}

func (b *bench) heapBefore(ctx context.Context) error {
	time.Sleep(3 * time.Second)
	h, err := b.liveHeap(ctx)
	b.res.heapBefore = h
	return err
}

// --- reconciling ------------------------------------------------------------------

// tracker follows the reconcile namespace through a watch and records when
// each case first has its reference and deadlines.
type tracker struct {
	mu      sync.Mutex
	want    int
	done    map[string]time.Time
	ackDue  map[string]time.Time
	allDone chan struct{}
	closed  bool
}

func (t *tracker) observe(c *v1.Complaint, at time.Time) {
	if c.Status.Reference == "" || len(c.Status.Deadlines) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.done[c.Name]; ok {
		return
	}
	t.done[c.Name] = at
	for _, d := range c.Status.Deadlines {
		if d.Name == v1.DeadlineAcknowledge {
			t.ackDue[c.Name] = d.Due.Time
		}
	}
	if len(t.done) >= t.want && !t.closed {
		t.closed = true
		close(t.allDone)
	}
}

func (t *tracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.done)
}

// follow watches complaints in ns until ctx ends, re-listing when the watch
// breaks. Each object is decoded in full (the driver's CPU cost is reported).
func (b *bench) follow(ctx context.Context, ns string, t *tracker, ready chan<- struct{}) {
	rv := ""
	relist := func() {
		var list v1.ComplaintList
		for ctx.Err() == nil {
			if err := b.c.List(ctx, &list, client.InNamespace(ns)); err == nil {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		now := time.Now()
		for i := range list.Items {
			t.observe(&list.Items[i], now)
		}
		rv = list.ResourceVersion
	}
	relist()
	if ready != nil {
		close(ready)
	}
	for ctx.Err() == nil {
		w, err := b.c.Watch(ctx, &v1.ComplaintList{}, &client.ListOptions{Namespace: ns, Raw: &metav1.ListOptions{ResourceVersion: rv}})
		if err != nil {
			time.Sleep(200 * time.Millisecond)
			relist()
			continue
		}
		broken := false
		for ev := range w.ResultChan() {
			if ev.Type == watch.Error {
				broken = true
				break
			}
			if c, ok := ev.Object.(*v1.Complaint); ok {
				t.observe(c, time.Now())
				rv = c.ResourceVersion
			}
		}
		w.Stop()
		if broken {
			relist()
		}
	}
}

// reconcile creates BENCH_CASES complaints while the manager runs and waits
// until every one has its reference and deadlines. The first BENCH_BREACH_CASES
// were received an hour (less 5 to 60 s) before the run, so their one-hour
// acknowledge deadlines fall due during it.
func (b *bench) reconcile(ctx context.Context) (*tracker, error) {
	n, conc, nb := b.cfg.cases, b.cfg.concurrency, b.cfg.breach
	t := &tracker{want: n, done: map[string]time.Time{}, ackDue: map[string]time.Time{}, allDone: make(chan struct{})}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	ready := make(chan struct{})
	go b.follow(wctx, nsReconcile, t, ready)
	<-ready

	before, err := b.managerCounters(ctx, b.mgr)
	if err != nil {
		return nil, err
	}
	api0, err := b.apiStatsNow(ctx)
	if err != nil {
		return nil, err
	}
	cpu0 := snapshot(b.procs)
	start := time.Now()
	b.res.runStart = start
	received := func(i int) *time.Time {
		if i >= nb {
			return nil
		}
		offset := 5*time.Second + time.Duration(i)*55*time.Second/time.Duration(max(1, nb-1))
		at := start.Add(offset).Add(-time.Hour).Truncate(time.Second)
		return &at
	}
	progress("reconcile: creating %d complaints (%d due to breach 5–60 s in), %d in flight, manager running", n, nb, conc)
	cr := parallel(ctx, n, conc, func(ctx context.Context, i int) error {
		return b.c.Create(ctx, complaint(nsReconcile, i, received(i)))
	})
	if cr.failures > 0 {
		return nil, fmt.Errorf("%d creates failed: %w", cr.failures, cr.firstErr)
	}
	b.res.reconcileCreate = cr
	progress("reconcile: %d created in %.1f s (%.0f/s); %d reconciled so far", n, cr.elapsed.Seconds(), cr.rate(), t.count())

	timeout := time.NewTimer(b.cfg.timeout)
	defer timeout.Stop()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
wait:
	for {
		select {
		case <-t.allDone:
			break wait
		case <-tick.C:
			progress("reconcile: %d/%d reconciled", t.count(), n)
			if err := b.mgr.alive(); err != nil {
				return nil, err
			}
		case <-timeout.C:
			return nil, fmt.Errorf("only %d of %d cases reconciled after %s", t.count(), n, b.cfg.timeout)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var last time.Time
	for _, at := range t.done {
		if at.After(last) {
			last = at
		}
	}
	b.res.reconcile = last.Sub(start)
	b.res.lastCreate = cr.elapsed
	b.res.cpuReconcile = diffCPU(cpu0, snapshot(b.procs))
	after, err := b.managerCounters(ctx, b.mgr)
	if err != nil {
		return nil, err
	}
	b.res.reconcileCounters = after.minus(before)
	api1, err := b.apiStatsNow(ctx)
	if err != nil {
		return nil, err
	}
	b.res.reconcileAPI = api1.minus(api0)
	progress("reconcile: all %d cases have a reference and deadlines %.1f s after the first create", n, b.res.reconcile.Seconds())
	return t, nil
}

// counters are the manager's cumulative request and reconcile counters.
type counters struct {
	writesByMethod       map[string]float64
	reconciles, errs     float64
	reconcileTimeSum     float64
	queueWaitSum, queued float64
}

func (c counters) minus(o counters) counters {
	out := counters{writesByMethod: map[string]float64{},
		reconciles: c.reconciles - o.reconciles, errs: c.errs - o.errs, reconcileTimeSum: c.reconcileTimeSum - o.reconcileTimeSum,
		queueWaitSum: c.queueWaitSum - o.queueWaitSum, queued: c.queued - o.queued}
	for k, v := range c.writesByMethod {
		out.writesByMethod[k] = v - o.writesByMethod[k]
	}
	return out
}

func (b *bench) managerCounters(ctx context.Context, m *managerProc) (counters, error) {
	mm, _, err := scrape(ctx, b.hc, m.metricsURL)
	if err != nil {
		return counters{}, err
	}
	c := counters{writesByMethod: map[string]float64{}}
	for _, s := range mm["rest_client_requests_total"] {
		if isWrite(s.labels["method"]) {
			c.writesByMethod[s.labels["method"]] += s.value
		}
	}
	complaintCtl := func(l map[string]string) bool { return l["controller"] == "complaint" }
	c.reconciles = mm.sum("controller_runtime_reconcile_total", complaintCtl)
	c.errs = mm.sum("controller_runtime_reconcile_errors_total", complaintCtl)
	c.reconcileTimeSum = mm.sum("controller_runtime_reconcile_time_seconds_sum", complaintCtl)
	c.queueWaitSum = mm.sum("workqueue_queue_duration_seconds_sum", func(l map[string]string) bool { return l["name"] == "complaint" })
	c.queued = mm.sum("workqueue_queue_duration_seconds_count", func(l map[string]string) bool { return l["name"] == "complaint" })
	return c, nil
}

// apiStats are the API server's request counts and summed server-side
// latencies, keyed "VERB resource[/subresource]".
type apiStats struct{ n, sum map[string]float64 }

func apiserverStats(m metrics) apiStats {
	a := apiStats{n: map[string]float64{}, sum: map[string]float64{}}
	key := func(l map[string]string) string {
		k := l["verb"] + " " + l["resource"]
		if l["subresource"] != "" {
			k += "/" + l["subresource"]
		}
		return k
	}
	for _, s := range m["apiserver_request_duration_seconds_count"] {
		a.n[key(s.labels)] += s.value
	}
	for _, s := range m["apiserver_request_duration_seconds_sum"] {
		a.sum[key(s.labels)] += s.value
	}
	return a
}

func (a apiStats) minus(o apiStats) apiStats {
	out := apiStats{n: map[string]float64{}, sum: map[string]float64{}}
	for k, v := range a.n {
		out.n[k] = v - o.n[k]
		out.sum[k] = a.sum[k] - o.sum[k]
	}
	return out
}

func (b *bench) apiStatsNow(ctx context.Context) (apiStats, error) {
	m, err := b.apiserverMetrics(ctx)
	if err != nil {
		return apiStats{}, err
	}
	return apiserverStats(m), nil
}

// --- breaches ---------------------------------------------------------------------

// breachEvents lists DeadlineBreached events in ns for the acknowledge deadline.
func (b *bench) breachEvents(ctx context.Context, ns string) ([]eventsv1.Event, error) {
	var list eventsv1.EventList
	if err := b.c.List(ctx, &list, client.InNamespace(ns), client.MatchingFields{"reason": "DeadlineBreached"}); err != nil {
		return nil, err
	}
	var out []eventsv1.Event
	for _, e := range list.Items {
		if strings.HasSuffix(e.Action, "/acknowledge") {
			out = append(out, e)
		}
	}
	return out, nil
}

// breachLatencies waits for the DeadlineBreached event of every case in due
// and returns eventTime minus due for each, sorted.
func (b *bench) breachLatencies(ctx context.Context, ns string, due map[string]time.Time, want int) ([]time.Duration, []eventsv1.Event, error) {
	var lastDue time.Time
	for _, d := range due {
		if d.After(lastDue) {
			lastDue = d
		}
	}
	deadline := lastDue.Add(90 * time.Second)
	for {
		evs, err := b.breachEvents(ctx, ns)
		if err != nil {
			return nil, nil, err
		}
		if len(evs) >= want || time.Now().After(deadline) {
			var lat []time.Duration
			for _, e := range evs {
				d, ok := due[e.Regarding.Name]
				if !ok || e.EventTime.IsZero() {
					continue
				}
				lat = append(lat, e.EventTime.Sub(d))
			}
			slices.Sort(lat)
			if len(evs) < want {
				progress("warning: only %d of %d DeadlineBreached events arrived", len(evs), want)
			}
			return lat, evs, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

func (b *bench) breaches(ctx context.Context, t *tracker) error {
	due := map[string]time.Time{}
	for i := 0; i < b.cfg.breach; i++ {
		name := fmt.Sprintf("c-%06d", i)
		d, ok := t.ackDue[name]
		if !ok {
			return fmt.Errorf("case %s has no acknowledge deadline", name)
		}
		due[name] = d
	}
	progress("breaches: waiting for %d DeadlineBreached events", len(due))
	lat, _, err := b.breachLatencies(ctx, nsReconcile, due, len(due))
	if err != nil {
		return err
	}
	b.res.breach = lat
	// How many fell due while cases were still waiting for their first reconcile.
	end := b.res.runStart.Add(b.res.reconcile)
	for _, d := range due {
		if d.Before(end) {
			b.res.breachDuringBacklog++
		}
	}
	b.res.breachWanted = len(due)
	// Events recorded per reason, over the whole namespace.
	var list eventsv1.EventList
	b.res.eventsByReason = map[string]int{}
	cont := ""
	for {
		if err := b.c.List(ctx, &list, client.InNamespace(nsReconcile), client.Limit(2000), client.Continue(cont)); err != nil {
			return err
		}
		for _, e := range list.Items {
			b.res.eventsByReason[e.Reason]++
		}
		if cont = list.Continue; cont == "" {
			break
		}
	}
	if len(list.Items) > 0 {
		b.res.sampleEvent = list.Items[0].DeepCopy()
	}
	progress("breaches: %d events, p50 %.0f ms, p99 %.0f ms", len(lat), ms(percentile(lat, 50)), ms(percentile(lat, 99)))
	return nil
}

// idleBreaches measures breach latency once the backlog is gone: 100 cases
// whose acknowledge deadline falls 8–20 s after they are created. Not part
// of the JSON (the contract asks for deadlines during the run); it separates
// the controller's timer accuracy from queueing behind a backlog.
func (b *bench) idleBreaches(ctx context.Context) error {
	n := min(100, b.cfg.breach)
	if n == 0 {
		return nil
	}
	start := time.Now()
	due := map[string]time.Time{}
	progress("idle breaches: %d cases due 8–20 s from now", n)
	r := parallel(ctx, n, b.cfg.concurrency, func(ctx context.Context, i int) error {
		at := start.Add(8*time.Second + time.Duration(i)*12*time.Second/time.Duration(max(1, n-1))).Add(-time.Hour).Truncate(time.Second)
		c := complaint(nsReconcile, 2_000_000+i, &at)
		return b.c.Create(ctx, c)
	})
	if r.failures > 0 {
		return r.firstErr
	}
	for i := 0; i < n; i++ {
		at := start.Add(8*time.Second + time.Duration(i)*12*time.Second/time.Duration(max(1, n-1))).Add(-time.Hour).Truncate(time.Second)
		due[fmt.Sprintf("c-%07d", 2_000_000+i)] = at.Add(time.Hour)
	}
	all := map[string]time.Time{}
	for k, v := range due {
		all[k] = v
	}
	time.Sleep(time.Until(start.Add(21 * time.Second)))
	lat, _, err := b.breachLatencies(ctx, nsReconcile, all, b.cfg.breach+n)
	if err != nil {
		return err
	}
	b.res.idleBreach = lat
	progress("idle breaches: p50 %.0f ms, p99 %.0f ms", ms(percentile(lat, 50)), ms(percentile(lat, 99)))
	return nil
}

// --- the quiet minute -------------------------------------------------------------

func (b *bench) apiserverMetrics(ctx context.Context) (metrics, error) {
	raw, err := b.kube.Discovery().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return nil, err
	}
	return parseMetrics(bytes.NewReader(raw))
}

// quietMinute counts the manager's writes while nothing happens, and samples
// its heap meanwhile (the cases are all reconciled and in its cache).
func (b *bench) quietMinute(ctx context.Context) error {
	time.Sleep(5 * time.Second) // let trailing event writes land
	progress("quiet: counting the manager's API writes for %s with nothing to do", b.cfg.quiet)
	m0, _, err := scrape(ctx, b.hc, b.mgr.metricsURL)
	if err != nil {
		return err
	}
	a0, err := b.apiserverMetrics(ctx)
	if err != nil {
		return err
	}
	cpu0 := snapshot(b.procs)
	t0 := time.Now()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(b.cfg.quiet):
	}
	m1, _, err := scrape(ctx, b.hc, b.mgr.metricsURL)
	if err != nil {
		return err
	}
	a1, err := b.apiserverMetrics(ctx)
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	b.res.cpuQuiet = diffCPU(cpu0, snapshot(b.procs))
	b.res.quiet = elapsed
	b.res.idleWrites = managerWrites(m1) - managerWrites(m0)
	b.res.idleAPIServerWrites = apiserverWrites(a1) - apiserverWrites(a0)
	progress("quiet: %.0f writes by the manager (%.0f seen by the API server) in %.0f s", b.res.idleWrites, b.res.idleAPIServerWrites, elapsed.Seconds())

	// What one scrape of the manager's /metrics allocates, with every case cached.
	sa, _, err := scrape(ctx, b.hc, b.mgr.metricsURL)
	if err != nil {
		return err
	}
	sb, d, err := scrape(ctx, b.hc, b.mgr.metricsURL)
	if err != nil {
		return err
	}
	b.res.scrapeAlloc = sb.value("go_memstats_alloc_bytes_total") - sa.value("go_memstats_alloc_bytes_total")
	b.res.scrapeTime = d

	progress("heap: driving garbage collections in the manager")
	if b.res.heapAfter, err = b.liveHeap(ctx); err != nil {
		return err
	}
	b.res.eventCacheEstimate = estimateEventCache(b.res.sampleEvent, b.res.eventsTotal())
	var sample v1.Complaint
	if err := b.c.Get(ctx, client.ObjectKey{Namespace: nsReconcile, Name: fmt.Sprintf("c-%06d", b.cfg.cases-1)}, &sample); err != nil {
		return err
	}
	b.res.cacheEstimate, b.res.objectJSONBytes = estimateInformerCache(&sample, b.cfg.cases)
	return nil
}

// --- intake -----------------------------------------------------------------------

// intake compares POST /intake/v1/.../complaints (bearer token, with an
// Idempotency-Key, as docs/intake.md recommends) with a bare client creating
// the same two objects (Complaint, then the complainant Secret owned by it),
// the same number of requests at the same concurrency. The manager does not
// watch either namespace, so no reconciling competes.
func (b *bench) intake(ctx context.Context) error {
	n, conc := b.cfg.intake, b.cfg.concurrency
	bare := func(ns string) func(context.Context, int) error {
		return func(ctx context.Context, i int) error {
			c, secret := bareIntakeObjects(ns, i)
			if err := b.c.Create(ctx, c); err != nil {
				return err
			}
			return b.c.Create(ctx, secret(c))
		}
	}
	codes := &sync.Map{} // status code -> *atomic.Int64
	post := func(ctx context.Context, i int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.mgr.intakeURL, bytes.NewReader(intakeBody(i)))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+b.token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", randomHex(16))
		resp, err := b.hc.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		v, _ := codes.LoadOrStore(resp.StatusCode, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
		if resp.StatusCode != http.StatusAccepted {
			return fmt.Errorf("intake answered %d: %s", resp.StatusCode, body)
		}
		return nil
	}

	warm := min(50, n)
	progress("intake: warming up (%d bare, %d intake)", warm, warm)
	if r := parallel(ctx, warm, conc, bare(nsIntakeBaseline)); r.failures > 0 {
		return r.firstErr
	}
	if r := parallel(ctx, warm, conc, post); r.failures > 0 {
		return r.firstErr
	}

	// Alternate rounds (bare, intake, bare, intake, ...) so that drift in the
	// machine's load and the API server's own garbage collections fall on
	// both sides alike.
	const rounds = 4
	progress("intake: %d bare creates of Complaint+Secret and %d POSTs to intake, %d in flight, alternating in %d rounds each", n, n, conc, rounds)
	codes = &sync.Map{} // count the timed requests only
	var br, ir runResult
	for round := 0; round < rounds; round++ {
		m := n/rounds + map[bool]int{true: n % rounds, false: 0}[round == rounds-1]
		cpu0 := snapshot(b.procs)
		r := parallel(ctx, m, conc, bare(nsIntakeBaseline))
		addCPU(&b.res.cpuIntakeBaseline, diffCPU(cpu0, snapshot(b.procs)))
		if r.failures > 0 {
			return fmt.Errorf("%d bare creates failed: %w", r.failures, r.firstErr)
		}
		br = br.merge(r)
		cpu0 = snapshot(b.procs)
		r = parallel(ctx, m, conc, post)
		addCPU(&b.res.cpuIntake, diffCPU(cpu0, snapshot(b.procs)))
		ir = ir.merge(r)
		if r.failures > 0 {
			return fmt.Errorf("%d of %d intake requests failed: %w", r.failures, m, r.firstErr)
		}
	}
	b.res.intakeBaseline, b.res.intake = br, ir
	b.res.intakeCodes = map[int]int64{}
	codes.Range(func(k, v any) bool { b.res.intakeCodes[k.(int)] = v.(*atomic.Int64).Load(); return true })
	progress("intake: %.0f/s through intake, %.0f/s bare; intake p99 %.0f ms", ir.rate(), br.rate(), ms(percentile(ir.latency, 99)))
	return nil
}
