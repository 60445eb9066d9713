package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/testenv"
)

// cpuDiff is the CPU seconds each process used over a phase.
type cpuDiff struct {
	elapsed time.Duration
	cpu     map[string]float64
}

// addCPU accumulates a phase that ran in several rounds.
func addCPU(into *cpuDiff, d cpuDiff) {
	if into.cpu == nil {
		into.cpu = map[string]float64{}
	}
	into.elapsed += d.elapsed
	for k, v := range d.cpu {
		into.cpu[k] += v
	}
}

func diffCPU(a, b cpuSnapshot) cpuDiff {
	d := cpuDiff{elapsed: b.at.Sub(a.at), cpu: map[string]float64{}}
	for k, v := range b.cpu {
		d.cpu[k] = v - a.cpu[k]
	}
	return d
}

// heapSummary is the manager's live heap at one point.
type heapSummary struct {
	liveMB   float64 // lowest heap the GCs marked live (gctrace; MiB, whole)
	gcs      int     // garbage collections traced while measuring
	requests int     // /healthz requests it took to drive them
	rss      float64 // resident set, bytes
}

// results is everything measured.
type results struct {
	cfg                 config
	started, finished   time.Time
	loadBefore          string
	loadAfter           string
	cpus                int
	workersFlag         bool
	managerArgs         []string
	runStart            time.Time
	statusPatchBytes    int
	baselineCreate      runResult
	baselineStatus      runResult
	baselineEvents      runResult
	reconcileCreate     runResult
	reconcile           time.Duration
	lastCreate          time.Duration
	reconcileCounters   counters
	reconcileAPI        apiStats
	backlog             time.Duration // manager start to last case reconciled
	backlogReady        time.Duration // manager start to /readyz
	backlogCounters     counters
	cacheEstimate       float64
	objectJSONBytes     int
	gitState            string
	breach, idleBreach  []time.Duration
	breachWanted        int
	breachDuringBacklog int
	eventsByReason      map[string]int
	sampleEvent         *eventsv1.Event
	heapBefore          heapSummary
	heapAfter           heapSummary
	scrapeAlloc         float64
	scrapeTime          time.Duration
	eventCacheEstimate  float64
	quiet               time.Duration
	idleWrites          float64
	idleAPIServerWrites float64
	intake              runResult
	intakeBaseline      runResult
	intakeCodes         map[int]int64

	cpuBaselineCreate, cpuBaselineStatus, cpuBaselineEvents, cpuBacklog, cpuReconcile, cpuQuiet, cpuIntakeBaseline, cpuIntake cpuDiff
}

func (r *results) eventsTotal() int {
	n := 0
	for _, v := range r.eventsByReason {
		n += v
	}
	return n
}

// headline is the JSON line; its keys are the contract with the issue.
type headline struct {
	Cases             int     `json:"cases"`
	ReconcileSeconds  float64 `json:"reconcile_seconds"`
	BaselineSeconds   float64 `json:"baseline_seconds"`
	BreachP50ms       float64 `json:"breach_latency_p50_ms"`
	BreachP99ms       float64 `json:"breach_latency_p99_ms"`
	IdleWritesPerHour float64 `json:"idle_writes_per_hour"`
	HeapBytesPerCase  float64 `json:"heap_bytes_per_case"`
	IntakeRPS         float64 `json:"intake_rps"`
	IntakeBaselineRPS float64 `json:"intake_baseline_rps"`
	IntakeP99ms       float64 `json:"intake_p99_ms"`
}

const mib = 1 << 20

