package lifecycle

import (
	"fmt"
	"strings"
	"time"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// advance lets time run to instant t: running deadlines due before t are
// breached, and an escalation window that ran out closes the case (that is
// not a breach). It repeats because closing may start a follow-up clock.
// An escalation window is pending only while the case stands Responded.
func (m *machine) advance(t time.Time) {
	for changed := true; changed; {
		changed = false
		for _, d := range m.pending() {
			if !t.After(d.Due.Time) {
				break
			}
			if d.Name == v1.DeadlineEscalationWindow && m.proc == nil {
				continue // closing needs the Policy (follow-up, letters): wait for it
			}
			changed = true
			cause := m.cause
			m.cause = deadlineCause(d)
			if d.Name == v1.DeadlineEscalationWindow {
				d.State = v1.DeadlineWaived
				m.close(d.Due.Time, "EscalationWindowExpired", "No escalation from stage "+d.Stage+" within "+string(d.Within))
				m.cause = cause
				break // closing changed the deadline list
			}
			d.State = v1.DeadlineBreached
			m.emit("Warning", "DeadlineBreached", fmt.Sprintf("The %s deadline of stage %s passed at %s", d.Name, d.Stage, m.local(d.Due.Time)))
			m.cause = cause
		}
	}
}

// deadlineCause is the event action for a deadline's own events.
func deadlineCause(d *v1.Deadline) string {
	return "deadline " + d.Stage + "/" + string(d.Name)
}

// warnAt is when DeadlineApproaching fires for d; zero when it never does
// (escalation windows are the complainant's clock, not the organisation's).
func (m *machine) warnAt(d *v1.Deadline) time.Time {
	if m.proc == nil || d.Name == v1.DeadlineEscalationWindow {
		return time.Time{}
	}
	return m.proc.Calendar.WarnAt(d.StartedAt.Time, d.Due.Time, m.proc.WarnBefore)
}

// warn raises DeadlineApproaching once per running deadline whose warning
// instant has come.
func (m *machine) warn() {
	for _, d := range m.pending() {
		w := m.warnAt(d)
		if d.Warned || w.IsZero() || m.now.Before(w) {
			continue
		}
		d.Warned = true
		m.events = append(m.events, Event{Type: "Warning", Reason: "DeadlineApproaching", Action: deadlineCause(d),
			Note: fmt.Sprintf("The %s deadline of stage %s is due at %s", d.Name, d.Stage, m.local(d.Due.Time))})
	}
}

// wakeAt is the next instant something happens by itself.
func (m *machine) wakeAt() time.Time {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && t.After(m.now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, d := range m.pending() {
		// A deadline is breached once now is after due: look just after it.
		consider(d.Due.Add(time.Millisecond))
		if !d.Warned {
			consider(m.warnAt(d))
		}
	}
	return next
}

// summarise derives nextDeadline and the deadline conditions.
func (m *machine) summarise() {
	m.st.NextDeadline = nil
	var breached, approaching []string
	for i := range m.st.Deadlines {
		d := &m.st.Deadlines[i]
		if d.State == v1.DeadlineBreached {
			breached = append(breached, fmt.Sprintf("%s (stage %s, due %s)", d.Name, d.Stage, m.local(d.Due.Time)))
		}
	}
	for _, d := range m.pending() {
		if m.st.NextDeadline == nil {
			m.st.NextDeadline = &v1.NextDeadline{Name: d.Name, Stage: d.Stage, Due: d.Due}
		}
		if w := m.warnAt(d); !w.IsZero() && !m.now.Before(w) {
			approaching = append(approaching, fmt.Sprintf("%s due %s", d.Name, m.local(d.Due.Time)))
		}
	}
	if len(breached) > 0 {
		m.setCondition(v1.ConditionDeadlineBreached, true, "Breached", "Breached: "+strings.Join(breached, "; "))
	} else {
		m.setCondition(v1.ConditionDeadlineBreached, false, v1.ReasonOnTrack, "No deadline has been missed")
	}
	if len(approaching) > 0 {
		m.setCondition(v1.ConditionDeadlineApproaching, true, "Approaching", strings.Join(approaching, "; "))
	} else {
		m.setCondition(v1.ConditionDeadlineApproaching, false, v1.ReasonOnTrack, "No deadline is near")
	}
	if !m.ended() {
		m.setCondition(v1.ConditionClosed, false, "Open", "The case is open at stage "+m.st.Stage)
	}
}
