package intake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/scheme"
	"github.com/redress-operator/redress/internal/testenv"
)

var (
	env *testenv.Env
	// logs captures everything the manager, controller-runtime, client-go
	// and intake log during the tests, at every verbosity.
	logs    = &syncBuffer{}
	testLog logr.Logger
	piiMu   sync.Mutex
	// piiSeen are personal data and tracking tokens used by any test; none of
	// them may appear in the captured logs.
	piiSeen []string
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) write(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.WriteString(s)
	b.buf.WriteByte('\n')
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMain(m *testing.M) {
	testLog = funcr.New(func(prefix, args string) { logs.write(prefix + " " + args) }, funcr.Options{Verbosity: 10})
	ctrl.SetLogger(testLog)
	klog.SetLogger(testLog)

	// Fuzzing (go test -fuzz) runs the decoders only, in many worker
	// processes: none of them needs a control plane.
	flag.Parse()
	fuzzing := flag.Lookup("test.fuzz").Value.String() != "" || flag.Lookup("test.fuzzworker").Value.String() == "true"
	if !fuzzing {
		var err error
		env, err = testenv.Start()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if env != nil {
		_ = env.Stop()
	}
	if path := os.Getenv("INTAKE_TEST_LOG"); path != "" {
		_ = os.WriteFile(path, []byte(logs.String()), 0o600)
	}
	if code == 0 {
		if leaked := leakedPII(); len(leaked) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: personal data or tracking tokens appear in the log output: %q\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// remember registers a personal datum or token that must never be logged.
func remember(values ...string) {
	piiMu.Lock()
	defer piiMu.Unlock()
	piiSeen = append(piiSeen, values...)
}

func leakedPII() []string {
	out := logs.String()
	piiMu.Lock()
	defer piiMu.Unlock()
	var leaked []string
	for _, v := range piiSeen {
		if v != "" && strings.Contains(out, v) {
			leaked = append(leaked, v)
		}
	}
	return leaked
}

var seq atomic.Int64

// unique returns a short unique suffix.
func unique() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%d%s", seq.Add(1), hex.EncodeToString(b))
}

// person is a complainant with unique, recognisable personal data.
type person struct{ name, email, phone string }

func newPerson() person {
	u := unique()
	p := person{name: "Jane Pii" + u, email: "jane.pii" + u + "@example.org", phone: "+44 20 7946 " + fmt.Sprintf("%04d", seq.Add(1)%10000)}
	remember(p.name, p.email, p.phone)
	return p
}

// harness is one intake server (one manager) with its own namespaces and
// credentials.
type harness struct {
	t         *testing.T
	srv       *Server
	base      string
	ns, other string // a namespace, and a second one with its own credentials
	sys       string // where the credential Secrets live
	token     string // bearer token for ns
	otherTok  string // bearer token for other
	hmacKey   string // HMAC key for ns
	otherHMAC string
	opts      Options
	noWaitKey bool // do not wait for the tracking key (its API server may be unreachable)
	cancel    context.CancelFunc
	done      chan error
}

type harnessOption func(h *harness, o *Options, d *deps)

func newHarness(t *testing.T, mods ...harnessOption) *harness {
	t.Helper()
	if env == nil {
		t.Fatal("no control plane while fuzzing: fuzz with -run=^$ so only the fuzz target runs")
	}
	u := unique()
	h := &harness{
		t: t, ns: "intake-" + u, other: "intake-other-" + u, sys: "intake-sys-" + u,
		token: "tok-" + u + "-0123456789abcdef", otherTok: "tok-other-" + u + "-0123456789abcdef",
		hmacKey: "hmac-" + u + "-0123456789abcdef", otherHMAC: "hmac-other-" + u + "-0123456789abcdef",
	}
	for _, ns := range []string{h.ns, h.other, h.sys} {
		h.create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	}
	h.putSecret("tokens", map[string]string{h.ns: h.token, h.other: h.otherTok})
	h.putSecret("hmac", map[string]string{h.ns: h.hmacKey, h.other: h.otherHMAC})
	h.opts = Options{
		BindAddress:       "127.0.0.1:0",
		TokenSecret:       h.sys + "/tokens",
		HMACSecret:        h.sys + "/hmac",
		TrackingKeySecret: h.sys + "/tracking-key",
		DefaultPolicy:     "standard",
		MaxBodyBytes:      DefaultMaxBodyBytes,
		// generous limits unless a test lowers them
		TokenRate: 1000, TokenBurst: 1000, ClientRate: 1000, ClientBurst: 1000, PublicRate: 1000, PublicBurst: 1000,
		ShutdownTimeout: 5 * time.Second,
	}
	d := deps{secretWait: 200 * time.Millisecond}
	for _, m := range mods {
		m(h, &h.opts, &d)
	}
	h.start(d)
	return h
}

// start runs a manager with the intake server and waits until it is ready.
func (h *harness) start(d deps) {
	t := h.t
	t.Helper()
	mgr, err := manager.New(env.Config, manager.Options{
		Scheme:                 scheme.New(),
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	if err != nil {
		t.Fatal(err)
	}
	h.srv, err = addToManager(mgr, h.opts, d)
	if err != nil {
		t.Fatal(err)
	}
	scheme := "http"
	if h.opts.TLSCertFile != "" {
		scheme = "https"
	}
	h.base = scheme + "://" + h.srv.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- mgr.Start(ctx) }()
	t.Cleanup(h.stop)
	waitFor(t, 20*time.Second, "intake ready", func() bool {
		if h.noWaitKey {
			for _, w := range h.srv.watches {
				if !w.synced() {
					return false
				}
			}
			return true
		}
		return h.srv.readyErr() == nil
	})
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("manager stopped with %v", err)
		}
	case <-time.After(20 * time.Second):
		h.t.Error("manager did not stop")
	}
}

func (h *harness) create(obj client.Object) {
	h.t.Helper()
	if err := env.Client.Create(context.Background(), obj); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) putSecret(name string, data map[string]string) {
	h.t.Helper()
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: h.sys}, StringData: data}
	ctx := context.Background()
	err := env.Client.Create(ctx, sec)
	if err != nil {
		cur := &corev1.Secret{}
		if gerr := env.Client.Get(ctx, client.ObjectKeyFromObject(sec), cur); gerr != nil {
			h.t.Fatal(err)
		}
		cur.Data = nil
		cur.StringData = data
		if err := env.Client.Update(ctx, cur); err != nil {
			h.t.Fatal(err)
		}
	}
}

