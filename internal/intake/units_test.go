package intake

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

func TestKeyedLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newKeyedLimiter(0.5, 2) // one token every 2s, burst 2
	l.now = func() time.Time { return now }
	for i := range 2 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	ok, retry := l.allow("a")
	if ok || retry <= 0 || retry > 2*time.Second || retryAfterSeconds(retry) != 2 {
		t.Errorf("third request: %v, retry %v", ok, retry)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Error("another key shares the bucket")
	}
	now = now.Add(2 * time.Second)
	if ok, _ := l.allow("a"); !ok {
		t.Error("no refill")
	}
	// idle buckets are swept once they would be full again
	now = now.Add(5 * time.Minute)
	l.allow("c")
	if _, kept := l.buckets["a"]; kept || len(l.buckets) != 1 {
		t.Errorf("buckets after sweep: %d", len(l.buckets))
	}
	if newKeyedLimiter(0, 5) != nil {
		t.Error("a zero rate should disable the limit")
	}
	var off *keyedLimiter
	if ok, _ := off.allow("x"); !ok {
		t.Error("a disabled limiter refused")
	}
}

func TestClientAddress(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.9")
	if got := clientAddress(r, false); got != "192.0.2.7" {
		t.Errorf("untrusted: %s", got)
	}
	if got := clientAddress(r, true); got != "203.0.113.9" {
		t.Errorf("trusted: %s", got)
	}
	r.RemoteAddr = "[2001:db8:1:2:3:4:5:6]:443"
	if got := clientAddress(r, false); got != "2001:db8:1:2::/64" {
		t.Errorf("IPv6: %s", got)
	}
}

func TestCredentials(t *testing.T) {
	long := "0123456789abcdef"
	set := parseCredentials(&corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "t", Namespace: "sys"},
		Data: map[string][]byte{
			"alpha":      []byte(" a-" + long + " ,\n b-" + long + ",,short"),
			"beta":       []byte("c-" + long),
			"Not_A_Name": []byte("d-" + long),
		},
	}, logr.Discard())
	if len(set.all) != 3 {
		t.Fatalf("%d credentials, want 3 (short and misnamed ones ignored)", len(set.all))
	}
	for tok, want := range map[string]matchResult{"a-" + long: matchNamespace, "b-" + long: matchNamespace,
		"c-" + long: matchOtherNamespace, "d-" + long: matchNone, "short": matchNone, "": matchNone} {
		if got, _ := set.matchToken("alpha", tok); got != want {
			t.Errorf("token %q: %v, want %v", tok, got, want)
		}
	}
	if s := parseCredentials(nil, logr.Discard()); len(s.all) != 0 {
		t.Error("a missing Secret has credentials")
	}
}

func TestDerivations(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	bearer := principal{namespace: "a", mode: modeBearer}
	id := identity(bearer, "k1")
	if idempotentName(id) != idempotentName(identity(bearer, "k1")) ||
		derivedTrackingToken(key, id) != derivedTrackingToken(key, identity(bearer, "k1")) {
		t.Error("derivations are not deterministic")
	}
	for _, other := range []string{identity(bearer, "k2"), identity(principal{namespace: "b", mode: modeBearer}, "k1"),
		identity(principal{namespace: "a", mode: modeHMAC}, "k1")} {
		if idempotentName(other) == idempotentName(id) || derivedTrackingToken(key, other) == derivedTrackingToken(key, id) {
			t.Error("different identities share a name or token")
		}
	}
	if derivedTrackingToken([]byte("another key, another installation"), id) == derivedTrackingToken(key, id) {
		t.Error("the tracking token does not depend on the installation key")
	}
	for _, name := range []string{idempotentName(id), randomName()} {
		if msgs := validation.IsDNS1123Label(secretName(name)); len(msgs) > 0 {
			t.Errorf("%s: %v", name, msgs)
		}
	}
	tok := randomTrackingToken()
	if len(tok) != trackingTokenLength || !validTrackingToken(tok) || len(derivedTrackingToken(key, id)) != trackingTokenLength {
		t.Errorf("token %q", tok)
	}
	if h := trackingHash(tok); len(validation.IsValidLabelValue(h)) > 0 || len(h) != 52 {
		t.Errorf("tracking hash %q is not a label value", h)
	}
	r1 := &complaintRequest{Summary: "s", Complainant: &complainantData{Name: "n"}}
	r2 := &complaintRequest{Summary: "s", Complainant: &complainantData{Name: "m"}}
	if requestDigest(key, bearer, r1) == requestDigest(key, bearer, r2) {
		t.Error("the digest ignores personal data")
	}
	if d := requestDigest(key, bearer, r1); len(d) != 64 || strings.Trim(d, "0123456789abcdef") != "" {
		t.Errorf("digest %q is not a hex HMAC-SHA256", d)
	}
}

