// Package report computes what a board or trustees need to know about the
// complaints of a period — cases received, outcomes, timeliness, extensions,
// breaches, remedies, lessons learned and the cases still open — from
// Complaints and their Policies, and renders it as Markdown, CSV, JSON or a
// self-contained HTML page.
//
// It is pure: Build reads only the objects it is given (never a Secret, so
// never a complainant's personal data) and the clock plays no part, so the
// same objects and period always give the same report. docs/report.md says
// what every figure means and how it is computed.
//
// Dates: a period is a pair of calendar dates, inclusive, and each case is
// judged in its own Policy's time zone: a case received at 01:30 on
// 1 February in Shanghai (17:30 UTC on 31 January) belongs to February.
package report

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/procedure"
	"github.com/redress-operator/redress/internal/worktime"
)

// Channels, severities and outcomes are listed in this order, zeros included,
// so that reports of different periods line up.
var (
	Channels   = []string{"Phone", "InPerson", "Letter", "Email", "WebForm", "ComplaintBox"}
	Severities = []string{string(v1.SeverityMinor), string(v1.SeverityNormal), string(v1.SeveritySerious)}
	Outcomes   = []string{string(v1.OutcomeUpheld), string(v1.OutcomePartlyUpheld), string(v1.OutcomeNotUpheld), Withdrawn}
	// AgeBands are the open-case age bands, in working days since receipt.
	AgeBands = []string{"0–5", "6–10", "11–20", ">20"}
)

const (
	// Withdrawn is the outcome of a case whose phase is Withdrawn.
	Withdrawn = "Withdrawn"
	// Uncategorised names the cases with no category.
	Uncategorised = "(none)"
	// UnknownOutcome is the outcome of a closed case with no applied Respond
	// (the controller never closes one that way; listed only if it happens).
	UnknownOutcome = "Unknown"
)

// Report is the period's report. Its JSON form is the `-o json` output.
type Report struct {
	// From and To are the period's first and last dates, YYYY-MM-DD.
	From string `json:"from"`
	To   string `json:"to"`
	// Scope says which cases were read ("namespace complaints", "all
	// namespaces"); the caller sets it.
	Scope string `json:"scope,omitempty"`
	// TimeZones are the zones the cases were judged in.
	TimeZones []string `json:"timeZones"`
	// Cases is how many Complaints were read, whatever their dates.
	Cases int `json:"casesRead"`

	Received   Received      `json:"received"`
	Outcomes   OutcomeCounts `json:"outcomes"`
	Timeliness []Timeliness  `json:"timeliness"`
	Extensions Extensions    `json:"extensions"`
	Breaches   []Breach      `json:"breaches"`
	Remedies   Remedies      `json:"remedies"`
	Lessons    Lessons       `json:"lessons"`
	Open       OpenCases     `json:"openCases"`
	// Notes are caveats: a missing Policy, an unusable calendar.
	Notes []string `json:"notes,omitempty"`
}

// Count is one row of a count table.
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Received counts the cases received in the period.
type Received struct {
	Total      int     `json:"total"`
	ByChannel  []Count `json:"byChannel"`
	ByCategory []Count `json:"byCategory"`
	BySeverity []Count `json:"bySeverity"`
}

// OutcomeCounts counts the cases closed in the period by outcome.
type OutcomeCounts struct {
	Closed    int     `json:"closed"`
	ByOutcome []Count `json:"byOutcome"`
}

