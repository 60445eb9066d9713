package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// TimeLayout shows an instant in its case's Policy zone.
const TimeLayout = "2006-01-02 15:04 MST"

// Formats are the output formats, the first the default.
var Formats = []string{"markdown", "csv", "json", "html"}

// Render writes r in format (one of Formats).
func Render(w io.Writer, format string, r Report) error {
	switch format {
	case "markdown", "md":
		return Markdown(w, r)
	case "csv":
		return CSV(w, r)
	case "json":
		return JSON(w, r)
	case "html":
		return HTML(w, r)
	}
	return fmt.Errorf("unknown output format %q: want one of %s", format, strings.Join(Formats, ", "))
}

// JSON writes r as indented JSON: the Report type's fields, instants in
// RFC 3339 with their case's zone offset.
func JSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func formatPercent(p *float64) string {
	if p == nil {
		return "–"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64) + "%"
}

func formatDays(d *float64) string {
	if d == nil {
		return "–"
	}
	return strconv.FormatFloat(*d, 'f', -1, 64)
}

func formatTime(t time.Time) string { return t.Format(TimeLayout) }

func formatMet(t *time.Time) string {
	if t == nil {
		return "not yet"
	}
	return formatTime(*t)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// Markdown writes r as a Markdown document (GitHub-flavoured tables).
func Markdown(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	table := func(header []string, rows [][]string) {
		p("| %s |\n", strings.Join(header, " | "))
		seps := make([]string, len(header))
		for i := range header {
			seps[i] = "---"
			if i > 0 && isNumericColumn(rows, i) {
				seps[i] = "---:"
			}
		}
		p("| %s |\n", strings.Join(seps, " | "))
		for _, row := range rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = mdEscape(c)
			}
			p("| %s |\n", strings.Join(cells, " | "))
		}
		p("\n")
	}
	counts := func(label string, cs []Count) {
		rows := make([][]string, len(cs))
		for i, c := range cs {
			rows[i] = []string{c.Name, strconv.Itoa(c.Count)}
		}
		table([]string{label, "Cases"}, rows)
	}

	p("# Complaints report, %s to %s\n\n", r.From, r.To)
	var scope []string
	if r.Scope != "" {
		scope = append(scope, mdEscape(capitalise(r.Scope)))
	}
	scope = append(scope, fmt.Sprintf("%s read", plural(r.Cases, "case", "cases")))
	if len(r.TimeZones) > 0 {
		scope = append(scope, "dates in each case's Policy time zone ("+mdEscape(strings.Join(r.TimeZones, ", "))+")")
	}
	p("%s.\n\n", strings.Join(scope, "; "))

	p("## Cases received: %d\n\n", r.Received.Total)
	counts("Channel", r.Received.ByChannel)
	counts("Category", r.Received.ByCategory)
	counts("Severity", r.Received.BySeverity)

	p("## Outcomes of the %s closed\n\n", plural(r.Outcomes.Closed, "case", "cases"))
	counts("Outcome", r.Outcomes.ByOutcome)

	p("## Timeliness\n\n")
	rows := make([][]string, len(r.Timeliness))
	for i, t := range r.Timeliness {
		rows[i] = []string{t.Deadline, strconv.Itoa(t.Due), strconv.Itoa(t.OnTime), strconv.Itoa(t.Breached),
			strconv.Itoa(t.MetLate), strconv.Itoa(t.Extended), formatPercent(t.OnTimePercent),
			strconv.Itoa(t.Timed), formatDays(t.MedianWorkingDays), formatDays(t.P90WorkingDays)}
	}
	table([]string{"Deadline", "Fell due or met", "Met on time", "Breached", "Breached, met late", "Extended", "On time",
		"Met in period", "Median working days", "90th percentile"}, rows)
	p("Deadlines of every stage. \"Fell due or met\" counts deadlines met on time in the period and deadlines breached in the period; " +
		"the working days (median, 90th percentile) are those of the deadlines met in the period, late ones included, " +
		"from the clock's start to when it was met, in the Policy's calendar.\n\n")

	p("## Extensions: %d", r.Extensions.Taken)
	if r.Extensions.Refused > 0 {
		p(" (%d refused)", r.Extensions.Refused)
	}
	p("\n\n")
	if len(r.Extensions.Entries) > 0 {
		rows = rows[:0]
		for _, e := range r.Extensions.Entries {
			rows = append(rows, []string{e.ID(), orDash(e.Stage), formatTime(e.At), e.Until, e.Reason})
		}
		table([]string{"Case", "Stage", "Extended on", "Until", "Reason"}, rows)
	}

	p("## Breaches: %d\n\n", len(r.Breaches))
	if len(r.Breaches) > 0 {
		rows = rows[:0]
		for _, b := range r.Breaches {
			rows = append(rows, []string{b.ID(), b.Stage, b.Deadline, formatTime(b.Due), orDash(b.Owner), formatMet(b.MetAt)})
		}
		table([]string{"Case", "Stage", "Deadline", "Due", "Owner", "Met"}, rows)
	}

	p("## Remedies offered: %d, in %d of %s\n\n", r.Remedies.Offered, r.Remedies.WithRemedies, plural(r.Remedies.Responses, "response", "responses"))
	if len(r.Remedies.ByRemedy) > 0 {
		rows = rows[:0]
		for _, c := range r.Remedies.ByRemedy {
			rows = append(rows, []string{c.Name, strconv.Itoa(c.Count)})
		}
		table([]string{"Remedy", "Times offered"}, rows)
	}

	p("## Lessons learned: %d (of %s)\n\n", len(r.Lessons.Entries), plural(r.Lessons.Notes, "note", "notes"))
	if len(r.Lessons.Entries) > 0 {
		rows = rows[:0]
		for _, l := range r.Lessons.Entries {
			rows = append(rows, []string{l.ID(), l.At.Format(time.DateOnly), l.Summary})
		}
		table([]string{"Case", "Date", "Lesson"}, rows)
	}

	p("## Open cases at the end of %s: %d\n\n", r.Open.At, r.Open.Total)
	rows = rows[:0]
	for _, c := range r.Open.ByAge {
		rows = append(rows, []string{c.Name, strconv.Itoa(c.Count)})
	}
	table([]string{"Working days since received", "Cases"}, rows)

	if len(r.Notes) > 0 {
		p("## Notes\n\n")
		for _, n := range r.Notes {
			p("- %s\n", mdEscape(n))
		}
		p("\n")
	}
	return bw.Flush()
}

