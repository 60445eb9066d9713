package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"percent": formatPercent,
	"days":    formatDays,
	"time":    formatTime,
	"met":     formatMet,
	"dash":    orDash,
	"plural":  plural,
	"capital": capitalise,
	"date":    func(l Lesson) string { return l.At.Format("2006-01-02") },
	"counts":  func(label string, cs []Count) countTable { return countTable{label, cs} },
}).Parse(htmlSource))

// HTML writes r as one self-contained HTML page: embedded CSS, bar charts as
// inline SVG, no script, and a Content-Security-Policy that lets the page
// load nothing at all, so it can be mailed, archived or printed as it is.
func HTML(w io.Writer, r Report) error {
	return htmlTemplate.Execute(w, htmlPage{
		Report:       r,
		ChannelChart: countChart("channels", "Cases received by channel", r.Received.ByChannel, "bar"),
		OutcomeChart: countChart("outcomes", "Outcomes of the cases closed", r.Outcomes.ByOutcome, "bar"),
		OnTimeChart:  onTimeChart(r.Timeliness),
	})
}

type countTable struct {
	Label  string
	Counts []Count
}

type htmlPage struct {
	Report
	ChannelChart, OutcomeChart, OnTimeChart chart
}

// chart is a horizontal bar chart laid out for the template: one row per
// label, each with one or more stacked segments. Zero-width segments are
// left out, so every <rect> drawn is a value.
type chart struct {
	ID, Title     string
	Width, Height int
	LabelWidth    int
	Rows          []chartRow
}

type chartRow struct {
	Label    string
	Y, TextY int
	Segments []segment
	Value    string
	ValueX   int
}

type segment struct {
	X, Y, Width, Height int
	Class               string
	Title               string
}

const (
	chartWidth  = 600
	labelWidth  = 150
	barArea     = 320
	rowHeight   = 26
	barHeight   = 18
	chartMargin = 6
)

func newChart(id, title string, rows int) chart {
	return chart{ID: id, Title: title, Width: chartWidth, LabelWidth: labelWidth - 8, Height: rows*rowHeight + 2*chartMargin}
}

func (c *chart) row(i int, label, value string, segs []segment) {
	y := chartMargin + i*rowHeight + (rowHeight-barHeight)/2
	end := labelWidth
	for j := range segs {
		segs[j].Y, segs[j].Height = y, barHeight
		end = max(end, segs[j].X+segs[j].Width)
	}
	c.Rows = append(c.Rows, chartRow{Label: label, Y: y, TextY: y + barHeight - 4, Segments: segs, Value: value, ValueX: end + 6})
}

// countChart draws one bar per count, scaled to the largest.
func countChart(id, title string, counts []Count, class string) chart {
	c := newChart(id, title, len(counts))
	top := 0
	for _, n := range counts {
		top = max(top, n.Count)
	}
	for i, n := range counts {
		var segs []segment
		if n.Count > 0 {
			segs = []segment{{X: labelWidth, Width: max(1, n.Count*barArea/top), Class: class, Title: fmt.Sprintf("%s: %d", n.Name, n.Count)}}
		}
		c.row(i, n.Name, strconv.Itoa(n.Count), segs)
	}
	return c
}

// onTimeChart draws, per deadline, one full-width bar split into the share
// met on time and the share breached.
func onTimeChart(ts []Timeliness) chart {
	c := newChart("on-time", "Deadlines met on time and breached", len(ts))
	for i, t := range ts {
		var segs []segment
		value := "none fell due"
		if t.Due > 0 {
			ok := t.OnTime * barArea / t.Due
			if t.OnTime > 0 {
				segs = append(segs, segment{X: labelWidth, Width: max(1, ok), Class: "ok", Title: fmt.Sprintf("%s met on time: %d of %d", t.Deadline, t.OnTime, t.Due)})
			}
			if t.Breached > 0 {
				segs = append(segs, segment{X: labelWidth + ok, Width: max(1, barArea-ok), Class: "bad", Title: fmt.Sprintf("%s breached: %d of %d", t.Deadline, t.Breached, t.Due)})
			}
			value = formatPercent(t.OnTimePercent) + " on time"
		}
		c.row(i, t.Deadline, value, segs)
	}
	return c
}
