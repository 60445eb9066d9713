package intake

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

var hiddenKey = regexp.MustCompile(`name="idempotencyKey" value="([a-z2-7]+)"`)

func publicHarness(t *testing.T, burst int) *harness {
	return newHarness(t, func(h *harness, o *Options, d *deps) {
		o.PublicNamespaces = h.ns
		o.PublicRate, o.PublicBurst = 0.001, burst
	})
}

// TestPublicFormPage: the form is served for public namespaces only, in
// English or Chinese by Accept-Language (or ?lang=), accessible and
// script-free.
func TestPublicFormPage(t *testing.T) {
	t.Parallel()
	h := publicHarness(t, 10)
	formPath := "/intake/v1/namespaces/" + h.ns + "/form"

	r := h.do(http.MethodGet, formPath, nil, map[string]string{"Accept": browserAccept, "Accept-Language": "en-GB,en;q=0.9"})
	page := string(r.body)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, want := range []string{
		`<html lang="en">`, `<form method="post" action="complaints"`, "Make a complaint",
		`<label for="complainant-name">`, `id="complainant-name" name="complainant.name" type="text"`, `required aria-required="true"`,
		`<label for="description">`, `<legend>About you</legend>`, `aria-describedby="complainant-email-hint"`,
		`<div class="hp" aria-hidden="true">`, `name="website"`, `tabindex="-1"`, `name="language" value="en"`,
		`<button type="submit"`, `hreflang="zh-Hans"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the English form lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the form has a script")
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	// every input but the hidden ones has a label
	for _, id := range regexp.MustCompile(`<(?:input|textarea) id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(page, `<label for="`+id[1]+`">`) {
			t.Errorf("control %s has no label", id[1])
		}
	}
	// each page load has its own idempotency key
	k1 := hiddenKey.FindStringSubmatch(page)
	k2 := hiddenKey.FindStringSubmatch(string(h.do(http.MethodGet, formPath, nil, map[string]string{"Accept": browserAccept}).body))
	if k1 == nil || k2 == nil || k1[1] == k2[1] {
		t.Errorf("idempotency keys %v %v", k1, k2)
	}

	for _, hdr := range []map[string]string{{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}, {"Accept-Language": "zh-TW"}} {
		zh := string(h.do(http.MethodGet, formPath, nil, hdr).body)
		if !strings.Contains(zh, `<html lang="zh-Hans">`) || !strings.Contains(zh, "提交投诉") || !strings.Contains(zh, `name="language" value="zh"`) {
			t.Errorf("Accept-Language %v did not give the Chinese form", hdr)
		}
	}
	if fr := string(h.do(http.MethodGet, formPath, nil, map[string]string{"Accept-Language": "fr-FR"}).body); !strings.Contains(fr, `lang="en"`) {
		t.Error("an unsupported language did not fall back to English")
	}
	if q := string(h.do(http.MethodGet, formPath+"?lang=zh", nil, map[string]string{"Accept-Language": "en"}).body); !strings.Contains(q, `lang="zh-Hans"`) {
		t.Error("?lang=zh did not choose Chinese")
	}
	css := h.do(http.MethodGet, "/intake/v1/assets/form.css", nil, nil)
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet %d %s", css.status, css.header.Get("Content-Type"))
	}
	// not public: 404, as an HTML page for browsers
	r = h.do(http.MethodGet, "/intake/v1/namespaces/"+h.other+"/form", nil, map[string]string{"Accept": browserAccept})
	if r.status != http.StatusNotFound || !strings.Contains(string(r.body), "This page does not exist.") {
		t.Errorf("non-public form: %d %s", r.status, r.body)
	}
}

