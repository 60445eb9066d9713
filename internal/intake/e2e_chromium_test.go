package intake

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/testenv/headless"
)

// TestPublicFormInChromium drives the public form in headless Chromium with
// scripts disabled, in English and in Chinese (chosen by Accept-Language),
// with the keyboard only: it types into the fields moving with Tab, submits
// with Enter, reads the tracking code, finds the case in the cluster and
// follows the link to the tracking page.
func TestPublicFormInChromium(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(h *harness, o *Options, d *deps) { o.PublicNamespaces = h.ns })

	browserCtx := headless.Start(t, 90*time.Second)

	for _, c := range []struct {
		lang, acceptLanguage, htmlLang, title, accepted, received string
		name, summary                                             string
	}{
		{"en", "en-GB,en;q=0.9", "en", "Make a complaint", "Complaint received", "Received", "Jane Browser", "Lift out of order"},
		{"zh", "zh-CN,zh;q=0.9", "zh-Hans", "提交投诉", "投诉已收到", "已受理", "王小明", "电梯故障"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			u := unique()
			name, email := c.name+" "+u, "browser"+u+"@example.org"
			remember(name, email)
			tab, cancelTab := chromedp.NewContext(browserCtx)
			defer cancelTab()
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			run := func(a chromedp.Action[string]) string {
				t.Helper()
				v, err := chromedp.Run(tab, a)
				must(err)
				return v
			}
			must(chromedp.Do(tab))
			_, err := chromedp.Call(tab, network.Enable, network.EnableParams{})
			must(err)
			_, err = chromedp.Call(tab, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
				Headers: network.Headers{"Accept-Language": c.acceptLanguage}})
			must(err)
			_, err = chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			must(err)

			must(chromedp.Do(tab, chromedp.Navigate(h.base+"/intake/v1/namespaces/"+h.ns+"/form")))
			lang, err := chromedp.Run(tab, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
			must(err)
			if lang.Value != c.htmlLang {
				t.Errorf("html lang %q, want %q", lang.Value, c.htmlLang)
			}
			if got := run(chromedp.Text(chromedp.CSS("h1"))); got != c.title {
				t.Errorf("heading %q, want %q", got, c.title)
			}

			// Keyboard only: type, Tab to the next field, type ...
			must(chromedp.Do(tab,
				chromedp.Focus(chromedp.ID("complainant-name")),
				chromedp.KeyEvent(name), chromedp.KeyEvent(kb.Tab),
				chromedp.KeyEvent(email), chromedp.KeyEvent(kb.Tab),
				chromedp.KeyEvent("+44 20 7946 0000"), chromedp.KeyEvent(kb.Tab),
				chromedp.KeyEvent(c.summary), chromedp.KeyEvent(kb.Tab),
				chromedp.KeyEvent("The lift has not worked for a week."),
			))
			for id, want := range map[string]string{"complainant-name": name, "complainant-email": email,
				"complainant-phone": "+44 20 7946 0000", "summary": c.summary, "description": "The lift has not worked for a week."} {
				if got := run(chromedp.Value(chromedp.ID(id))); got != want {
					t.Errorf("after tabbing, #%s holds %q, want %q", id, got, want)
				}
			}
			// ... and submit with Enter on the button.
			must(chromedp.Do(tab,
				chromedp.Focus(chromedp.ID("submit")),
				chromedp.KeyEvent(kb.Enter),
				chromedp.WaitVisible(chromedp.ID("tracking-token")),
			))
			if got := run(chromedp.Text(chromedp.CSS("h1"))); got != c.accepted {
				t.Errorf("result heading %q, want %q", got, c.accepted)
			}
			token := strings.TrimSpace(run(chromedp.Text(chromedp.ID("tracking-token"))))
			remember(token)
			if !validTrackingToken(token) {
				t.Fatalf("tracking token %q", token)
			}

			// The case is in the cluster, its personal data in its Secret.
			list := &v1.ComplaintList{}
			must(env.Client.List(context.Background(), list, client.InNamespace(h.ns),
				client.MatchingLabels{LabelTrackingHash: trackingHash(token)}))
			if len(list.Items) != 1 {
				t.Fatalf("%d cases for the tracking token", len(list.Items))
			}
			cmp := list.Items[0]
			if cmp.Spec.Channel != "WebForm" || string(cmp.Spec.Language) != c.lang || cmp.Spec.Summary != c.summary {
				t.Errorf("case %+v", cmp.Spec)
			}
			if sec := getSecret(t, h.ns, cmp.Spec.ComplainantSecretRef.Name); string(sec.Data["name"]) != name || string(sec.Data["email"]) != email {
				t.Error("the complainant Secret does not hold what was typed")
			}

			// The link leads to the tracking page.
			must(chromedp.Do(tab, chromedp.Click(chromedp.ID("track-link")), chromedp.WaitVisible(chromedp.ID("phase"))))
			if got := run(chromedp.Text(chromedp.ID("phase"))); got != c.received {
				t.Errorf("tracking page phase %q, want %q", got, c.received)
			}
			if loc := run(chromedp.Location()); !strings.Contains(loc, "/intake/v1/track/"+token) {
				t.Errorf("tracking page at %s", loc)
			}
		})
	}
}
