package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/scheme"
)

func getComplaint(t *testing.T, ns, name string) *v1.Complaint {
	t.Helper()
	c := &v1.Complaint{}
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func getSecret(t *testing.T, ns, name string) *corev1.Secret {
	t.Helper()
	s := &corev1.Secret{}
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// assertNoPII fails when any of p's personal data is in what.
func assertNoPII(t *testing.T, what string, data []byte, p person) {
	t.Helper()
	for _, v := range []string{p.name, p.email, p.phone} {
		if strings.Contains(string(data), v) {
			t.Errorf("%s contains personal data %q", what, v)
		}
	}
}

// TestAcceptJSON: a bearer-authenticated JSON request becomes a Complaint
// without personal data, plus a Secret holding it, owned by the Complaint.
func TestAcceptJSON(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := newPerson()
	a := acceptedAnswer(t, h.postJSON(h.ns, h.token, complaintJSON(p, map[string]any{
		"peopleInvolved": []string{"Team Leader"},
		"representative": map[string]any{"relationship": "Parent", "consentRecorded": true},
		"confidential":   true, "incidentDate": "2026-01-05", "desiredOutcome": "An apology", "language": "zh",
	}), nil))
	if a.Namespace != h.ns || !strings.HasPrefix(a.Name, "c-") {
		t.Fatalf("answer %+v", a)
	}

	c := getComplaint(t, h.ns, a.Name)
	s := c.Spec
	if s.PolicyName != "standard" || s.Channel != "Email" || s.Category != "staff-conduct" || s.Severity != "Normal" ||
		s.Summary != "Rude reply at the front desk" || s.IncidentDate != "2026-01-05" || s.DesiredOutcome != "An apology" ||
		!s.Confidential || s.Language != "zh" || !slices.Equal(s.PeopleInvolved, []string{"Team Leader"}) ||
		s.Representative == nil || s.Representative.Relationship != "Parent" || !s.Representative.ConsentRecorded {
		t.Errorf("spec %+v", s)
	}
	if s.ComplainantSecretRef == nil || s.ComplainantSecretRef.Name != a.Name+"-complainant" {
		t.Fatalf("complainantSecretRef %+v", s.ComplainantSecretRef)
	}
	if c.Labels[LabelTrackingHash] != trackingHash(a.TrackingToken) || c.Labels[LabelMode] != modeBearer {
		t.Errorf("labels %v", c.Labels)
	}
	raw, _ := json.Marshal(c)
	assertNoPII(t, "the Complaint", raw, p)
	if strings.Contains(string(raw), a.TrackingToken) {
		t.Error("the Complaint holds the tracking token itself")
	}

	sec := getSecret(t, h.ns, s.ComplainantSecretRef.Name)
	if string(sec.Data["name"]) != p.name || string(sec.Data["email"]) != p.email || string(sec.Data["phone"]) != p.phone {
		t.Errorf("secret data has keys %v", sortedKeys(sec.Data))
	}
	if len(sec.OwnerReferences) != 1 {
		t.Fatalf("owner references %+v", sec.OwnerReferences)
	}
	o := sec.OwnerReferences[0]
	if o.Kind != "Complaint" || o.APIVersion != v1.GroupVersion.String() || o.Name != c.Name || o.UID != c.UID ||
		(o.BlockOwnerDeletion != nil && *o.BlockOwnerDeletion) || (o.Controller != nil && *o.Controller) {
		t.Errorf("owner reference %+v", o)
	}

	// Intake writes no events; whatever events exist carry no personal data.
	events := &corev1.EventList{}
	if err := env.Client.List(context.Background(), events, client.InNamespace(h.ns)); err != nil {
		t.Fatal(err)
	}
	raw, _ = json.Marshal(events)
	assertNoPII(t, "the namespace's events", raw, p)
}

// TestAcceptSignedForm: an HMAC-signed form-encoded request (an email or form
// gateway) is accepted; repeated fields and textarea lines both list people.
func TestAcceptSignedForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := newPerson()
	body := []byte(url.Values{
		"channel": {"Letter"}, "summary": {"Lost letter"}, "description": {"Line one\r\nLine two"},
		"complainant.name": {p.name}, "complainant.email": {p.email},
		"peopleInvolved": {"Receptionist\nTeam Leader", "Head of Service"}, "confidential": {"on"},
	}.Encode())
	r := h.do(http.MethodPost, h.complaintsPath(h.ns), body, map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", signatureHeader: sign(h.hmacKey, body),
	})
	a := acceptedAnswer(t, r)
	c := getComplaint(t, h.ns, a.Name)
	if c.Spec.Channel != "Letter" || !c.Spec.Confidential || c.Labels[LabelMode] != modeHMAC ||
		!slices.Equal(c.Spec.PeopleInvolved, []string{"Receptionist", "Team Leader", "Head of Service"}) ||
		c.Spec.Description != "Line one\r\nLine two" {
		t.Errorf("complaint %+v labels %v", c.Spec, c.Labels)
	}
	sec := getSecret(t, h.ns, c.Spec.ComplainantSecretRef.Name)
	if _, ok := sec.Data["phone"]; ok || string(sec.Data["email"]) != p.email {
		t.Errorf("secret keys %v", sortedKeys(sec.Data))
	}
}