// TestPublicFormSubmission: an anonymous browser post makes a WebForm case
// and shows the tracking page; a resubmission is the same case; errors come
// back on the form; the honeypot and the public rate limit refuse.
func TestPublicFormSubmission(t *testing.T) {
	t.Parallel()
	h := publicHarness(t, 5)
	p := newPerson()
	post := func(v url.Values, extra map[string]string) response {
		hd := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": browserAccept}
		for k, x := range extra {
			hd[k] = x
		}
		return h.do(http.MethodPost, h.complaintsPath(h.ns), []byte(v.Encode()), hd)
	}
	form := url.Values{
		"complainant.name": {p.name}, "complainant.email": {p.email}, "summary": {"Broken lift"},
		"description": {"The lift has been broken for a week."}, "incidentDate": {"2026-01-02"},
		"representative.relationship": {""}, "language": {"zh"}, "idempotencyKey": {randomTrackingToken()}, "website": {""},
	}

	r := post(form, nil) // 1
	page := string(r.body)
	if r.status != http.StatusAccepted || !strings.Contains(page, `lang="zh-Hans"`) || !strings.Contains(page, "投诉已收到") {
		t.Fatalf("%d %s", r.status, page)
	}
	token := regexp.MustCompile(`id="tracking-token">([a-z2-7]{26})<`).FindStringSubmatch(page)
	if token == nil || !strings.Contains(page, `href="../../track/`+token[1]+`?lang=zh"`) {
		t.Fatalf("no tracking token or link on the page:\n%s", page)
	}
	remember(token[1])
	list := &v1.ComplaintList{}
	if err := env.Client.List(context.Background(), list, client.MatchingLabels{LabelTrackingHash: trackingHash(token[1])}); err != nil || len(list.Items) != 1 {
		t.Fatalf("found %d cases (%v)", len(list.Items), err)
	}
	c := list.Items[0]
	if c.Spec.Channel != "WebForm" || c.Spec.Language != "zh" || c.Labels[LabelMode] != modePublic || c.Spec.Representative != nil {
		t.Errorf("case %+v %v", c.Spec, c.Labels)
	}
	if again := post(form, nil); !strings.Contains(string(again.body), token[1]) || again.status != http.StatusAccepted { // 2
		t.Errorf("resubmitting the same form: %d", again.status)
	}
	if n, _ := countIn(t, h.ns); n != 1 {
		t.Errorf("%d cases after a resubmission", n)
	}

	// Errors come back on the form, with a summary linking to the fields.
	bad := url.Values{"complainant.email": {"nope"}, "summary": {"x"}, "language": {"en"}, "idempotencyKey": {randomTrackingToken()}}
	r = post(bad, nil) // 3
	page = string(r.body)
	for _, want := range []string{`role="alert"`, `href="#complainant-name"`, `href="#description"`, `href="#complainant-email"`,
		`aria-invalid="true"`, `id="complainant-name-error"`, `value="nope"`, `value="x"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the error page lacks %q", want)
		}
	}
	if r.status != http.StatusBadRequest {
		t.Errorf("status %d", r.status)
	}

	// The honeypot: refused, nothing written.
	trap := url.Values{}
	for k, v := range form {
		trap[k] = v
	}
	trap.Set("website", "http://spam.example")
	trap.Set("idempotencyKey", randomTrackingToken())
	if r := post(trap, map[string]string{"Accept": "application/json"}); r.status != http.StatusBadRequest { // 4
		t.Errorf("honeypot: %d", r.status)
	} else if f := problemFields(r.problem(t, http.StatusBadRequest)); len(f) != 1 || f[0] != "website" {
		t.Errorf("honeypot fields %v", f)
	}
	// Anonymous JSON is not the public form.
	h.do(http.MethodPost, h.complaintsPath(h.ns), complaintJSON(p, nil), map[string]string{"Content-Type": "application/json"}).
		problem(t, http.StatusUnauthorized)
	// Nor may the public form pretend to be another channel.
	chan2 := url.Values{"channel": {"Email"}, "complainant.name": {p.name}, "summary": {"s"}, "description": {"d"}}
	post(chan2, map[string]string{"Accept": "application/json"}).problem(t, http.StatusBadRequest) // 5
	// Five public submissions from this address: the sixth is refused.
	r = post(form, nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "Too many complaints") {
		t.Errorf("public rate limit: %d %q", r.status, r.header.Get("Retry-After"))
	}
	if n, s := countIn(t, h.ns); n != 1 || s != 1 {
		t.Errorf("%d cases, %d secrets", n, s)
	}
}