func (r *results) headline() headline {
	return headline{
		Cases:             r.cfg.cases,
		ReconcileSeconds:  round(r.reconcile.Seconds(), 2),
		BaselineSeconds:   round(r.baselineStatus.elapsed.Seconds(), 2),
		BreachP50ms:       round(ms(percentile(r.breach, 50)), 1),
		BreachP99ms:       round(ms(percentile(r.breach, 99)), 1),
		IdleWritesPerHour: round(r.idleWrites*float64(time.Hour)/float64(r.quiet), 1),
		HeapBytesPerCase:  round((r.heapAfter.liveMB-r.heapBefore.liveMB)*mib/float64(r.cfg.cases), 0),
		IntakeRPS:         round(r.intake.rate(), 1),
		IntakeBaselineRPS: round(r.intakeBaseline.rate(), 1),
		IntakeP99ms:       round(ms(percentile(r.intake.latency, 99)), 1),
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func (r *results) print(w io.Writer) {
	h := r.headline()
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Redress benchmark: %d cases; kube-apiserver %s + etcd %s (internal/testenv); %d CPUs; %s\n",
		r.cfg.cases, testenv.KubernetesVersion, testenv.EtcdVersion, r.cpus, runtime.Version())
	workers := "default (no --complaint-workers flag)"
	if r.workersFlag {
		workers = fmt.Sprintf("--complaint-workers=%d", r.cfg.workers)
	}
	fmt.Fprintf(w, "driver: %d requests in flight for every client, client-go QPS unlimited (-1); manager: separate process, %s\n", r.cfg.concurrency, workers)
	fmt.Fprintf(w, "load average (1/5/15 min): %s before, %s after; run time %s\n",
		r.loadBefore, r.loadAfter, r.finished.Sub(r.started).Round(time.Second))
	fmt.Fprintf(w, "source: %s\n\n", r.gitState)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tvalue\taim\tverdict")
	fmt.Fprintln(tw, "------\t-----\t---\t-------")
	ratio := h.ReconcileSeconds / h.BaselineSeconds
	fmt.Fprintf(tw, "reconcile_seconds\t%.2f s\t<= 1.3 x baseline = %.2f s\t%s (%.2f x)\n", h.ReconcileSeconds, 1.3*h.BaselineSeconds, verdict(ratio <= 1.3), ratio)
	fmt.Fprintf(tw, "baseline_seconds\t%.2f s\tthe limit: %d bare status writes\t\n", h.BaselineSeconds, r.cfg.cases)
	if r.backlog > 0 {
		br := r.backlog.Seconds() / h.BaselineSeconds
		fmt.Fprintf(tw, "(backlog: manager started on %d existing cases)\t%.2f s\t<= 1.3 x baseline = %.2f s\t%s (%.2f x; not in the JSON)\n",
			r.cfg.cases, r.backlog.Seconds(), 1.3*h.BaselineSeconds, verdict(br <= 1.3), br)
		se := r.baselineStatus.elapsed.Seconds() + r.baselineEvents.elapsed.Seconds()
		fmt.Fprintf(tw, "(the same backlog vs bare status writes + Received events)\t%.2f s\t<= 1.3 x %.2f s = %.2f s\t%s (%.2f x; not in the JSON)\n",
			r.backlog.Seconds(), se, 1.3*se, verdict(r.backlog.Seconds() <= 1.3*se), r.backlog.Seconds()/se)
	}
	fmt.Fprintf(tw, "breach_latency_p50_ms\t%.0f ms\t\t\n", h.BreachP50ms)
	fmt.Fprintf(tw, "breach_latency_p99_ms\t%.0f ms\t< 1000 ms\t%s\n", h.BreachP99ms, verdict(h.BreachP99ms < 1000))
	fmt.Fprintf(tw, "idle_writes_per_hour\t%.0f\t0\t%s\n", h.IdleWritesPerHour, verdict(h.IdleWritesPerHour == 0))
	fmt.Fprintf(tw, "heap_bytes_per_case\t%.0f B\t< 4096 B\t%s\n", h.HeapBytesPerCase, verdict(h.HeapBytesPerCase < 4096))
	iratio := h.IntakeRPS / h.IntakeBaselineRPS
	fmt.Fprintf(tw, "intake_rps\t%.1f /s\t>= 0.8 x bare = %.1f /s\t%s (%.2f x)\n", h.IntakeRPS, 0.8*h.IntakeBaselineRPS, verdict(iratio >= 0.8), iratio)
	fmt.Fprintf(tw, "intake_baseline_rps\t%.1f /s\tbare Complaint+Secret creates\t\n", h.IntakeBaselineRPS)
	fmt.Fprintf(tw, "intake_p99_ms\t%.0f ms\t(bare p99 %.0f ms)\t\n", h.IntakeP99ms, ms(percentile(r.intakeBaseline.latency, 99)))
	tw.Flush()

	fmt.Fprintln(w, "\ndetails")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rc := r.reconcileCounters
	fmt.Fprintf(tw, "creates, manager running\t%d in %.2f s (%.0f/s), p50 %.1f ms, p99 %.1f ms\n", r.cfg.cases, r.reconcileCreate.elapsed.Seconds(), r.reconcileCreate.rate(),
		ms(percentile(r.reconcileCreate.latency, 50)), ms(percentile(r.reconcileCreate.latency, 99)))
	fmt.Fprintf(tw, "last case reconciled\t%.2f s after the last create\n", (r.reconcile - r.lastCreate).Seconds())
	fmt.Fprintf(tw, "reconcile throughput\t%.0f cases/s (first create to last reconciled)\n", float64(r.cfg.cases)/r.reconcile.Seconds())
	if r.backlog > 0 {
		bc := r.backlogCounters
		var methods []string
		var total float64
		for k, v := range bc.writesByMethod {
			if v > 0 {
				methods = append(methods, fmt.Sprintf("%s %.0f", k, v))
				total += v
			}
		}
		sort.Strings(methods)
		fmt.Fprintf(tw, "backlog\tmanager ready %.2f s after start, last case %.2f s after start (%.0f cases/s after ready); writes %s = %.2f per case; mean reconcile %.1f ms\n",
			r.backlogReady.Seconds(), r.backlog.Seconds(), float64(r.cfg.cases)/(r.backlog-r.backlogReady).Seconds(), strings.Join(methods, ", "), total/float64(r.cfg.cases),
			1000*bc.reconcileTimeSum/math.Max(1, bc.reconciles))
	}
	fmt.Fprintf(tw, "baseline creates, no manager\t%d in %.2f s (%.0f/s), p50 %.1f ms, p99 %.1f ms\n", r.cfg.cases, r.baselineCreate.elapsed.Seconds(), r.baselineCreate.rate(),
		ms(percentile(r.baselineCreate.latency, 50)), ms(percentile(r.baselineCreate.latency, 99)))
	fmt.Fprintf(tw, "baseline status writes\t%d in %.2f s (%.0f/s), p50 %.1f ms, p99 %.1f ms, ~%d-byte merge patches\n", r.cfg.cases, r.baselineStatus.elapsed.Seconds(), r.baselineStatus.rate(),
		ms(percentile(r.baselineStatus.latency, 50)), ms(percentile(r.baselineStatus.latency, 99)), r.statusPatchBytes)
	perCase := func(d cpuDiff, p string) float64 { return 1000 * d.cpu[p] / float64(r.cfg.cases) }
	backlogCPU := ""
	if r.backlog > 0 {
		backlogCPU = fmt.Sprintf(", backlog reconcile %.2f ms", perCase(r.cpuBacklog, "kube-apiserver"))
	}
	fmt.Fprintf(tw, "kube-apiserver CPU per case\tbaseline create %.2f ms, baseline status write %.2f ms, baseline event %.2f ms%s, reconcile run (create + all the manager writes) %.2f ms\n",
		perCase(r.cpuBaselineCreate, "kube-apiserver"), perCase(r.cpuBaselineStatus, "kube-apiserver"), perCase(r.cpuBaselineEvents, "kube-apiserver"), backlogCPU, perCase(r.cpuReconcile, "kube-apiserver"))
	if r.backlog > 0 {
		backlogCPU = fmt.Sprintf("%.2f ms in the backlog run (incl. start-up), ", perCase(r.cpuBacklog, "manager"))
	}
	fmt.Fprintf(tw, "manager CPU per case\t%s%.2f ms in the reconcile run\n", backlogCPU, perCase(r.cpuReconcile, "manager"))
	fmt.Fprintf(tw, "baseline Received events\t%d in %.2f s (%.0f/s), p50 %.1f ms, p99 %.1f ms; status writes + events = %.2f s (the writes the contract asks of the controller)\n", r.cfg.cases,
		r.baselineEvents.elapsed.Seconds(), r.baselineEvents.rate(), ms(percentile(r.baselineEvents.latency, 50)), ms(percentile(r.baselineEvents.latency, 99)),
		r.baselineStatus.elapsed.Seconds()+r.baselineEvents.elapsed.Seconds())
	fmt.Fprintf(tw, "baseline creates + status writes\t%.2f s (the bare-client cost of what the reconcile run does, events aside)\n", r.baselineCreate.elapsed.Seconds()+r.baselineStatus.elapsed.Seconds())
	var methods []string
	var totalWrites float64
	for k, v := range rc.writesByMethod {
		if v > 0 {
			methods = append(methods, fmt.Sprintf("%s %.0f", k, v))
			totalWrites += v
		}
	}
	sort.Strings(methods)
	fmt.Fprintf(tw, "manager writes while reconciling\t%s = %.2f per case\n", strings.Join(methods, ", "), totalWrites/float64(r.cfg.cases))
	var lat []string
	for _, k := range []string{"POST complaints", "PATCH complaints/status", "POST events", "PUT policies/status"} {
		if n := r.reconcileAPI.n[k]; n > 0 {
			lat = append(lat, fmt.Sprintf("%s %.0f x %.1f ms", k, n, 1000*r.reconcileAPI.sum[k]/n))
		}
	}
	fmt.Fprintf(tw, "API server, reconcile run\t%s (count x mean server-side latency)\n", strings.Join(lat, ", "))
	var other []string
	for k, n := range r.reconcileAPI.n {
		if n >= 10 && !slices.Contains([]string{"POST complaints", "PATCH complaints/status", "POST events", "PUT policies/status"}, k) {
			other = append(other, fmt.Sprintf("%s %.0f", k, n))
		}
	}
	sort.Strings(other)
	fmt.Fprintf(tw, "API server, other requests\t%s (10 or more during the reconcile run, anyone's)\n", strings.Join(other, ", "))
	if n := r.reconcileAPI.n["PUT policies/status"]; n > 0 {
		fmt.Fprintf(tw, "reference blocks\t%.0f Policy counter writes (%.0f cases per write); new cases wait on the allocator's lock meanwhile: ~%.1f s in all\n",
			n, float64(r.cfg.cases)/n, r.reconcileAPI.sum["PUT policies/status"])
	}
	if rc.reconciles > 0 {
		fmt.Fprintf(tw, "complaint reconciles\t%.0f (%.0f errors), mean %.1f ms each, mean queue wait %.0f ms\n", rc.reconciles, rc.errs,
			1000*rc.reconcileTimeSum/rc.reconciles, 1000*rc.queueWaitSum/math.Max(1, rc.queued))
	}
	var reasons []string
	for k, v := range r.eventsByReason {
		reasons = append(reasons, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(reasons)
	fmt.Fprintf(tw, "events in the namespace\t%s\n", strings.Join(reasons, ", "))
	fmt.Fprintf(tw, "breach events\t%d of %d; %d fell due before the last case was reconciled; min %.0f ms, max %.0f ms\n", len(r.breach), r.breachWanted, r.breachDuringBacklog,
		ms(minDur(r.breach)), ms(maxDur(r.breach)))
	if len(r.idleBreach) > 0 {
		fmt.Fprintf(tw, "breach latency, idle manager\t%d cases: p50 %.0f ms, p99 %.0f ms, max %.0f ms (not in the JSON)\n", len(r.idleBreach),
			ms(percentile(r.idleBreach, 50)), ms(percentile(r.idleBreach, 99)), ms(maxDur(r.idleBreach)))
	}
	fmt.Fprintf(tw, "idle writes\t%.0f by the manager in %.0f s (rest_client_requests_total); API server saw %.0f writes to complaints/policies/events/secrets\n",
		r.idleWrites, r.quiet.Seconds(), r.idleAPIServerWrites)
	fmt.Fprintf(tw, "manager CPU while idle\t%.2f s in %.0f s (includes serving two /metrics scrapes)\n", r.cpuQuiet.cpu["manager"], r.quiet.Seconds())
	hb, ha := r.heapBefore, r.heapAfter
	n := float64(r.cfg.cases)
	fmt.Fprintf(tw, "manager live heap (gctrace)\t%.0f MiB before the cases, %.0f MiB after = %.0f B/case (lower of %d/%d GCs driven by %d/%d /healthz requests)\n",
		hb.liveMB, ha.liveMB, (ha.liveMB-hb.liveMB)*mib/n, hb.gcs, ha.gcs, hb.requests, ha.requests)
	fmt.Fprintf(tw, "manager resident set\t%.0f MiB before, %.0f MiB after\n", hb.rss/mib, ha.rss/mib)
	fmt.Fprintf(tw, "of which the informer cache\t~%.0f B/case (estimate: a reconciled Complaint without managedFields, %d bytes as JSON, copied %d times)\n", r.cacheEstimate/n, r.objectJSONBytes, r.cfg.cases)
	fmt.Fprintf(tw, "of which client-go's event cache\t~%.0f B/case (estimate: %d events kept 6-12 min after recording)\n", r.eventCacheEstimate/n, r.eventsTotal())
	fmt.Fprintf(tw, "manager /metrics scrape\t%.0f ms, allocates %.1f MiB (%.0f B/case) with %d cases cached\n", ms(r.scrapeTime), r.scrapeAlloc/mib, r.scrapeAlloc/n, r.cfg.cases)
	fmt.Fprintf(tw, "intake\t%d requests in %.2f s, p50 %.1f ms, p99 %.1f ms, answers %v\n", r.intake.n, r.intake.elapsed.Seconds(),
		ms(percentile(r.intake.latency, 50)), ms(percentile(r.intake.latency, 99)), r.intakeCodes)
	fmt.Fprintf(tw, "bare Complaint+Secret creates\t%d in %.2f s, p50 %.1f ms, p99 %.1f ms\n", r.intakeBaseline.n, r.intakeBaseline.elapsed.Seconds(),
		ms(percentile(r.intakeBaseline.latency, 50)), ms(percentile(r.intakeBaseline.latency, 99)))
	tw.Flush()

	fmt.Fprintln(w, "\nCPU seconds by process (elapsed wall time in brackets)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	names := []string{"kube-apiserver", "etcd", "manager", "bench driver"}
	fmt.Fprintf(tw, "phase\t%s\ttotal\t\n", strings.Join(names, "\t"))
	for _, p := range []struct {
		name string
		d    cpuDiff
	}{
		{"baseline creates", r.cpuBaselineCreate}, {"baseline status writes", r.cpuBaselineStatus}, {"baseline events", r.cpuBaselineEvents}, {"backlog", r.cpuBacklog}, {"reconcile", r.cpuReconcile},
		{"quiet window", r.cpuQuiet}, {"bare intake creates", r.cpuIntakeBaseline}, {"intake", r.cpuIntake},
	} {
		if p.d.elapsed == 0 {
			continue // a phase that did not run
		}
		var cols []string
		var total float64
		for _, name := range names {
			v, ok := p.d.cpu[name]
			if !ok || math.IsNaN(v) {
				cols = append(cols, "-")
				continue
			}
			total += v
			cols = append(cols, fmt.Sprintf("%.1f", v))
		}
		fmt.Fprintf(tw, "%s (%.1f s)\t%s\t%.1f\t\n", p.name, p.d.elapsed.Seconds(), strings.Join(cols, "\t"), total)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nmanager flags: %s\n\n", strings.Join(r.managerArgs, " "))

	line, _ := json.Marshal(h)
	fmt.Fprintln(w, string(line))
}

func minDur(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return slices.Min(d)
}

func maxDur(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return slices.Max(d)
}

// estimateEventCache measures, in this process's heap, what n events like
// sample occupy when held the way client-go's events broadcaster holds them
// (a map from an isomorphism key to the event it recorded, kept for 6 to 12
// minutes). Strings that the recorder shares with the cached object (the
// regarding reference) are shared here too; name and note are per event.
func estimateEventCache(sample *eventsv1.Event, n int) float64 {
	if sample == nil || n == 0 {
		return 0
	}
	type key struct {
		eventType, action, reason, reportingController, reportingInstance string
		regarding, related                                                corev1.ObjectReference
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cache := make(map[key]*eventsv1.Event)
	for i := 0; i < n; i++ {
		e := &eventsv1.Event{
			ObjectMeta:          metav1.ObjectMeta{Name: fmt.Sprintf("%s.%x", sample.Regarding.Name, int64(i)+time.Now().UnixNano()), Namespace: sample.Namespace},
			EventTime:           metav1.NewMicroTime(time.Now()),
			ReportingController: sample.ReportingController,
			ReportingInstance:   sample.ReportingInstance,
			Action:              sample.Action,
			Reason:              sample.Reason,
			Regarding:           sample.Regarding,
			Note:                strings.Clone(sample.Note),
			Type:                sample.Type,
		}
		e.Regarding.Name = fmt.Sprintf("c-%06d", i)
		cache[key{e.Type, e.Action, e.Reason, e.ReportingController, e.ReportingInstance, e.Regarding, corev1.ObjectReference{}}] = e
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(cache)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}

// estimateInformerCache measures, in this process's heap, n copies of a
// reconciled Complaint as the manager's informer holds them (managedFields
// stripped by the manager's cache transform), keyed by namespace/name. It
// leaves out the cache's indexes. It also returns the object's JSON size.
func estimateInformerCache(sample *v1.Complaint, n int) (float64, int) {
	sample = sample.DeepCopy()
	sample.ManagedFields = nil
	data, _ := json.Marshal(sample)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	store := make(map[string]*v1.Complaint, n)
	for i := 0; i < n; i++ {
		// Decoding allocates every string anew, as the informer's decoder does.
		c := &v1.Complaint{}
		if err := json.Unmarshal(data, c); err != nil {
			return 0, len(data)
		}
		c.Name = fmt.Sprintf("c-%06d", i)
		store[c.Namespace+"/"+c.Name] = c
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(store)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc), len(data)
}