func TestPickLanguage(t *testing.T) {
	for _, c := range []struct{ query, form, accept, want string }{
		{"", "", "", "en"}, {"", "", "zh-CN,zh;q=0.9", "zh"}, {"", "", "zh-Hant-TW", "zh"}, {"", "", "fr, de", "en"},
		{"", "", "fr, zh;q=0.5", "zh"}, {"", "zh", "en", "zh"}, {"en", "zh", "zh", "en"}, {"xx", "", "zh", "zh"}, {"", "", "!!!", "en"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/?lang="+c.query, nil)
		r.Header.Set("Accept-Language", c.accept)
		if got := pickLanguage(r, c.form); got != c.want {
			t.Errorf("%+v: %s", c, got)
		}
	}
}

func TestOptions(t *testing.T) {
	var o Options
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	o.BindFlags(fs)
	if err := fs.Parse([]string{"--intake-bind-address=:8082", "--intake-token-secret=redress-system/intake-tokens"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"intake-bind-address", "intake-tls-cert-file", "intake-tls-key-file", "intake-token-secret",
		"intake-hmac-secret", "intake-max-body-bytes", "intake-public-namespaces", "intake-default-policy"} {
		if fs.Lookup(name) == nil {
			t.Errorf("no --%s", name)
		}
	}
	cfg, err := o.parse()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MaxBodyBytes != 64<<10 || cfg.DefaultPolicy != "standard" || cfg.trackingKeySecret.String() != "redress-system/redress-intake-tracking-key" {
		t.Errorf("%+v", cfg)
	}
	for _, bad := range []Options{
		{BindAddress: ":1", MaxBodyBytes: 1},                                                    // no way to authenticate
		{BindAddress: ":1", MaxBodyBytes: 1, TokenSecret: "no-slash"},                           // bad reference
		{BindAddress: ":1", MaxBodyBytes: 1, TokenSecret: "a/b", TLSCertFile: "c"},              // half TLS
		{BindAddress: ":1", MaxBodyBytes: 1, PublicNamespaces: "Bad_NS"},                        // bad namespace
		{BindAddress: ":1", MaxBodyBytes: 0, TokenSecret: "a/b"},                                // no body
		{BindAddress: ":1", MaxBodyBytes: 1, TokenSecret: "a/b", DefaultPolicy: "Not A Policy"}, // bad default
	} {
		if _, err := bad.parse(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	t.Setenv("POD_NAMESPACE", "")
	if _, err := (Options{MaxBodyBytes: 1, PublicNamespaces: "web"}).parse(); err == nil {
		t.Error("public-only intake without a tracking key namespace accepted")
	}
	t.Setenv("POD_NAMESPACE", "redress")
	if cfg, err := (Options{MaxBodyBytes: 1, PublicNamespaces: "web"}).parse(); err != nil || cfg.trackingKeySecret.Namespace != "redress" {
		t.Errorf("%v", err)
	}
}

func TestServerErrorLogHasNoClientAddress(t *testing.T) {
	var got string
	w := logWriter{funcr.New(func(_, args string) { got = args }, funcr.Options{})}
	_, _ = w.Write([]byte("http: TLS handshake error from 198.51.100.7:53211: EOF\n"))
	if strings.Contains(got, "198.51.100.7") || !strings.Contains(got, "TLS handshake error") {
		t.Errorf("logged %s", got)
	}
}