// Timeliness is how one kind of deadline (acknowledge or respond, every
// stage together) fared in the period.
type Timeliness struct {
	Deadline string `json:"deadline"`
	// Due is how many deadlines were met (on time) or breached in the
	// period: OnTime + Breached.
	Due    int `json:"due"`
	OnTime int `json:"metOnTime"`
	// Breached deadlines are counted where they fell due; MetLate of them
	// were done later, NotMet not (yet).
	Breached int `json:"breached"`
	MetLate  int `json:"metLate"`
	NotMet   int `json:"notMet"`
	// Extended is how many of the Due deadlines had been extended.
	Extended int `json:"extended"`
	// OnTimePercent is OnTime/Due, rounded to one decimal; nil when Due is 0.
	OnTimePercent *float64 `json:"onTimePercent"`
	// Timed is how many deadlines were met (on time or late) in the period:
	// the sample the median and the 90th percentile are taken from.
	Timed int `json:"timed"`
	// MedianWorkingDays and P90WorkingDays are working days, in the Policy's
	// calendar, from the deadline's start to when it was met; nil when
	// nothing was timed.
	MedianWorkingDays *float64 `json:"medianWorkingDays"`
	P90WorkingDays    *float64 `json:"p90WorkingDays"`
}

// Extensions are the Extend entries of the period.
type Extensions struct {
	// Taken counts the applied Extend entries; Refused those Redress rejected
	// (listed in status.rejectedActions), which moved nothing.
	Taken   int         `json:"taken"`
	Refused int         `json:"refused"`
	Entries []Extension `json:"entries"`
}

// Case names a case without personal data.
type Case struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Reference string `json:"reference,omitempty"`
}

// ID is the reference, or namespace/name before one is assigned.
func (c Case) ID() string {
	if c.Reference != "" {
		return c.Reference
	}
	return c.Namespace + "/" + c.Name
}

// Extension is one applied Extend entry.
type Extension struct {
	Case
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
	// Until is the new respond date the entry asked for.
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

// Breach is a deadline that fell due unmet in the period.
type Breach struct {
	Case
	Stage    string    `json:"stage"`
	Deadline string    `json:"deadline"`
	Due      time.Time `json:"due"`
	// Owner is the stage's owner after conflict-of-interest routing.
	Owner string `json:"owner"`
	// MetAt is when it was done after all; nil when it still is not.
	MetAt *time.Time `json:"metAt,omitempty"`
}

// Remedies are what the period's responses offered.
type Remedies struct {
	// Responses counts applied Respond entries; WithRemedies those offering
	// at least one remedy; Offered the remedies, one per mention.
	Responses    int     `json:"responses"`
	WithRemedies int     `json:"responsesWithRemedies"`
	Offered      int     `json:"offered"`
	ByRemedy     []Count `json:"byRemedy"`
}

// Lessons are the period's Note entries that record a lesson learned.
type Lessons struct {
	// Notes counts every Note entry of the period.
	Notes   int      `json:"notes"`
	Entries []Lesson `json:"entries"`
}

// Lesson is a Note whose summary starts with "Lesson".
type Lesson struct {
	Case
	At      time.Time `json:"at"`
	Summary string    `json:"summary"`
}

// OpenCases are the cases open at the end of the period's last day.
type OpenCases struct {
	At    string  `json:"at"`
	Total int     `json:"total"`
	ByAge []Count `json:"byAge"`
}

// Build computes the report of the period from's date to to's date, both
// inclusive. Only the dates of from and to count (their year, month and day
// in their own location); each case is judged in its Policy's time zone.
// policies are keyed "namespace/name". A case whose Policy is missing, or
// has an unusable calendar, is judged in UTC with a Monday-to-Friday week,
// and Notes say so.
func Build(complaints []v1.Complaint, policies map[string]*v1.Policy, from, to time.Time) Report {
	b := &builder{
		from:      worktime.DateOf(from, nil),
		to:        worktime.DateOf(to, nil),
		calendars: map[string]*calendar{},
		remedies:  newCounter(),
		category:  newCounter(),
	}
	b.r = Report{
		From:       b.from.String(),
		To:         b.to.String(),
		Cases:      len(complaints),
		Breaches:   []Breach{},
		Extensions: Extensions{Entries: []Extension{}},
		Lessons:    Lessons{Entries: []Lesson{}},
	}
	b.channels = zeroCounts(Channels)
	b.severities = zeroCounts(Severities)
	b.outcomes = zeroCounts(Outcomes)
	b.ages = zeroCounts(AgeBands)
	b.timeliness = map[v1.DeadlineName]*timing{
		v1.DeadlineAcknowledge: {t: Timeliness{Deadline: string(v1.DeadlineAcknowledge)}},
		v1.DeadlineRespond:     {t: Timeliness{Deadline: string(v1.DeadlineRespond)}},
	}

	sorted := make([]*v1.Complaint, len(complaints))
	for i := range complaints {
		sorted[i] = &complaints[i]
	}
	slices.SortStableFunc(sorted, func(a, b *v1.Complaint) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Status.Reference, b.Status.Reference), cmp.Compare(a.Name, b.Name))
	})
	for _, c := range sorted {
		b.add(c, policies)
	}
	return b.finish()
}