// TestStatusCodes proves every error status of the contract, each as an
// RFC 9457 problem.
func TestStatusCodes(t *testing.T) {
	t.Parallel()
	ghost := "intake-ghost-" + unique() // a namespace with a token but no existence
	ghostTok := "ghost-token-0123456789abcdef"
	h := newHarness(t, func(h *harness, o *Options, d *deps) {
		h.putSecret("tokens", map[string]string{h.ns: h.token, h.other: h.otherTok, ghost: ghostTok})
	})
	p := newPerson()
	valid := complaintJSON(p, nil)

	t.Run("400 lists every failing field without echoing values", func(t *testing.T) {
		body := []byte(`{"channel":"Fax","summary":"  ","policyName":"Bad_Name","severity":"Huge","incidentDate":"2026-13-01",
			"peopleInvolved":["x","x"],"complainant":{"email":"not-an-email@","phone":"call me"},"language":"fr"}`)
		m := h.postJSON(h.ns, h.token, body, nil).problem(t, http.StatusBadRequest)
		want := []string{"channel", "complainant.email", "complainant.name", "complainant.phone", "description",
			"incidentDate", "language", "peopleInvolved.1", "policyName", "severity", "summary"}
		if got := problemFields(m); !slices.Equal(got, want) {
			t.Errorf("fields %v, want %v", got, want)
		}
		raw, _ := json.Marshal(m)
		if strings.Contains(string(raw), "not-an-email") || strings.Contains(string(raw), "call me") {
			t.Errorf("the problem echoes submitted values: %s", raw)
		}
		if e := m["errors"].([]any)[0].(map[string]any); e["pointer"] != "#/channel" || e["code"] != "invalid" {
			t.Errorf("error entry %v", e)
		}
	})
	t.Run("400 unknown, mistyped and case-mismatched fields", func(t *testing.T) {
		body := []byte(`{"summary":5,"Summary":"x","extra":true,"complainant":"Jane","peopleInvolved":[1,"ok"]}`)
		m := h.postJSON(h.ns, h.token, body, nil).problem(t, http.StatusBadRequest)
		want := []string{"Summary", "channel", "complainant", "description", "extra", "peopleInvolved.0", "summary"}
		if got := problemFields(m); !slices.Equal(got, want) {
			t.Errorf("fields %v, want %v", got, want)
		}
	})
	t.Run("400 duplicate fields", func(t *testing.T) {
		body := []byte(`{"summary":"a","summary":"b","complainant":{"name":"x","name":"y"}}`)
		m := h.postJSON(h.ns, h.token, body, nil).problem(t, http.StatusBadRequest)
		if got := problemFields(m); !slices.Equal(got, []string{"channel", "complainant.name", "description", "summary"}) {
			t.Errorf("fields %v", got)
		}
	})
	t.Run("400 malformed JSON and trailing data", func(t *testing.T) {
		h.postJSON(h.ns, h.token, []byte(`{"summary":`), nil).problem(t, http.StatusBadRequest)
		h.postJSON(h.ns, h.token, append(append([]byte{}, valid...), []byte(` {}`)...), nil).problem(t, http.StatusBadRequest)
		h.postJSON(h.ns, h.token, []byte(`["not","an","object"]`), nil).problem(t, http.StatusBadRequest)
	})
	t.Run("400 invalid Idempotency-Key and two auth modes", func(t *testing.T) {
		h.postJSON(h.ns, h.token, valid, map[string]string{"Idempotency-Key": "caf\u00e9"}).problem(t, http.StatusBadRequest)
		h.postJSON(h.ns, h.token, valid, map[string]string{signatureHeader: sign(h.hmacKey, valid)}).problem(t, http.StatusBadRequest)
	})
	t.Run("401 without, or with unknown, credentials", func(t *testing.T) {
		r := h.do(http.MethodPost, h.complaintsPath(h.ns), valid, map[string]string{"Content-Type": "application/json"})
		r.problem(t, http.StatusUnauthorized)
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
		}
		h.postJSON(h.ns, "not-a-known-token-at-all", valid, nil).problem(t, http.StatusUnauthorized)
		h.do(http.MethodPost, h.complaintsPath(h.ns), valid, map[string]string{"Content-Type": "application/json", "Authorization": "Basic Zm9vOmJhcg=="}).
			problem(t, http.StatusUnauthorized)
	})
	t.Run("403 a token of another namespace", func(t *testing.T) {
		h.postJSON(h.ns, h.otherTok, valid, nil).problem(t, http.StatusForbidden)
	})
	t.Run("404", func(t *testing.T) {
		h.do(http.MethodGet, "/nothing/here", nil, nil).problem(t, http.StatusNotFound)
		h.do(http.MethodGet, "/intake/v1/track/"+randomTrackingToken(), nil, nil).problem(t, http.StatusNotFound)
		h.do(http.MethodGet, "/intake/v1/track/short", nil, nil).problem(t, http.StatusNotFound)
		h.do(http.MethodGet, "/intake/v1/namespaces/"+h.ns+"/form", nil, nil).problem(t, http.StatusNotFound) // not public
		h.postJSON("Not_A_Namespace", h.token, valid, nil).problem(t, http.StatusNotFound)
		// a namespace that has a token but does not exist
		h.postJSON(ghost, ghostTok, valid, nil).problem(t, http.StatusNotFound)
	})
	t.Run("405", func(t *testing.T) {
		r := h.do(http.MethodGet, h.complaintsPath(h.ns), nil, nil)
		r.problem(t, http.StatusMethodNotAllowed)
		if r.header.Get("Allow") != "POST" {
			t.Errorf("Allow %q", r.header.Get("Allow"))
		}
	})
	t.Run("409 the same Idempotency-Key with a different request", func(t *testing.T) {
		key := map[string]string{"Idempotency-Key": "k-" + unique()}
		acceptedAnswer(t, h.postJSON(h.ns, h.token, valid, key))
		other := complaintJSON(p, map[string]any{"summary": "Something else"})
		h.postJSON(h.ns, h.token, other, key).problem(t, http.StatusConflict)
	})
	t.Run("413 body too large, declared or streamed", func(t *testing.T) {
		big := complaintJSON(p, map[string]any{"description": strings.Repeat("x", DefaultMaxBodyBytes)})
		h.postJSON(h.ns, h.token, big, nil).problem(t, http.StatusRequestEntityTooLarge)
		req, _ := http.NewRequest(http.MethodPost, h.base+h.complaintsPath(h.ns), io.MultiReader(strings.NewReader(string(big))))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.token)
		req.ContentLength = -1 // chunked
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		response{status: resp.StatusCode, header: resp.Header, body: b}.problem(t, http.StatusRequestEntityTooLarge)
	})
	t.Run("415 other media types", func(t *testing.T) {
		for _, ct := range []string{"text/plain", "multipart/form-data; boundary=x", "application/json; charset=latin1", "", "application/xml"} {
			r := h.do(http.MethodPost, h.complaintsPath(h.ns), valid, map[string]string{"Content-Type": ct, "Authorization": "Bearer " + h.token})
			r.problem(t, http.StatusUnsupportedMediaType)
			if r.header.Get("Accept-Post") == "" {
				t.Error("415 without Accept-Post")
			}
		}
	})
	// Nothing above but the one 409 setup case was written.
	if c, s := countIn(t, h.ns); c != 1 || s != 1 {
		t.Errorf("%d complaints and %d secrets in the namespace, want 1 and 1", c, s)
	}
}

