package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// The namespaces the benchmark uses. The manager watches only nsReconcile
// (--watch-namespaces), so the baselines' objects never reach its cache.
const (
	nsReconcile      = "bench"
	nsBaseline       = "bench-baseline"
	nsBacklog        = "bench-backlog"
	nsIntake         = "bench-intake"
	nsIntakeBaseline = "bench-intake-baseline"
	nsSystem         = "redress-bench"
	policyName       = "standard"
	tokenSecretName  = "intake-tokens"
)

// policy is the procedure every benchmark case follows: a one-hour
// acknowledgement (so a case received an hour ago breaches within the run)
// and working-day respond clocks, in London time.
func policy(ns string) *v1.Policy {
	return &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: policyName},
		Spec: v1.PolicySpec{
			ReferencePrefix: "BENCH",
			Calendar:        v1.Calendar{TimeZone: "Europe/London"},
			Stages: []v1.Stage{
				{Name: "informal", Owner: "Team Leader", AlternateOwner: "Head of Service",
					AcknowledgeWithin: "1 hour", RespondWithin: "10 working days", EscalateWithin: "10 working days"},
				{Name: "formal", Owner: "Head of Service", AlternateOwner: "Trustees",
					AcknowledgeWithin: "5 working days", RespondWithin: "20 working days"},
			},
		},
	}
}

var (
	channels   = []v1.Channel{"Email", "Phone", "Letter", "WebForm", "InPerson", "ComplaintBox"}
	categories = []string{"staff-conduct", "delay", "billing", "accessibility", "communication"}
	severities = []v1.Severity{"Normal", "Minor", "Serious"}
)

// description is a few hundred characters of free text, like a real complaint.
var description = strings.Repeat("I wrote on 2 November about my appointment and have had no reply since. ", 6)

// complaintSpec is case i's spec; receivedAt nil means "at creation".
func complaintSpec(i int, receivedAt *time.Time) v1.ComplaintSpec {
	s := v1.ComplaintSpec{
		PolicyName:     policyName,
		Channel:        channels[i%len(channels)],
		Category:       categories[i%len(categories)],
		Severity:       severities[i%len(severities)],
		Summary:        fmt.Sprintf("Benchmark complaint %d: no reply to my letter", i),
		Description:    description,
		DesiredOutcome: "A reply and an apology",
	}
	if receivedAt != nil {
		t := metav1.NewTime(*receivedAt)
		s.ReceivedAt = &t
	}
	return s
}

func complaint(ns string, i int, receivedAt *time.Time) *v1.Complaint {
	return &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: fmt.Sprintf("c-%06d", i)},
		Spec:       complaintSpec(i, receivedAt),
	}
}

// intakeBody is the JSON an intake client posts for case i.
func intakeBody(i int) []byte {
	return fmt.Appendf(nil, `{"policyName":%q,"channel":%q,"category":%q,"severity":%q,"summary":%q,"description":%q,"desiredOutcome":"A reply and an apology","complainant":{"name":"Bench Person %d","email":"person%d@example.org","phone":"+44 20 7946 %04d"}}`,
		policyName, channels[i%len(channels)], categories[i%len(categories)], severities[i%len(severities)],
		fmt.Sprintf("Benchmark complaint %d: no reply to my letter", i), description, i, i, i%10000)
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func randomB32(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(b32.EncodeToString(b))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// bareIntakeObjects are what intake writes for case i (a Complaint with the
// tracking-hash and mode labels and the request-digest annotation, then the
// complainant Secret owned by it), built without intake: the bare-client
// baseline writes exactly these two objects per request.
func bareIntakeObjects(ns string, i int) (*v1.Complaint, func(c *v1.Complaint) *corev1.Secret) {
	name := "c-" + randomB32(10)
	hash := sha256.Sum256([]byte(randomB32(16)))
	c := &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{
			Namespace: ns, Name: name,
			Labels: map[string]string{
				"intake.complaints.redress.dev/tracking-hash": strings.ToLower(b32.EncodeToString(hash[:])),
				"intake.complaints.redress.dev/mode":          "bearer",
			},
			Annotations: map[string]string{"intake.complaints.redress.dev/request-digest": randomHex(32)},
		},
		Spec: complaintSpec(i, nil),
	}
	c.Spec.ComplainantSecretRef = &corev1.LocalObjectReference{Name: name + "-complainant"}
	secret := func(c *v1.Complaint) *corev1.Secret {
		return &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{
				Namespace: ns, Name: c.Name + "-complainant",
				Labels: map[string]string{"complaints.redress.dev/complaint": c.Name},
				OwnerReferences: []metav1.OwnerReference{{
					APIVersion: v1.GroupVersion.String(), Kind: "Complaint", Name: c.Name, UID: c.UID,
				}},
			},
			Type: corev1.SecretTypeOpaque,
			Data: map[string][]byte{
				"name":  fmt.Appendf(nil, "Bench Person %d", i),
				"email": fmt.Appendf(nil, "person%d@example.org", i),
				"phone": fmt.Appendf(nil, "+44 20 7946 %04d", i%10000),
			},
		}
	}
	return c, secret
}

// runResult is what a parallel run measured.
type runResult struct {
	n        int
	elapsed  time.Duration
	latency  []time.Duration // per successful operation, sorted
	failures int
	firstErr error
}

func (r runResult) rate() float64 { return float64(r.n-r.failures) / r.elapsed.Seconds() }

// merge adds another run of the same operation: counts and times add up.
func (r runResult) merge(o runResult) runResult {
	out := runResult{n: r.n + o.n, elapsed: r.elapsed + o.elapsed, failures: r.failures + o.failures, firstErr: r.firstErr}
	if out.firstErr == nil {
		out.firstErr = o.firstErr
	}
	out.latency = append(slices.Clone(r.latency), o.latency...)
	slices.Sort(out.latency)
	return out
}

// parallel runs fn(0..n-1) on `workers` goroutines that take the next index
// as soon as they finish one: a closed loop with a fixed number of requests
// in flight, the way a controller's workers or an intake client pool behave.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) runResult {
	var next atomic.Int64
	var mu sync.Mutex
	res := runResult{n: n, latency: make([]time.Duration, 0, n)}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, n/workers+1)
			var fails int
			var first error
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					break
				}
				t := time.Now()
				if err := fn(ctx, i); err != nil {
					fails++
					if first == nil {
						first = err
					}
					continue
				}
				local = append(local, time.Since(t))
			}
			mu.Lock()
			res.latency = append(res.latency, local...)
			res.failures += fails
			if res.firstErr == nil {
				res.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	sort.Slice(res.latency, func(a, b int) bool { return res.latency[a] < res.latency[b] })
	return res
}

// percentile of sorted durations (nearest rank); 0 when empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// round to 3 significant decimals for the JSON line.
func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