type builder struct {
	r        Report
	from, to worktime.Date

	calendars  map[string]*calendar
	channels   map[string]int
	severities map[string]int
	outcomes   map[string]int
	ages       map[string]int
	category   *counter
	remedies   *counter
	timeliness map[v1.DeadlineName]*timing
	missing    map[string]int // policy key -> cases judged in UTC
	zones      map[string]bool
}

type timing struct {
	t    Timeliness
	days []int
}

// calendar is a Policy's calendar as the report uses it.
type calendar struct {
	work   *worktime.Calendar
	zone   *time.Location
	policy *v1.Policy
	// problem says why the default calendar stands in; "" when it does not.
	problem string
}

func (b *builder) calendarFor(c *v1.Complaint, policies map[string]*v1.Policy) *calendar {
	key := c.Namespace + "/" + c.Spec.PolicyName
	if cal, ok := b.calendars[key]; ok {
		return cal
	}
	cal := &calendar{}
	p := policies[key]
	if p == nil {
		cal.problem = fmt.Sprintf("Policy %s not found", key)
	} else {
		cal.policy = p
		work, err := calendarOf(p)
		if err != nil {
			cal.problem = fmt.Sprintf("Policy %s has an unusable calendar (%s)", key, strings.ReplaceAll(err.Error(), "\n", "; "))
		}
		cal.work = work
	}
	if cal.work == nil {
		cal.work, _ = worktime.NewCalendar("UTC", nil, nil, nil)
	}
	cal.zone = cal.work.Location()
	b.calendars[key] = cal
	return cal
}

func calendarOf(p *v1.Policy) (*worktime.Calendar, error) {
	if p.Spec.Calendar.TimeZone == "" {
		return nil, errors.New("no time zone")
	}
	var days, holidays, extra []string
	for _, d := range p.Spec.Calendar.WorkingDays {
		days = append(days, string(d))
	}
	for _, d := range p.Spec.Calendar.Holidays {
		holidays = append(holidays, string(d))
	}
	for _, d := range p.Spec.Calendar.ExtraWorkingDays {
		extra = append(extra, string(d))
	}
	return worktime.NewCalendar(p.Spec.Calendar.TimeZone, days, holidays, extra)
}

// in reports whether instant t falls on a date of the period in cal's zone.
func (b *builder) in(cal *calendar, t time.Time) bool {
	d := worktime.DateOf(t, cal.zone)
	return d.Compare(b.from) >= 0 && d.Compare(b.to) <= 0
}

// receivedAt is when the case's clocks started: the status's, else the
// spec's, else the creation time.
func receivedAt(c *v1.Complaint) time.Time {
	switch {
	case c.Status.ReceivedAt != nil:
		return c.Status.ReceivedAt.Time
	case c.Spec.ReceivedAt != nil:
		return c.Spec.ReceivedAt.Time
	}
	return c.CreationTimestamp.Time
}