// TestRateLimits: per-credential and per-client limits answer 429 with
// Retry-After.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(h *harness, o *Options, d *deps) {
		o.TokenRate, o.TokenBurst = 0.001, 2
		o.ClientRate, o.ClientBurst = 0.001, 5
	})
	body := complaintJSON(newPerson(), nil)
	acceptedAnswer(t, h.postJSON(h.ns, h.token, body, nil))
	acceptedAnswer(t, h.postJSON(h.ns, h.token, body, nil))
	r := h.postJSON(h.ns, h.token, body, nil)
	r.problem(t, http.StatusTooManyRequests)
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	// another credential still has its own bucket ...
	acceptedAnswer(t, h.postJSON(h.other, h.otherTok, body, nil))
	h.do(http.MethodGet, "/intake/v1/track/"+randomTrackingToken(), nil, nil).problem(t, http.StatusNotFound)
	// ... but this client has used its five requests
	r = h.do(http.MethodGet, "/intake/v1/track/"+randomTrackingToken(), nil, nil)
	r.problem(t, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// deadClient talks to an address where no API server listens.
func deadClient(t *testing.T) client.Client {
	cfg := rest.CopyConfig(env.Config)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here any more
	cfg.Host = "https://" + addr
	c, err := client.New(cfg, client.Options{Scheme: scheme.New(), Mapper: env.Client.RESTMapper()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Test503WhenTheAPIServerIsUnreachable: writes and tracking reads fail with
// 503 and Retry-After when the API server cannot be reached.
func Test503WhenTheAPIServerIsUnreachable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(h *harness, o *Options, d *deps) {
		dead := deadClient(t)
		d.writer, d.reader = dead, dead
		h.noWaitKey = true
	})
	body := complaintJSON(newPerson(), nil)
	for _, r := range []response{
		h.postJSON(h.ns, h.token, body, nil),
		h.postJSON(h.ns, h.token, body, map[string]string{"Idempotency-Key": "k1"}),
		h.do(http.MethodGet, "/intake/v1/track/"+randomTrackingToken(), nil, nil),
	} {
		r.problem(t, http.StatusServiceUnavailable)
		if r.header.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
	}
	if c, s := countIn(t, h.ns); c != 0 || s != 0 {
		t.Errorf("%d complaints, %d secrets", c, s)
	}
	if err := h.srv.readyErr(); err == nil {
		t.Error("ready without a tracking key")
	}
}

// failingWriter wraps a real client; while fail is set, creating a
// complainant Secret fails, and so does deleting a Complaint if failDelete.
type failingWriter struct {
	fail, failDelete  bool
	mu                sync.Mutex
	complaintCreates  int
	complaintDeletes  int
	secretCreateFails int
}

func (f *failingWriter) client(t *testing.T) client.Client {
	base, err := client.NewWithWatch(env.Config, client.Options{Scheme: scheme.New()})
	if err != nil {
		t.Fatal(err)
	}
	return interceptor.NewClient(base, interceptor.Funcs{
		Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			switch obj.(type) {
			case *v1.Complaint:
				f.complaintCreates++
			case *corev1.Secret:
				if f.fail && strings.HasSuffix(obj.GetName(), complainantSecretSuffix) {
					f.secretCreateFails++
					return apierrors.NewServiceUnavailable("injected failure")
				}
			}
			return c.Create(ctx, obj, opts...)
		},
		Delete: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.DeleteOption) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			if _, ok := obj.(*v1.Complaint); ok {
				f.complaintDeletes++
				if f.failDelete {
					return apierrors.NewInternalError(errors.New("injected failure"))
				}
			}
			return c.Delete(ctx, obj, opts...)
		},
	})
}

