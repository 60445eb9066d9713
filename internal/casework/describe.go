package casework

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/worktime"
)

// timeLayout shows instants in the Policy's calendar zone.
const timeLayout = "Mon 02 Jan 2006 15:04 MST"

var defaultWorkingDays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}

func newDescribeCommand(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "describe NAME",
		Short: "Show a case as a timeline, with each deadline's due date, state and working days left",
		Long: `Show a case: its reference, policy, stage, phase and owner, the case log as a
timeline, and every deadline with its due date in the Policy's calendar zone, its
state and the time left in working days of the Policy's calendar.`,
		Example:           "  kubectl complaint -n complaints describe c-8k2pq",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: e.completeComplaintNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := e.connect(); err != nil {
				return err
			}
			ctx := cmd.Context()
			key := client.ObjectKey{Namespace: e.namespace, Name: args[0]}
			var cmp v1.Complaint
			if err := e.client.Get(ctx, key, &cmp); err != nil {
				return explain(err, "read", key.Namespace, key.Name)
			}
			var policy *v1.Policy
			var p v1.Policy
			var note string
			switch err := e.client.Get(ctx, client.ObjectKey{Namespace: key.Namespace, Name: cmp.Spec.PolicyName}, &p); {
			case err == nil:
				policy = &p
			case apierrors.IsNotFound(err):
				note = fmt.Sprintf("Policy %q not found: times in UTC, Monday to Friday", cmp.Spec.PolicyName)
			default:
				note = fmt.Sprintf("cannot read Policy %q (%v): times in UTC, Monday to Friday", cmp.Spec.PolicyName, err)
			}
			cal, err := calendarFor(policy)
			if err != nil {
				note = fmt.Sprintf("Policy %q has an unusable calendar (%v): times in UTC, Monday to Friday", cmp.Spec.PolicyName, err)
				cal, _ = calendarFor(nil)
			}
			return describe(cmd.OutOrStdout(), &cmp, cal, note, e.opts.Now())
		},
	}
}

// calendar is the Policy's working-time calendar as describe uses it.
type calendar struct {
	zone *time.Location
	work *worktime.Calendar
	days []string
}

func calendarFor(p *v1.Policy) (*calendar, error) {
	zone, days, holidays, extra := "UTC", defaultWorkingDays, []string(nil), []string(nil)
	if p != nil {
		zone = p.Spec.Calendar.TimeZone
		if len(p.Spec.Calendar.WorkingDays) > 0 {
			days = nil
			for _, d := range p.Spec.Calendar.WorkingDays {
				days = append(days, string(d))
			}
		}
		for _, h := range p.Spec.Calendar.Holidays {
			holidays = append(holidays, string(h))
		}
		for _, x := range p.Spec.Calendar.ExtraWorkingDays {
			extra = append(extra, string(x))
		}
	}
	work, err := worktime.NewCalendar(zone, days, holidays, extra)
	if err != nil {
		return nil, err
	}
	return &calendar{zone: work.Location(), work: work, days: days}, nil
}

func (c *calendar) at(t time.Time) string { return t.In(c.zone).Format(timeLayout) }

// left says how much time a deadline has, in working days of the calendar.
func (c *calendar) left(d v1.Deadline, now time.Time) string {
	due := d.Due.Time
	switch d.State {
	case v1.DeadlineMet:
		if d.MetAt != nil {
			return "met " + c.at(d.MetAt.Time)
		}
		return "met"
	case v1.DeadlineWaived:
		return "waived"
	case v1.DeadlineBreached:
		if d.MetAt != nil {
			return "met late " + c.at(d.MetAt.Time)
		}
		return c.overdue(due, now)
	}
	var s string
	if now.After(due) {
		s = c.overdue(due, now)
	} else {
		if sameDay(now.In(c.zone), due.In(c.zone)) {
			s = "due today"
		} else {
			s = workingDays(c.work.WorkingDaysBetween(now, due))
		}
	}
	if d.State == v1.DeadlinePaused {
		s = "paused, " + s
	}
	return s
}

func (c *calendar) overdue(due, now time.Time) string {
	n := c.work.WorkingDaysBetween(due, now)
	if n <= 0 {
		return "overdue"
	}
	return "overdue by " + workingDays(n)
}