func (b *builder) add(c *v1.Complaint, policies map[string]*v1.Policy) {
	cal := b.calendarFor(c, policies)
	if cal.problem != "" {
		if b.missing == nil {
			b.missing = map[string]int{}
		}
		b.missing[cal.problem]++
	}
	if b.zones == nil {
		b.zones = map[string]bool{}
	}
	b.zones[cal.zone.String()] = true
	id := Case{Namespace: c.Namespace, Name: c.Name, Reference: c.Status.Reference}
	st := &c.Status
	rejected := map[string]bool{}
	for _, r := range st.RejectedActions {
		rejected[r.ID] = true
	}
	actions := sortedActions(c.Spec.Actions)

	// Received.
	received := receivedAt(c)
	if b.in(cal, received) {
		b.r.Received.Total++
		b.channels[string(c.Spec.Channel)]++
		sev := string(c.Spec.Severity)
		if sev == "" {
			sev = string(v1.SeverityNormal)
		}
		b.severities[sev]++
		if cat := strings.TrimSpace(c.Spec.Category); cat != "" {
			b.category.add(cat)
		} else {
			b.category.add(Uncategorised)
		}
	}

	// Outcomes of the cases closed in the period.
	ended := st.Phase == v1.PhaseClosed || st.Phase == v1.PhaseWithdrawn
	if ended && st.ClosedAt != nil && b.in(cal, st.ClosedAt.Time) {
		b.r.Outcomes.Closed++
		outcome := Withdrawn
		if st.Phase == v1.PhaseClosed {
			outcome = lastOutcome(actions, rejected, st.Outcome)
		}
		b.outcomes[outcome]++
	}

	// Deadlines: on time or breached, and time taken.
	for i := range st.Deadlines {
		d := &st.Deadlines[i]
		tm := b.timeliness[d.Name]
		if tm == nil {
			continue
		}
		switch {
		case d.State == v1.DeadlineMet && b.in(cal, metOrDue(d)):
			tm.t.OnTime++
			if d.Extended {
				tm.t.Extended++
			}
		case d.State == v1.DeadlineBreached && b.in(cal, d.Due.Time):
			tm.t.Breached++
			if d.Extended {
				tm.t.Extended++
			}
			br := Breach{Case: id, Stage: d.Stage, Deadline: string(d.Name), Due: d.Due.In(cal.zone), Owner: ownerOf(c, cal.policy, d.Stage)}
			if d.MetAt != nil {
				tm.t.MetLate++
				at := d.MetAt.In(cal.zone)
				br.MetAt = &at
			} else {
				tm.t.NotMet++
			}
			b.r.Breaches = append(b.r.Breaches, br)
		}
		if d.MetAt != nil && (d.State == v1.DeadlineMet || d.State == v1.DeadlineBreached) && b.in(cal, d.MetAt.Time) {
			tm.days = append(tm.days, cal.work.WorkingDaysBetween(d.StartedAt.Time, d.MetAt.Time))
		}
	}

	// The case log: extensions, remedies, notes and lessons.
	for _, a := range actions {
		if !b.in(cal, a.At.Time) {
			continue
		}
		switch a.Type {
		case v1.ActionExtend:
			if rejected[a.ID] {
				b.r.Extensions.Refused++
				continue
			}
			b.r.Extensions.Taken++
			b.r.Extensions.Entries = append(b.r.Extensions.Entries, Extension{
				Case: id, Stage: stageAt(st, a.At.Time), At: a.At.In(cal.zone), Until: string(a.Until), Reason: a.Reason,
			})
		case v1.ActionRespond:
			if rejected[a.ID] {
				continue
			}
			b.r.Remedies.Responses++
			n := 0
			for _, r := range a.Remedies {
				if strings.TrimSpace(r) != "" {
					b.remedies.add(r)
					n++
				}
			}
			b.r.Remedies.Offered += n
			if n > 0 {
				b.r.Remedies.WithRemedies++
			}
		case v1.ActionNote:
			b.r.Lessons.Notes++
			if IsLesson(a.Summary) {
				b.r.Lessons.Entries = append(b.r.Lessons.Entries, Lesson{Case: id, At: a.At.In(cal.zone), Summary: strings.TrimSpace(a.Summary)})
			}
		}
	}

	// Open at the end of the period's last day.
	end := cal.work.EndOfDay(b.to)
	if !received.After(end) && (!ended || (st.ClosedAt != nil && st.ClosedAt.After(end))) {
		b.r.Open.Total++
		b.ages[ageBand(cal.work.WorkingDaysBetween(received, end))]++
	}
}