func (f *failingWriter) set(fail, failDelete bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail, f.failDelete = fail, failDelete
}

// TestRollbackWhenTheSecretCannotBeWritten: the Complaint is deleted again,
// nothing is left behind and the answer is 503.
func TestRollbackWhenTheSecretCannotBeWritten(t *testing.T) {
	t.Parallel()
	fw := &failingWriter{fail: true}
	h := newHarness(t, func(h *harness, o *Options, d *deps) { d.writer = fw.client(t) })
	p := newPerson()
	for _, hdr := range []map[string]string{nil, {"Idempotency-Key": "k-" + unique()}} {
		h.postJSON(h.ns, h.token, complaintJSON(p, nil), hdr).problem(t, http.StatusServiceUnavailable)
	}
	if c, s := countIn(t, h.ns); c != 0 || s != 0 {
		t.Errorf("left behind: %d complaints, %d secrets", c, s)
	}
	if fw.complaintCreates != 2 || fw.complaintDeletes != 2 || fw.secretCreateFails != 2 {
		t.Errorf("creates %d, deletes %d, secret failures %d", fw.complaintCreates, fw.complaintDeletes, fw.secretCreateFails)
	}
}

// TestRetryCompletesACaseWhoseRollbackFailed: when even the rollback fails,
// a retry with the same Idempotency-Key completes the case: one Complaint,
// its Secret, the same answer as any later retry.
func TestRetryCompletesACaseWhoseRollbackFailed(t *testing.T) {
	t.Parallel()
	fw := &failingWriter{fail: true, failDelete: true}
	h := newHarness(t, func(h *harness, o *Options, d *deps) { d.writer = fw.client(t) })
	body := complaintJSON(newPerson(), nil)
	key := map[string]string{"Idempotency-Key": "k-" + unique()}
	h.postJSON(h.ns, h.token, body, key).problem(t, http.StatusServiceUnavailable)
	if c, s := countIn(t, h.ns); c != 1 || s != 0 {
		t.Fatalf("after a failed rollback: %d complaints, %d secrets", c, s)
	}
	fw.set(false, false)
	a := acceptedAnswer(t, h.postJSON(h.ns, h.token, body, key))
	if c, s := countIn(t, h.ns); c != 1 || s != 1 {
		t.Fatalf("after the retry: %d complaints, %d secrets", c, s)
	}
	c := getComplaint(t, h.ns, a.Name)
	if sec := getSecret(t, h.ns, secretName(a.Name)); sec.OwnerReferences[0].UID != c.UID {
		t.Error("the completed Secret is not owned by the Complaint")
	}
	if b := acceptedAnswer(t, h.postJSON(h.ns, h.token, body, key)); b != a {
		t.Errorf("second retry answered %+v, first %+v", b, a)
	}
}