func isNumericColumn(rows [][]string, i int) bool {
	for _, row := range rows {
		c := strings.TrimSuffix(row[i], "%")
		if c == "–" {
			continue
		}
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return false
		}
	}
	return len(rows) > 0
}

var mdReplacer = strings.NewReplacer(
	"\\", "\\\\", "|", "\\|", "*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]",
	"<", "\\<",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdEscape makes free text (a reason, a lesson, a remedy) safe in a table
// cell: no column breaks, no line breaks, no emphasis, links or HTML.
func mdEscape(s string) string { return mdReplacer.Replace(s) }

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// CSV writes r as one CSV table per section, separated by empty lines. Each
// section starts with a header row whose first cell is "section"; every row
// after it starts with the section's name, so a spreadsheet filter on the
// first column picks one table. Free text that a spreadsheet would take for
// a formula (starting with =, +, -, @) is prefixed with an apostrophe.
func CSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	first := true
	section := func(name string, header []string, rows [][]string) {
		if !first {
			_ = cw.Write(nil)
		}
		first = false
		_ = cw.Write(append([]string{"section"}, header...))
		for _, row := range rows {
			_ = cw.Write(append([]string{name}, row...))
		}
	}
	counts := func(name, label string, cs []Count) {
		rows := make([][]string, len(cs))
		for i, c := range cs {
			rows[i] = []string{csvText(c.Name), strconv.Itoa(c.Count)}
		}
		section(name, []string{label, "cases"}, rows)
	}
	optional := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	instant := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339)
	}

	section("period", []string{"from", "to", "scope", "time_zones", "cases_read"},
		[][]string{{r.From, r.To, csvText(r.Scope), strings.Join(r.TimeZones, " "), strconv.Itoa(r.Cases)}})
	section("totals", []string{"figure", "value"}, [][]string{
		{"received", strconv.Itoa(r.Received.Total)},
		{"closed", strconv.Itoa(r.Outcomes.Closed)},
		{"extensions_taken", strconv.Itoa(r.Extensions.Taken)},
		{"extensions_refused", strconv.Itoa(r.Extensions.Refused)},
		{"breaches", strconv.Itoa(len(r.Breaches))},
		{"responses", strconv.Itoa(r.Remedies.Responses)},
		{"responses_with_remedies", strconv.Itoa(r.Remedies.WithRemedies)},
		{"remedies_offered", strconv.Itoa(r.Remedies.Offered)},
		{"notes", strconv.Itoa(r.Lessons.Notes)},
		{"lessons", strconv.Itoa(len(r.Lessons.Entries))},
		{"open_at_end", strconv.Itoa(r.Open.Total)},
	})
	counts("received_by_channel", "channel", r.Received.ByChannel)
	counts("received_by_category", "category", r.Received.ByCategory)
	counts("received_by_severity", "severity", r.Received.BySeverity)
	counts("outcomes", "outcome", r.Outcomes.ByOutcome)

	var rows [][]string
	for _, t := range r.Timeliness {
		rows = append(rows, []string{t.Deadline, strconv.Itoa(t.Due), strconv.Itoa(t.OnTime), strconv.Itoa(t.Breached),
			strconv.Itoa(t.MetLate), strconv.Itoa(t.NotMet), strconv.Itoa(t.Extended), optional(t.OnTimePercent),
			strconv.Itoa(t.Timed), optional(t.MedianWorkingDays), optional(t.P90WorkingDays)})
	}
	section("timeliness", []string{"deadline", "due", "met_on_time", "breached", "met_late", "not_met", "extended",
		"on_time_percent", "met_in_period", "median_working_days", "p90_working_days"}, rows)

	rows = nil
	for _, e := range r.Extensions.Entries {
		rows = append(rows, []string{csvText(e.ID()), e.Namespace, e.Stage, e.At.Format(time.RFC3339), e.Until, csvText(e.Reason)})
	}
	section("extensions", []string{"case", "namespace", "stage", "extended_at", "until", "reason"}, rows)

	rows = nil
	for _, b := range r.Breaches {
		rows = append(rows, []string{csvText(b.ID()), b.Namespace, b.Stage, b.Deadline, b.Due.Format(time.RFC3339), csvText(b.Owner), instant(b.MetAt)})
	}
	section("breaches", []string{"case", "namespace", "stage", "deadline", "due", "owner", "met_at"}, rows)

	rows = nil
	for _, c := range r.Remedies.ByRemedy {
		rows = append(rows, []string{csvText(c.Name), strconv.Itoa(c.Count)})
	}
	section("remedies", []string{"remedy", "times_offered"}, rows)

	rows = nil
	for _, l := range r.Lessons.Entries {
		rows = append(rows, []string{csvText(l.ID()), l.Namespace, l.At.Format(time.RFC3339), csvText(l.Summary)})
	}
	section("lessons", []string{"case", "namespace", "noted_at", "lesson"}, rows)

	counts("open_cases_by_age", "working_days_since_received", r.Open.ByAge)

	rows = nil
	for _, n := range r.Notes {
		rows = append(rows, []string{csvText(n)})
	}
	section("notes", []string{"note"}, rows)

	cw.Flush()
	return cw.Error()
}

// csvText defuses spreadsheet formulas in free text.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
