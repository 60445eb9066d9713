package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

var update = flag.Bool("update", false, "rewrite testdata/february.md from the current output")

func render(t *testing.T, f func(io.Writer, Report) error, r Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMarkdownGolden compares the February report as Markdown with
// testdata/february.md (go test -run TestMarkdownGolden -update rewrites it;
// docs/report.md shows it).
func TestMarkdownGolden(t *testing.T) {
	r := february()
	r.Scope = "all namespaces"
	got := render(t, Markdown, r)
	path := filepath.Join("testdata", "february.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Markdown differs from %s (-want +got; -update rewrites it):\n%s", path, diff)
	}
}

// TestCSVSections reads the CSV back: one table per section, each opening
// with a header row, every row after it naming its section, sections
// separated by an empty line.
func TestCSVSections(t *testing.T) {
	out := render(t, CSV, february())
	blocks := strings.Split(strings.TrimSuffix(out, "\n"), "\n\n")
	tables := map[string][][]string{}
	var order []string
	for _, block := range blocks {
		rd := csv.NewReader(strings.NewReader(block))
		rd.FieldsPerRecord = -1
		rows, err := rd.ReadAll()
		if err != nil {
			t.Fatalf("%v in\n%s", err, block)
		}
		if rows[0][0] != "section" {
			t.Fatalf("block does not open with a header: %q", rows[0])
		}
		name := ""
		for _, row := range rows[1:] {
			if len(row) != len(rows[0]) {
				t.Errorf("row %q has %d cells, header %q has %d", row, len(row), rows[0], len(rows[0]))
			}
			if name == "" {
				name = row[0]
			} else if row[0] != name {
				t.Errorf("row %q in section %s", row, name)
			}
		}
		if name == "" {
			t.Fatalf("empty section with header %q", rows[0])
		}
		order = append(order, name)
		tables[name] = rows
	}
	wantOrder := []string{"period", "totals", "received_by_channel", "received_by_category", "received_by_severity", "outcomes",
		"timeliness", "extensions", "breaches", "remedies", "lessons", "open_cases_by_age", "notes"}
	if !cmp.Equal(order, wantOrder) {
		t.Errorf("sections %v, want %v", order, wantOrder)
	}
	for name, want := range map[string][][]string{
		"timeliness": {
			{"section", "deadline", "due", "met_on_time", "breached", "met_late", "not_met", "extended", "on_time_percent", "met_in_period", "median_working_days", "p90_working_days"},
			{"timeliness", "acknowledge", "10", "6", "4", "3", "1", "0", "60", "9", "1", "3"},
			{"timeliness", "respond", "8", "7", "1", "0", "1", "1", "87.5", "7", "9", "13"},
		},
		"outcomes": {
			{"section", "outcome", "cases"},
			{"outcomes", "Upheld", "2"}, {"outcomes", "PartlyUpheld", "1"}, {"outcomes", "NotUpheld", "1"}, {"outcomes", "Withdrawn", "1"},
		},
		"open_cases_by_age": {
			{"section", "working_days_since_received", "cases"},
			{"open_cases_by_age", "0–5", "2"}, {"open_cases_by_age", "6–10", "1"}, {"open_cases_by_age", "11–20", "2"}, {"open_cases_by_age", ">20", "1"},
		},
	} {
		if !cmp.Equal(tables[name], want) {
			t.Errorf("section %s:\n%q\nwant\n%q", name, tables[name], want)
		}
	}
	if got := tables["breaches"][4]; !cmp.Equal(got, []string{"breaches", "SCH-2026-000004", "school", "office", "acknowledge",
		"2026-02-14T23:59:59+08:00", "校长办公室", "2026-02-24T09:30:00+08:00"}) {
		t.Errorf("S4's breach: %q", got)
	}
	if got := tables["totals"]; len(got) != 12 || !cmp.Equal(got[5], []string{"totals", "breaches", "5"}) {
		t.Errorf("totals: %q", got)
	}
}