// replica starts a second intake server (another manager, as another pod
// would) on the same credentials, tracking key and namespaces.
func (h *harness) replica() *harness {
	r := *h
	r.cancel, r.done = nil, nil
	r.start(deps{secretWait: 3 * time.Second})
	return &r
}

// TestIdempotencyUnderConcurrency: 50 identical requests at once, spread over
// two replicas, make exactly one case and all get the same answer; so does a
// later retry.
func TestIdempotencyUnderConcurrency(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(h *harness, o *Options, d *deps) { d.secretWait = 3 * time.Second })
	r2 := h.replica()
	body := complaintJSON(newPerson(), nil)
	key := map[string]string{"Idempotency-Key": "order-" + unique()}

	const n = 50
	answers := make([]response, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			target := h
			if i%2 == 1 {
				target = r2
			}
			answers[i] = target.postJSON(h.ns, h.token, body, key)
		}()
	}
	close(start)
	wg.Wait()
	first := acceptedAnswer(t, answers[0])
	for i, r := range answers {
		if a := acceptedAnswer(t, r); a != first {
			t.Errorf("answer %d is %+v, answer 0 is %+v", i, a, first)
		}
	}
	if c, s := countIn(t, h.ns); c != 1 || s != 1 {
		t.Errorf("%d complaints and %d secrets, want exactly one of each", c, s)
	}
	if a := acceptedAnswer(t, h.postJSON(h.ns, h.token, body, key)); a != first {
		t.Errorf("a later retry answered %+v", a)
	}
	// The key is scoped to the namespace and mode: an HMAC gateway's same
	// key is a different case.
	r := h.do(http.MethodPost, h.complaintsPath(h.ns), body, map[string]string{
		"Content-Type": "application/json", signatureHeader: sign(h.hmacKey, body), "Idempotency-Key": key["Idempotency-Key"],
	})
	if a := acceptedAnswer(t, r); a.Name == first.Name || a.TrackingToken == first.TrackingToken {
		t.Error("the HMAC request reused the bearer request's case")
	}
}

