package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var hookKey = []byte("crm-shared-secret")

func payload() WebhookPayload {
	l := zhLetter()
	return WebhookPayload{
		MessageID: l.MessageID, Event: l.Event, Reference: "MKACT-2026-000123", Language: "zh",
		Subject: l.Subject, Body: l.Body, Recipient: jane,
	}
}

// receiver is a real HTTP endpoint that checks each request the way a CRM
// would: the signature is recomputed independently of Sign.
type receiver struct {
	t      *testing.T
	key    []byte
	status int

	mu       sync.Mutex
	bodies   [][]byte
	headers  []http.Header
	verified []bool
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		rc.t.Errorf("reading the body: %v", err)
	}
	mac := hmac.New(sha256.New, rc.key)
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	ok := r.Method == http.MethodPost && hmac.Equal([]byte(r.Header.Get("X-Redress-Signature")), []byte(want))
	rc.mu.Lock()
	rc.bodies = append(rc.bodies, body)
	rc.headers = append(rc.headers, r.Header.Clone())
	rc.verified = append(rc.verified, ok)
	rc.mu.Unlock()
	if !ok {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if rc.status != 0 {
		http.Error(w, "the CRM says: jane.example@example.org is unknown", rc.status)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func startReceiver(t *testing.T, status int) (*receiver, *httptest.Server) {
	rc := &receiver{t: t, key: hookKey, status: status}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func TestSendWebhookPostsSignedJSON(t *testing.T) {
	rc, srv := startReceiver(t, 0)
	p := payload()
	if err := SendWebhook(testContext(t), srv.Client(), srv.URL+"/hooks/redress", hookKey, p); err != nil {
		t.Fatal(err)
	}
	if len(rc.bodies) != 1 {
		t.Fatalf("%d requests, want exactly 1", len(rc.bodies))
	}
	if !rc.verified[0] {
		t.Fatal("the receiver could not verify the signature")
	}
	h := rc.headers[0]
	if h.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", h.Get("Content-Type"))
	}
	if h.Get("X-Redress-Message-Id") != p.MessageID {
		t.Errorf("X-Redress-Message-Id = %q, want %q", h.Get("X-Redress-Message-Id"), p.MessageID)
	}
	if got := h.Get("X-Redress-Signature"); got != Sign(hookKey, rc.bodies[0]) {
		t.Errorf("X-Redress-Signature = %q", got)
	}

	// The JSON has exactly the documented shape.
	var doc map[string]any
	if err := json.Unmarshal(rc.bodies[0], &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"messageID": p.MessageID, "event": "Responded", "reference": "MKACT-2026-000123", "language": "zh",
		"subject": p.Subject, "body": p.Body,
		"recipient": map[string]any{"name": jane.Name, "email": jane.Email, "phone": jane.Phone},
	}
	gotJSON, _ := json.Marshal(doc)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("payload\n%s\nwant\n%s", gotJSON, wantJSON)
	}
	if !strings.Contains(string(rc.bodies[0]), `"messageID":"<6f1c2a-uid-3@redress.dev>"`) {
		t.Errorf("message ID should be sent unescaped: %s", rc.bodies[0])
	}
}

func TestSignMatchesHMACSHA256(t *testing.T) {
	// RFC 4231 test case 2.
	got := Sign([]byte("Jefe"), []byte("what do ya want for nothing?"))
	if want := "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"; got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestSendWebhookWrongKeyIsRejectedByTheReceiver(t *testing.T) {
	rc, srv := startReceiver(t, 0)
	err := SendWebhook(testContext(t), srv.Client(), srv.URL, []byte("another key"), payload())
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("want a 401 error, got %v", err)
	}
	if rc.verified[0] {
		t.Error("a body signed with the wrong key verified")
	}
}

func TestSendWebhookNon2xxIsAnErrorWithTheStatusOnly(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusInternalServerError, http.StatusServiceUnavailable} {
		_, srv := startReceiver(t, status)
		err := SendWebhook(testContext(t), srv.Client(), srv.URL+"/hooks?token=abc123", hookKey, payload())
		if err == nil {
			t.Fatalf("status %d: want an error", status)
		}
		if !strings.Contains(err.Error(), strconv.Itoa(status)) {
			t.Errorf("error %q does not name status %d", err, status)
		}
		for _, leak := range []string{"CRM says", "token=abc123", "/hooks"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("error %q contains %q", err, leak)
			}
		}
		assertNoPII(t, err, jane)
	}
}

func TestSendWebhookDoesNotFollowRedirects(t *testing.T) {
	rc, target := startReceiver(t, 0)
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	t.Cleanup(redirect.Close)
	err := SendWebhook(testContext(t), redirect.Client(), redirect.URL, hookKey, payload())
	if err == nil || !strings.Contains(err.Error(), "307") {
		t.Fatalf("want a 307 error, got %v", err)
	}
	if len(rc.bodies) != 0 {
		t.Fatal("the redirect was followed")
	}
}

func TestSendWebhookHonoursTheContextDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := SendWebhook(ctx, srv.Client(), srv.URL, hookKey, payload())
	if err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("want a deadline error, got %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("took %v with a 200ms deadline", took)
	}
}

func TestSendWebhookUnreachableErrorHasNoURLSecrets(t *testing.T) {
	host, port := deadServer(t)
	url := "http://user:pw@" + host + ":" + strconv.Itoa(port) + "/hooks/redress?token=abc123"
	err := SendWebhook(testContext(t), nil, url, hookKey, payload())
	if err == nil {
		t.Fatal("want an error")
	}
	for _, leak := range []string{"token", "abc123", "/hooks", "user:pw"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error %q contains %q", err, leak)
		}
	}
	assertNoPII(t, err, jane)
}

func TestSendWebhookRefusesBadInput(t *testing.T) {
	_, srv := startReceiver(t, 0)
	if err := SendWebhook(testContext(t), srv.Client(), srv.URL, nil, payload()); err == nil || !strings.Contains(err.Error(), `"key"`) {
		t.Errorf("empty key: got %v", err)
	}
	for _, u := range []string{"", "crm.example.org/hooks", "ftp://crm.example.org/", "http://"} {
		if err := SendWebhook(testContext(t), srv.Client(), u, hookKey, payload()); err == nil {
			t.Errorf("URL %q: want an error", u)
		}
	}
}
