package report

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/redress-operator/redress/internal/testenv/headless"
)

// TestHTMLInChromium loads the February report in headless Chromium and
// checks that the three SVG charts draw one bar per non-zero value, with a
// size on screen, that the headings show, and that the page asks the
// network for nothing but itself.
func TestHTMLInChromium(t *testing.T) {
	r := february()
	r.Scope = "all namespaces"
	var page bytes.Buffer
	if err := HTML(&page, r); err != nil {
		t.Fatal(err)
	}
	var served sync.Map // every path the browser asked the server for
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		served.Store(req.URL.Path, true)
		if req.URL.Path != "/report.html" {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page.Bytes())
	}))
	defer srv.Close()
	pageURL := srv.URL + "/report.html"

	tab := headless.Start(t, 60*time.Second, chromedp.WindowSize(1200, 900))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(tab)) // start the browser and open the tab

	// Record every request the tab makes, from before the navigation on.
	var mu sync.Mutex
	var requests []string
	must(chromedp.Listen(tab, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}))
	must(chromedp.Do(tab, chromedp.Navigate(pageURL), chromedp.WaitVisible(chromedp.CSS("section#open h2"))))

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(sel)))
		must(err)
		return strings.TrimSpace(s)
	}
	if got, want := text("h1"), "Complaints report, 2026-02-01 to 2026-02-28"; got != want {
		t.Errorf("h1 %q, want %q", got, want)
	}
	for sel, want := range map[string]string{
		"section#received h2":   "Cases received: 10",
		"section#outcomes h2":   "Outcomes of the 5 cases closed",
		"section#timeliness h2": "Timeliness",
		"section#breaches h2":   "Breaches: 5",
		"section#lessons h2":    "Lessons learned: 3 (of 4 notes)",
		"section#open h2":       "Open cases at the end of 2026-02-28: 6",
	} {
		if got := text(sel); got != want {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}

	// One bar per non-zero value: six channels; four outcomes; two
	// deadlines split into on time and breached. Each is drawn with a size.
	type box struct{ Width, Height float64 }
	bars := func(section string) []box {
		t.Helper()
		b, err := chromedp.Run(tab, chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll("section#`+section+` svg rect")).map(r => { const b = r.getBoundingClientRect(); return {Width: b.width, Height: b.height}; })`))
		must(err)
		return b
	}
	for section, want := range map[string]int{"received": 6, "outcomes": 4, "timeliness": 4} {
		got := bars(section)
		if len(got) != want {
			t.Errorf("%s chart: %d bars, want %d", section, len(got), want)
		}
		for i, b := range got {
			if b.Width < 1 || b.Height < 10 {
				t.Errorf("%s chart: bar %d is %vx%v on screen", section, i, b.Width, b.Height)
			}
		}
	}
	// The widest channel bar is WebForm's (3), twice Phone's (2)... in
	// proportion; the on-time bar splits 6:4 for acknowledgements.
	ch := bars("received")
	if len(ch) == 6 && (ch[4].Width <= ch[0].Width || ch[0].Width <= ch[1].Width) {
		t.Errorf("channel bars not in proportion: %+v", ch)
	}
	if ot := bars("timeliness"); len(ot) == 4 {
		if ratio := ot[0].Width / ot[1].Width; ratio < 1.4 || ratio > 1.6 {
			t.Errorf("acknowledge on time/breached bar widths %v/%v, want 6:4", ot[0].Width, ot[1].Width)
		}
	}
	svgs, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("svg").length`))
	must(err)
	scripts, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("script").length`))
	must(err)
	if svgs != 3 || scripts != 0 {
		t.Errorf("%d svg and %d script elements, want 3 and 0", svgs, scripts)
	}
	resources, err := chromedp.Run(tab, chromedp.Evaluate[int](`performance.getEntriesByType("resource").length`))
	must(err)
	if resources != 0 {
		t.Errorf("the page loaded %d resources, want none", resources)
	}

	if shot := os.Getenv("REPORT_SCREENSHOT"); shot != "" {
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		must(err)
		must(os.WriteFile(shot, png, 0o644))
	}

	// Leave the page: once it is gone it can ask for nothing more, and every
	// request it made (a favicon, a font) has been reported. Then check the
	// page itself was the only one.
	must(chromedp.Do(tab, chromedp.Navigate("about:blank")))
	mu.Lock()
	defer mu.Unlock()
	requests = slices.DeleteFunc(requests, func(u string) bool { return u == "about:blank" })
	if len(requests) != 1 || requests[0] != pageURL {
		t.Errorf("requests made: %q, want only %s", requests, pageURL)
	}
	served.Range(func(path, _ any) bool {
		if path != "/report.html" && path != "/favicon.ico" {
			t.Errorf("the server was asked for %s", path)
		}
		return true
	})
}