// TestTokenNamespaceBinding: a token (or HMAC key) for one namespace never
// writes to another.
func TestTokenNamespaceBinding(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := complaintJSON(newPerson(), nil)
	h.postJSON(h.ns, h.otherTok, body, nil).problem(t, http.StatusForbidden)
	h.postJSON(h.other, h.token, body, nil).problem(t, http.StatusForbidden)
	h.do(http.MethodPost, h.complaintsPath(h.ns), body, map[string]string{
		"Content-Type": "application/json", signatureHeader: sign(h.otherHMAC, body),
	}).problem(t, http.StatusForbidden)
	for _, ns := range []string{h.ns, h.other} {
		if c, s := countIn(t, ns); c != 0 || s != 0 {
			t.Errorf("%s: %d complaints, %d secrets", ns, c, s)
		}
	}
	a := acceptedAnswer(t, h.postJSON(h.other, h.otherTok, body, nil))
	if a.Namespace != h.other {
		t.Errorf("namespace %s", a.Namespace)
	}
}

// TestHMACSignatures: the signature covers the exact raw body.
func TestHMACSignatures(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := complaintJSON(newPerson(), nil)
	post := func(b []byte, sig string) response {
		return h.do(http.MethodPost, h.complaintsPath(h.ns), b, map[string]string{"Content-Type": "application/json", signatureHeader: sig})
	}
	acceptedAnswer(t, post(body, sign(h.hmacKey, body)))
	// upper-case hex digits are fine too
	acceptedAnswer(t, post(body, "sha256="+strings.ToUpper(strings.TrimPrefix(sign(h.hmacKey, body), "sha256="))))
	tampered := append(append([]byte{}, body[:len(body)-1]...), []byte(`,"confidential":true}`)...)
	post(tampered, sign(h.hmacKey, body)).problem(t, http.StatusUnauthorized)
	post(body, sign("a-key-nobody-configured-1234", body)).problem(t, http.StatusUnauthorized)
	post(body, sign(h.otherHMAC, body)).problem(t, http.StatusForbidden)
	for _, bad := range []string{"sha256=zz", "sha1=" + sign(h.hmacKey, body)[7:], sign(h.hmacKey, body)[7:], "sha256=abcd"} {
		post(body, bad).problem(t, http.StatusUnauthorized)
	}
}

// TestCredentialRotationWithoutRestart: Secret edits take effect on the
// running server: a second token during rotation, the old one removed, the
// HMAC key replaced, and the Secret deleted.
func TestCredentialRotationWithoutRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// An empty object is 400 once authenticated, 401 (or 403) before.
	probe := func(tok string) int { return h.postJSON(h.ns, tok, []byte(`{}`), nil).status }
	signed := func(key string) int {
		return h.do(http.MethodPost, h.complaintsPath(h.ns), []byte(`{}`), map[string]string{
			"Content-Type": "application/json", signatureHeader: sign(key, []byte(`{}`)),
		}).status
	}
	old, next := h.token, "rotated-"+unique()+"-0123456789abcdef"
	if probe(next) != http.StatusUnauthorized {
		t.Fatal("the new token works before it is configured")
	}
	h.putSecret("tokens", map[string]string{h.ns: old + ", " + next, h.other: h.otherTok})
	waitFor(t, 10*time.Second, "the added token", func() bool { return probe(next) == http.StatusBadRequest })
	if probe(old) != http.StatusBadRequest {
		t.Error("the old token stopped working during rotation")
	}
	h.putSecret("tokens", map[string]string{h.ns: next, h.other: h.otherTok})
	waitFor(t, 10*time.Second, "the old token's removal", func() bool { return probe(old) == http.StatusUnauthorized })
	acceptedAnswer(t, h.postJSON(h.ns, next, complaintJSON(newPerson(), nil), nil))

	newKey := "new-hmac-" + unique() + "-0123456789abcdef"
	h.putSecret("hmac", map[string]string{h.ns: newKey})
	waitFor(t, 10*time.Second, "the new HMAC key", func() bool { return signed(newKey) == http.StatusBadRequest })
	if signed(h.hmacKey) != http.StatusUnauthorized {
		t.Error("the replaced HMAC key still works")
	}

	if err := env.Client.Delete(context.Background(), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: h.sys, Name: "tokens"}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the deleted Secret's tokens to stop working", func() bool { return probe(next) == http.StatusUnauthorized })
}