// metOrDue is when a met deadline was met (its due time if metAt is missing).
func metOrDue(d *v1.Deadline) time.Time {
	if d.MetAt != nil {
		return d.MetAt.Time
	}
	return d.Due.Time
}

// IsLesson reports whether a Note records a lesson learned: its summary
// starts with "Lesson", in any case ("Lesson:", "lessons learnt", "LESSON").
func IsLesson(summary string) bool {
	s := strings.TrimSpace(summary)
	return len(s) >= 6 && strings.EqualFold(s[:6], "lesson")
}

func ageBand(days int) string {
	switch {
	case days <= 5:
		return AgeBands[0]
	case days <= 10:
		return AgeBands[1]
	case days <= 20:
		return AgeBands[2]
	}
	return AgeBands[3]
}

// lastOutcome is the outcome of the last applied Respond entry, else the
// status's outcome.
func lastOutcome(actions []v1.Action, rejected map[string]bool, status v1.Outcome) string {
	for i := len(actions) - 1; i >= 0; i-- {
		if a := actions[i]; a.Type == v1.ActionRespond && !rejected[a.ID] && a.Outcome != "" {
			return string(a.Outcome)
		}
	}
	if status != "" {
		return string(status)
	}
	return UnknownOutcome
}

// ownerOf is who owned the case at stage: status.owner for the current
// stage, else the Policy's owner of that stage, routed to its alternate when
// the owner is named in the complaint, as the controller does.
func ownerOf(c *v1.Complaint, p *v1.Policy, stage string) string {
	if stage == c.Status.Stage && c.Status.Owner != "" {
		return c.Status.Owner
	}
	if p != nil {
		for _, s := range p.Spec.Stages {
			if s.Name == stage {
				if s.AlternateOwner != "" && procedure.Involved(s.Owner, c.Spec.PeopleInvolved) {
					return s.AlternateOwner
				}
				return s.Owner
			}
		}
	}
	return ""
}

// stageAt is the stage the case was at instant t: the stage of the latest
// deadline started by then (every stage starts a clock when the case enters
// it), else the current stage.
func stageAt(st *v1.ComplaintStatus, t time.Time) string {
	stage, start := st.Stage, time.Time{}
	found := false
	for _, d := range st.Deadlines {
		if !d.StartedAt.After(t) && (!found || !d.StartedAt.Time.Before(start)) {
			stage, start, found = d.Stage, d.StartedAt.Time, true
		}
	}
	return stage
}

// sortedActions orders the case log by id, the order entries were appended.
func sortedActions(in []v1.Action) []v1.Action {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b v1.Action) int {
		x, _ := strconv.Atoi(a.ID)
		y, _ := strconv.Atoi(b.ID)
		return cmp.Compare(x, y)
	})
	return out
}

