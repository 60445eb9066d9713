package procedure

import (
	"fmt"
	"strings"
	"time"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/worktime"
)

// Reasons for an invalid Policy, used as the Ready condition's reason.
const (
	ReasonInvalidTimeZone      = "InvalidTimeZone"
	ReasonInvalidCalendar      = "InvalidCalendar"
	ReasonInvalidDuration      = "InvalidDuration"
	ReasonDuplicateStage       = "DuplicateStage"
	ReasonExtensionTooShort    = "ExtensionShorterThanResponse"
	ReasonInvalidNotifications = "InvalidNotifications"
)

// FieldError is one problem with a Policy, naming the field.
type FieldError struct {
	Reason  string
	Field   string
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// InvalidError lists every problem found in a Policy.
type InvalidError struct{ Problems []FieldError }

func (e *InvalidError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// Reason is the first problem's reason: the condition reason.
func (e *InvalidError) Reason() string { return e.Problems[0].Reason }

type compiler struct{ problems []FieldError }

func (c *compiler) fail(reason, field, format string, args ...any) {
	c.problems = append(c.problems, FieldError{Reason: reason, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *compiler) duration(field string, s v1.DurationString) *worktime.Duration {
	if s == "" {
		return nil
	}
	d, err := worktime.ParseDuration(string(s))
	if err != nil {
		c.fail(ReasonInvalidDuration, field, "%v", err)
		return nil
	}
	return &d
}

// Compile validates a Policy and returns its Procedure, or an *InvalidError
// listing every problem.
func Compile(p *v1.Policy) (*Procedure, error) {
	c := &compiler{}
	spec := &p.Spec
	proc := &Procedure{
		Name:                          p.Name,
		Generation:                    p.Generation,
		ReferencePrefix:               spec.ReferencePrefix,
		PauseWhileAwaitingComplainant: spec.PauseWhileAwaitingComplainant,
		FollowUpWithin:                c.duration("spec.followUpWithin", spec.FollowUpWithin),
	}
	proc.Calendar = c.calendar(&spec.Calendar)
	warn := spec.WarnBefore
	if warn == "" {
		warn = "20%"
	}
	if w, err := worktime.ParseWarnBefore(string(warn)); err != nil {
		c.fail(ReasonInvalidDuration, "spec.warnBefore", "%v", err)
	} else {
		proc.WarnBefore = w
	}
	if in := spec.Intake; in != nil {
		proc.Intake = Intake{
			RequireContactDetails: in.RequireContactDetails,
			RaiseWithin:           c.duration("spec.intake.raiseWithin", in.RaiseWithin),
			AllowRepresentatives:  in.AllowRepresentatives,
		}
	}
	proc.Language = string(spec.Language)
	if proc.Language == "" {
		proc.Language = "en"
	}
	if n := spec.Notifications; n != nil {
		proc.Notifications = Notifications{Events: map[v1.NotificationEvent]bool{}, TemplatesConfigMap: n.TemplatesConfigMap, Email: n.Email}
		for _, e := range n.Events {
			proc.Notifications.Events[e] = true
		}
		if n.Webhook != nil {
			proc.Notifications.WebhookURL, proc.Notifications.WebhookSecret = n.Webhook.URL, n.Webhook.SecretRef.Name
		}
		if len(n.Events) > 0 && n.TemplatesConfigMap == "" {
			c.fail(ReasonInvalidNotifications, "spec.notifications.templatesConfigMap", "is required when events are listed")
		}
	}
	proc.Stages = c.stages(spec.Stages)
	if len(c.problems) > 0 {
		return nil, &InvalidError{Problems: c.problems}
	}
	return proc, nil
}

func (c *compiler) calendar(cal *v1.Calendar) *worktime.Calendar {
	if _, err := time.LoadLocation(cal.TimeZone); err != nil || cal.TimeZone == "" || cal.TimeZone == "Local" {
		c.fail(ReasonInvalidTimeZone, "spec.calendar.timeZone", "unknown time zone %q: use an IANA name such as Europe/London", cal.TimeZone)
		return nil
	}
	days := make([]string, len(cal.WorkingDays))
	for i, d := range cal.WorkingDays {
		days[i] = string(d)
	}
	calendar, err := worktime.NewCalendar(cal.TimeZone, nilIfEmpty(days), dates(cal.Holidays), dates(cal.ExtraWorkingDays))
	if err != nil {
		for _, e := range unjoin(err) {
			c.fail(ReasonInvalidCalendar, "spec.calendar", "%v", e)
		}
		return nil
	}
	return calendar
}

func (c *compiler) stages(stages []v1.Stage) []Stage {
	out := make([]Stage, 0, len(stages))
	seen := map[string]bool{}
	for i, s := range stages {
		field := fmt.Sprintf("spec.stages[%d]", i)
		if seen[s.Name] {
			c.fail(ReasonDuplicateStage, field+".name", "stage %q is named twice", s.Name)
		}
		seen[s.Name] = true
		st := Stage{
			Name:              s.Name,
			Owner:             s.Owner,
			AlternateOwner:    s.AlternateOwner,
			AcknowledgeWithin: c.duration(field+".acknowledgeWithin", s.AcknowledgeWithin),
			RespondFrom:       s.RespondFrom,
			ExtendUpTo:        c.duration(field+".extendUpTo", s.ExtendUpTo),
			EscalateWithin:    c.duration(field+".escalateWithin", s.EscalateWithin),
			ExternalRoutes:    s.ExternalRoutes,
		}
		if st.RespondFrom == "" {
			st.RespondFrom = v1.RespondFromStageEntry
		}
		if d := c.duration(field+".respondWithin", s.RespondWithin); d != nil {
			st.RespondWithin = *d
		} else if s.RespondWithin == "" {
			c.fail(ReasonInvalidDuration, field+".respondWithin", "is required")
		}
		if st.ExtendUpTo != nil && st.RespondWithin.N > 0 && !worktime.LongerOrEqual(*st.ExtendUpTo, st.RespondWithin) {
			c.fail(ReasonExtensionTooShort, field+".extendUpTo", "%q is shorter than respondWithin %q", s.ExtendUpTo, s.RespondWithin)
		}
		out = append(out, st)
	}
	return out
}

func dates(in []v1.DateString) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, d := range in {
		out[i] = string(d)
	}
	return out
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// unjoin splits an errors.Join result so each problem is reported on its own.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