// TestJSON: the JSON reads back into the same Report, and the figures have
// the names and forms consumers rely on.
func TestJSON(t *testing.T) {
	r := february()
	out := render(t, JSON, r)
	var back Report
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("JSON does not read back (-built +read):\n%s", diff)
	}
	for _, want := range []string{
		`"from": "2026-02-01"`, `"to": "2026-02-28"`, `"casesRead": 12`,
		`"onTimePercent": 60,`, `"onTimePercent": 87.5,`, `"medianWorkingDays": 9,`, `"p90WorkingDays": 13`,
		`"due": "2026-02-14T23:59:59+08:00"`, `"metAt": "2026-02-24T09:30:00+08:00"`, `"owner": "校长办公室"`,
		`"name": "Compensation (£50)"`, `"reference": "MKACT-2026-000007"`, `"namespace": "complaints"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	// Figures of nothing are null, not zero.
	empty := render(t, JSON, Build(nil, nil, date("2026-02-01"), date("2026-02-28")))
	for _, want := range []string{`"onTimePercent": null`, `"medianWorkingDays": null`, `"p90WorkingDays": null`, `"breaches": []`, `"entries": []`} {
		if !strings.Contains(empty, want) {
			t.Errorf("empty JSON lacks %s:\n%s", want, empty)
		}
	}
}

// TestNoPersonalData: no output names a case worker (the case log's `by`),
// nor shows a complaint's summary or description; owners are roles from
// the Policy.
func TestNoPersonalData(t *testing.T) {
	cs := historyComplaints()
	for i := range cs {
		cs[i].Spec.Description = "Jane Q. Complainant, 12 Acacia Avenue"
		cs[i].Spec.ComplainantSecretRef = nil
	}
	r := Build(cs, historyPolicies(), date("2026-01-01"), date("2026-03-31"))
	for name, f := range map[string]func(io.Writer, Report) error{"markdown": Markdown, "csv": CSV, "json": JSON, "html": HTML} {
		out := render(t, f, r)
		for _, who := range []string{"alice", "bob", "carol", "dave", "erin", "wang.li", "zhao.min", "Jane", "Acacia", "never appears"} {
			if strings.Contains(out, who) {
				t.Errorf("%s output contains %q", name, who)
			}
		}
	}
}

// TestFreeTextIsEscaped: reasons, lessons and remedies are typed by people;
// they cannot break a Markdown table, run as a spreadsheet formula or
// become HTML.
func TestFreeTextIsEscaped(t *testing.T) {
	c := historyComplaints()[0]
	c.Spec.Actions = append(c.Spec.Actions,
		note("5", "2026-02-17T09:00:00Z", "alice", "Lesson: a | b\nnew line <script>alert(1)</script> *bold* [link](http://x)"),
		respond("6", "2026-02-17T09:30:00Z", "bob", "Upheld", "again", "=HYPERLINK(\"http://x\")", "-1 point"),
	)
	c.Status.AppliedActions = 6
	r := Build([]v1.Complaint{c}, historyPolicies(), date("2026-02-01"), date("2026-02-28"))

	md := render(t, Markdown, r)
	if want := `| MKACT-2026-000001 | 2026-02-17 | Lesson: a \| b new line \<script>alert(1)\</script> \*bold\* \[link\](http://x) |`; !strings.Contains(md, want) {
		t.Errorf("Markdown lacks the escaped lesson %s:\n%s", want, md)
	}
	out := render(t, CSV, r)
	for _, want := range []string{`remedies,"'=HYPERLINK(""http://x"")",1`, `remedies,'-1 point,1`} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %s:\n%s", want, out)
		}
	}
	page := render(t, HTML, r)
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("HTML does not escape the lesson")
	}
}

// TestRender picks the format by name.
func TestRender(t *testing.T) {
	r := february()
	for _, f := range append(Formats, "md") {
		if err := Render(io.Discard, f, r); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if err := Render(io.Discard, "yaml", r); err == nil || !strings.Contains(err.Error(), "markdown, csv, json, html") {
		t.Errorf("yaml: err = %v", err)
	}
}

// TestHTMLIsSelfContained: the page names no URL to load and carries a
// policy that forbids loading anything.
func TestHTMLIsSelfContained(t *testing.T) {
	page := render(t, HTML, february())
	for _, banned := range []string{"<script", "src=", "http://", "https://", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""), banned) {
			t.Errorf("HTML contains %q", banned)
		}
	}
	if !strings.Contains(page, `content="default-src 'none'`) {
		t.Error("no Content-Security-Policy")
	}
	if n := strings.Count(page, "<rect "); n != 14 {
		t.Errorf("%d bars, want 14 (6 channels, 4 outcomes, 2×2 on time/breached)", n)
	}
}
