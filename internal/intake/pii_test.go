package intake

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// TestPersonalDataStaysInTheSecret sends personal data down every path —
// accepted, invalid, conflicting, signed, public form, rolled back — and
// proves it is in the complainant Secrets only: not in any Complaint, not in
// the manager's log output (captured at every verbosity, with client-go's),
// and never with the tracking tokens. TestMain repeats the log check over
// every test's data once all have run.
func TestPersonalDataStaysInTheSecret(t *testing.T) {
	t.Parallel()
	fw := &failingWriter{}
	h := newHarness(t, func(h *harness, o *Options, d *deps) {
		o.PublicNamespaces = h.ns
		d.writer = fw.client(t)
	})
	people := []person{newPerson(), newPerson(), newPerson(), newPerson(), newPerson(), newPerson()}
	var tokens []string

	// accepted, JSON, with and without Idempotency-Key
	a := acceptedAnswer(t, h.postJSON(h.ns, h.token, complaintJSON(people[0], nil), nil))
	tokens = append(tokens, a.TrackingToken)
	key := map[string]string{"Idempotency-Key": "k-" + unique()}
	a = acceptedAnswer(t, h.postJSON(h.ns, h.token, complaintJSON(people[1], nil), key))
	tokens = append(tokens, a.TrackingToken)
	// the same key with someone else's data: 409
	h.postJSON(h.ns, h.token, complaintJSON(people[2], nil), key).problem(t, http.StatusConflict)
	// invalid: the data is in the body, the request fails validation
	h.postJSON(h.ns, h.token, complaintJSON(people[2], map[string]any{"summary": nil, "channel": "Fax"}), nil).problem(t, http.StatusBadRequest)
	// wrong credentials with personal data in the body
	h.postJSON(h.ns, "wrong-token-0123456789abcdef", complaintJSON(people[2], nil), nil).problem(t, http.StatusUnauthorized)
	// signed form
	body := []byte(url.Values{"channel": {"Phone"}, "summary": {"s"}, "description": {"d"},
		"complainant.name": {people[3].name}, "complainant.phone": {people[3].phone}}.Encode())
	a = acceptedAnswer(t, h.do(http.MethodPost, h.complaintsPath(h.ns), body, map[string]string{
		"Content-Type": mediaForm, signatureHeader: sign(h.hmacKey, body)}))
	tokens = append(tokens, a.TrackingToken)
	// public form, as a browser, including a failed validation shown back
	form := url.Values{"complainant.name": {people[4].name}, "complainant.email": {people[4].email}, "summary": {"s"},
		"description": {"d"}, "idempotencyKey": {randomTrackingToken()}}
	r := h.do(http.MethodPost, h.complaintsPath(h.ns), []byte(form.Encode()), map[string]string{"Content-Type": mediaForm, "Accept": browserAccept})
	if r.status != http.StatusAccepted {
		t.Fatalf("public form: %d", r.status)
	}
	form.Del("summary")
	h.do(http.MethodPost, h.complaintsPath(h.ns), []byte(form.Encode()), map[string]string{"Content-Type": mediaForm, "Accept": browserAccept})
	// rolled back
	fw.set(true, false)
	h.postJSON(h.ns, h.token, complaintJSON(people[5], nil), nil).problem(t, http.StatusServiceUnavailable)
	fw.set(false, false)
	// tracking
	for _, tok := range tokens {
		if r := h.do(http.MethodGet, "/intake/v1/track/"+tok, nil, nil); r.status != http.StatusOK {
			t.Errorf("tracking: %d", r.status)
		}
	}

	// The Complaints hold none of it; the Secrets hold all of the accepted.
	list := &v1.ComplaintList{}
	if err := env.Client.List(context.Background(), list, client.InNamespace(h.ns)); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 4 {
		t.Errorf("%d complaints, want 4", len(list.Items))
	}
	raw, _ := json.Marshal(list)
	for _, p := range people {
		assertNoPII(t, "the Complaints", raw, p)
	}
	for _, tok := range tokens {
		if strings.Contains(string(raw), tok) {
			t.Error("a Complaint holds a tracking token")
		}
	}

	out := logs.String()
	for _, want := range []string{`"msg"="complaint accepted"`, `"msg"="intake request"`, `"status"=409`, "rolling back"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s: the capture is not working", want)
		}
	}
	for _, p := range people {
		for _, v := range []string{p.name, p.email, p.phone} {
			if strings.Contains(out, v) {
				t.Errorf("the log output contains personal data %q", v)
			}
		}
	}
	for _, tok := range tokens {
		if strings.Contains(out, tok) {
			t.Error("the log output contains a tracking token")
		}
	}
}