// waitFor polls cond every 20ms until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	err := wait.PollUntilContextTimeout(context.Background(), 20*time.Millisecond, within, true,
		func(context.Context) (bool, error) { return cond(), nil })
	if err != nil {
		t.Fatalf("timed out after %s waiting for %s", within, what)
	}
}

// complaintJSON is a valid JSON request body for p.
func complaintJSON(p person, extra map[string]any) []byte {
	body := map[string]any{
		"channel":     "Email",
		"category":    "staff-conduct",
		"severity":    "Normal",
		"summary":     "Rude reply at the front desk",
		"description": "I asked about my appointment and was told to go away.",
		"complainant": map[string]any{"name": p.name, "email": p.email, "phone": p.phone},
	}
	for k, v := range extra {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	b, _ := json.Marshal(body)
	return b
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("answer is not JSON (%d): %s", r.status, r.body)
	}
	return m
}

// problem checks the answer is an RFC 9457 problem with the given status.
func (r response) problem(t *testing.T, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != mediaProblem {
		t.Fatalf("Content-Type %q, want %s", ct, mediaProblem)
	}
	m := r.json(t)
	if int(m["status"].(float64)) != status || m["type"] == "" || m["title"] == "" {
		t.Fatalf("not a problem document: %s", r.body)
	}
	return m
}

// problemFields lists the fields in a problem's errors.
func problemFields(m map[string]any) []string {
	var out []string
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["field"].(string))
	}
	return out
}

func (h *harness) do(method, path string, body []byte, header map[string]string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.base+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := h.httpClient().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

var tlsClient *http.Client

func (h *harness) httpClient() *http.Client {
	if tlsClient != nil && strings.HasPrefix(h.base, "https") {
		return tlsClient
	}
	return http.DefaultClient
}

func (h *harness) complaintsPath(ns string) string {
	return "/intake/v1/namespaces/" + ns + "/complaints"
}

// postJSON posts a JSON body to ns with the bearer token.
func (h *harness) postJSON(ns, token string, body []byte, header map[string]string) response {
	hd := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token}
	for k, v := range header {
		hd[k] = v
	}
	return h.do(http.MethodPost, h.complaintsPath(ns), body, hd)
}

func sign(key string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// acceptedAnswer checks a 202 and returns its document.
func acceptedAnswer(t *testing.T, r response) accepted {
	t.Helper()
	if r.status != http.StatusAccepted {
		t.Fatalf("status %d, want 202: %s", r.status, r.body)
	}
	var a accepted
	if err := json.Unmarshal(r.body, &a); err != nil || a.Name == "" || a.Namespace == "" || len(a.TrackingToken) != trackingTokenLength {
		t.Fatalf("bad 202 answer %s (%v)", r.body, err)
	}
	remember(a.TrackingToken)
	return a
}

// countIn counts Complaints and Secrets (other than the harness's own) in ns.
func countIn(t *testing.T, ns string) (complaints, secrets int) {
	t.Helper()
	ctx := context.Background()
	cl := &v1.ComplaintList{}
	if err := env.Client.List(ctx, cl, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	sl := &corev1.SecretList{}
	if err := env.Client.List(ctx, sl, client.InNamespace(ns), client.HasLabels{LabelComplaint}); err != nil {
		t.Fatal(err)
	}
	return len(cl.Items), len(sl.Items)
}