func workingDays(n int) string {
	if n == 1 {
		return "1 working day"
	}
	return strconv.Itoa(n) + " working days"
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func describe(w io.Writer, cmp *v1.Complaint, cal *calendar, note string, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	st := cmp.Status
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", name, value)
		}
	}
	field("Name", cmp.Name)
	field("Namespace", cmp.Namespace)
	field("Reference", orDash(st.Reference))
	field("Policy", fmt.Sprintf("%s (calendar %s)", cmp.Spec.PolicyName, cal.zone))
	field("Stage", orDash(st.Stage))
	field("Phase", orDash(string(st.Phase)))
	field("Owner", orDash(st.Owner))
	field("Assignee", st.Assignee)
	field("Outcome", string(st.Outcome))
	field("Summary", cmp.Spec.Summary)
	field("Channel", string(cmp.Spec.Channel))
	field("Category", cmp.Spec.Category)
	field("Severity", string(cmp.Spec.Severity))
	if len(st.ExternalRoutes) > 0 {
		field("External routes", strings.Join(st.ExternalRoutes, ", "))
	}
	field("Note", note)
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nTimeline (%s):\n", cal.zone)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	received := cmp.CreationTimestamp.Time
	if st.ReceivedAt != nil {
		received = st.ReceivedAt.Time
	} else if cmp.Spec.ReceivedAt != nil {
		received = cmp.Spec.ReceivedAt.Time
	}
	fmt.Fprintf(tw, "  %s\t\tReceived via %s\n", cal.at(received), orDash(string(cmp.Spec.Channel)))
	rejected := map[string]v1.RejectedAction{}
	for _, r := range st.RejectedActions {
		rejected[r.ID] = r
	}
	for _, a := range sortedActions(cmp.Spec.Actions) {
		line := fmt.Sprintf("%s by %s", a.Type, a.By)
		if d := actionDetail(a); d != "" {
			line += ": " + d
		}
		if r, ok := rejected[a.ID]; ok {
			line += fmt.Sprintf("  [REJECTED %s: %s]", r.Reason, r.Message)
		}
		fmt.Fprintf(tw, "  %s\t#%s\t%s\n", cal.at(a.At.Time), a.ID, line)
	}
	if st.ClosedAt != nil {
		fmt.Fprintf(tw, "  %s\t\t%s\n", cal.at(st.ClosedAt.Time), orDash(string(st.Phase)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nDeadlines (%s; working days %s):\n", cal.zone, strings.Join(shortDays(cal.days), ","))
	if len(st.Deadlines) == 0 {
		fmt.Fprintln(w, "  none yet")
	} else {
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  NAME\tSTAGE\tDUE\tSTATE\tLEFT")
		for _, d := range st.Deadlines {
			state := string(d.State)
			if d.Extended {
				state += " (extended)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", d.Name, d.Stage, cal.at(d.Due.Time), state, cal.left(d, now))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	if len(st.Conditions) > 0 {
		fmt.Fprintln(w, "\nConditions:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  TYPE\tSTATUS\tREASON\tMESSAGE")
		for _, c := range st.Conditions {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Type, c.Status, c.Reason, c.Message)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// sortedActions orders the case log by id (1, 2, ... 10), the order entries were appended.
func sortedActions(in []v1.Action) []v1.Action {
	out := append([]v1.Action(nil), in...)
	sort.SliceStable(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i].ID)
		b, _ := strconv.Atoi(out[j].ID)
		return a < b
	})
	return out
}

func actionDetail(a v1.Action) string {
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	if a.Assignee != "" {
		add("to %s", a.Assignee)
	}
	if a.Until != "" {
		add("until %s", a.Until)
	}
	if a.Outcome != "" {
		add("%s", a.Outcome)
	}
	if a.Satisfied != nil {
		if *a.Satisfied {
			add("satisfied")
		} else {
			add("not satisfied")
		}
	}
	if a.Message != "" {
		add("%q", a.Message)
	}
	if a.Reason != "" {
		add("%q", a.Reason)
	}
	if a.Summary != "" {
		add("%q", a.Summary)
	}
	if len(a.Remedies) > 0 {
		add("remedies: %s", strings.Join(a.Remedies, "; "))
	}
	return strings.Join(parts, ", ")
}

func shortDays(days []string) []string {
	out := make([]string, 0, len(days))
	for _, d := range days {
		if len(d) >= 3 {
			d = d[:3]
		}
		out = append(out, d)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