// TestTracking: the tracking token finds the case and reveals only its
// reference, stage, phase and next due date.
func TestTracking(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := newPerson()
	a := acceptedAnswer(t, h.postJSON(h.ns, h.token, complaintJSON(p, nil), nil))
	path := "/intake/v1/track/" + a.TrackingToken

	r := h.do(http.MethodGet, path, nil, nil)
	if r.status != http.StatusOK || strings.TrimSpace(string(r.body)) != `{"phase":"Received"}` {
		t.Fatalf("before the controller ran: %d %s", r.status, r.body)
	}

	// Write status as the controller would.
	c := getComplaint(t, h.ns, a.Name)
	due := metav1.NewTime(time.Date(2026, 12, 4, 23, 59, 59, 0, time.UTC))
	c.Status = v1.ComplaintStatus{
		Reference: "MKACT-2026-000123", Stage: "formal", Phase: v1.PhaseInvestigating, Owner: "Trustees Secret Owner",
		NextDeadline: &v1.NextDeadline{Name: v1.DeadlineRespond, Stage: "formal", Due: due},
	}
	if err := env.Client.Status().Update(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	r = h.do(http.MethodGet, strings.Replace(path, a.TrackingToken, strings.ToUpper(a.TrackingToken), 1), nil, nil)
	var got map[string]any
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	want := map[string]any{"reference": "MKACT-2026-000123", "stage": "formal", "phase": "Investigating", "nextDue": "2026-12-04T23:59:59Z"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tracking answer %v, want %v", got, want)
	}
	assertNoPII(t, "the tracking answer", r.body, p)

	// The HTML page, in the Policy's time zone.
	pol := &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Name: "standard", Namespace: h.ns},
		Spec: v1.PolicySpec{ReferencePrefix: "MKACT", Calendar: v1.Calendar{TimeZone: "Asia/Shanghai"},
			Stages: []v1.Stage{{Name: "formal", Owner: "Head of Service", RespondWithin: "10 working days"}}},
	}
	h.create(pol)
	r = h.do(http.MethodGet, path, nil, map[string]string{"Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9"})
	html := string(r.body)
	if r.status != http.StatusOK || !strings.Contains(html, `lang="zh-Hans"`) || !strings.Contains(html, "MKACT-2026-000123") ||
		!strings.Contains(html, "调查中") || !strings.Contains(html, "2026-12-05 07:59 (Asia/Shanghai)") {
		t.Errorf("tracking page %d:\n%s", r.status, html)
	}
	if strings.Contains(html, "Trustees") || strings.Contains(html, "Rude reply") {
		t.Error("the tracking page shows more than reference, stage, phase and due date")
	}
	assertNoPII(t, "the tracking page", r.body, p)

	h.do(http.MethodGet, "/intake/v1/track/"+randomTrackingToken(), nil, nil).problem(t, http.StatusNotFound)
}

// TestGracefulShutdown: a request in flight when the manager stops is
// answered; new connections are refused.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := complaintJSON(newPerson(), nil)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, h.base+h.complaintsPath(h.ns), pr)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.ContentLength = int64(len(body))
	answer := make(chan response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answer <- response{status: -1, body: []byte(err.Error())}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- response{status: resp.StatusCode, header: resp.Header, body: b}
	}()
	if _, err := pw.Write(body[:10]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the request to be in flight", func() bool { return h.srv.inflight.Load() == 1 })

	stopped := make(chan struct{})
	go func() { h.stop(); close(stopped) }()
	waitFor(t, 5*time.Second, "the listener to close", func() bool {
		conn, err := net.Dial("tcp", h.srv.Addr().String())
		if err == nil {
			conn.Close()
		}
		return err != nil
	})
	if _, err := pw.Write(body[10:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	acceptedAnswer(t, <-answer)
	<-stopped
}

// TestAddToManagerDisabled: no bind address, no server (and no manager needed).
func TestAddToManagerDisabled(t *testing.T) {
	if err := AddToManager(nil, Options{}); err != nil {
		t.Fatal(err)
	}
}