func (b *builder) finish() Report {
	r := b.r
	r.Received.ByChannel = ordered(Channels, b.channels)
	r.Received.BySeverity = ordered(Severities, b.severities)
	r.Received.ByCategory = b.category.counts(Uncategorised)
	r.Outcomes.ByOutcome = ordered(Outcomes, b.outcomes)
	if n := b.outcomes[UnknownOutcome]; n > 0 {
		r.Outcomes.ByOutcome = append(r.Outcomes.ByOutcome, Count{UnknownOutcome, n})
	}
	for _, name := range []v1.DeadlineName{v1.DeadlineAcknowledge, v1.DeadlineRespond} {
		tm := b.timeliness[name]
		t := tm.t
		t.Due = t.OnTime + t.Breached
		if t.Due > 0 {
			t.OnTimePercent = ptr(math.Round(1000*float64(t.OnTime)/float64(t.Due)) / 10)
		}
		t.Timed = len(tm.days)
		if len(tm.days) > 0 {
			t.MedianWorkingDays = ptr(Median(tm.days))
			t.P90WorkingDays = ptr(float64(Percentile(tm.days, 90)))
		}
		r.Timeliness = append(r.Timeliness, t)
	}
	slices.SortStableFunc(r.Breaches, func(a, b Breach) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID(), b.ID()), cmp.Compare(a.Stage, b.Stage))
	})
	slices.SortStableFunc(r.Extensions.Entries, func(a, b Extension) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID(), b.ID()))
	})
	slices.SortStableFunc(r.Lessons.Entries, func(a, b Lesson) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID(), b.ID()))
	})
	r.Remedies.ByRemedy = b.remedies.counts("")
	r.Open.At = b.to.String()
	r.Open.ByAge = ordered(AgeBands, b.ages)
	for zone := range b.zones {
		r.TimeZones = append(r.TimeZones, zone)
	}
	slices.Sort(r.TimeZones)
	if r.TimeZones == nil {
		r.TimeZones = []string{}
	}
	problems := make([]string, 0, len(b.missing))
	for p := range b.missing {
		problems = append(problems, p)
	}
	slices.Sort(problems)
	for _, p := range problems {
		n := b.missing[p]
		r.Notes = append(r.Notes, fmt.Sprintf("%s: %s judged in UTC with a Monday-to-Friday week.", p, plural(n, "case", "cases")))
	}
	return r
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func ptr[T any](v T) *T { return &v }

func zeroCounts(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for _, n := range names {
		m[n] = 0
	}
	return m
}

// ordered lists names in order, then any other name seen, by name.
func ordered(names []string, m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for _, n := range names {
		out = append(out, Count{n, m[n]})
	}
	var extra []string
	for n, c := range m {
		if !slices.Contains(names, n) && c > 0 {
			extra = append(extra, n)
		}
	}
	slices.Sort(extra)
	for _, n := range extra {
		out = append(out, Count{n, m[n]})
	}
	return out
}

// counter counts free-text values (categories, remedies) ignoring case and
// surrounding space; each is shown as first spelt.
type counter struct {
	label map[string]string
	n     map[string]int
}

func newCounter() *counter { return &counter{label: map[string]string{}, n: map[string]int{}} }

func (c *counter) add(s string) {
	s = strings.Join(strings.Fields(s), " ")
	key := strings.ToLower(s)
	if _, ok := c.label[key]; !ok {
		c.label[key] = s
	}
	c.n[key]++
}

// counts lists the values by count, most first, then by name; last is
// listed after the others whatever its count.
func (c *counter) counts(last string) []Count {
	out := make([]Count, 0, len(c.n))
	for key, n := range c.n {
		out = append(out, Count{c.label[key], n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if (a.Name == last) != (b.Name == last) {
			if a.Name == last {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// Median is the middle value of days, or the mean of the two middle values
// when there is an even number of them. days must not be empty.
func Median(days []int) float64 {
	s := slices.Clone(days)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}

// Percentile is the nearest-rank p-th percentile of days: the smallest value
// that at least p% of the values are less than or equal to, so "90% took N
// working days or fewer" holds for N = Percentile(days, 90). days must not be
// empty; 0 < p <= 100.
func Percentile(days []int, p int) int {
	s := slices.Clone(days)
	slices.Sort(s)
	rank := (p*len(s) + 99) / 100 // ceil(p/100 * n)
	return s[max(rank, 1)-1]
}
