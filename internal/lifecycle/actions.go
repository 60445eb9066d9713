package lifecycle

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/procedure"
	"github.com/redress-operator/redress/internal/worktime"
)

// rejection is why a case-log entry could not apply.
type rejection struct{ reason, message string }

func reject(reason, format string, args ...any) *rejection {
	return &rejection{reason: reason, message: fmt.Sprintf(format, args...)}
}

// applyActions applies, in id order, every case-log entry not applied yet.
// Time is moved to each entry's instant first, so a window that closed before
// an entry was made is closed when the entry is judged.
func (m *machine) applyActions() {
	type numbered struct {
		n int
		a *v1.Action
	}
	var todo []numbered
	for i := range m.spec.Actions {
		n, err := strconv.Atoi(m.spec.Actions[i].ID)
		if err == nil && n > int(m.st.AppliedActions) {
			todo = append(todo, numbered{n, &m.spec.Actions[i]})
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].n < todo[j].n })
	for _, t := range todo {
		at := t.a.At.Time
		if at.After(m.now) {
			at = m.now // an entry cannot have happened later than now
		}
		m.advance(at)
		m.cause, m.entry = "entry "+t.a.ID, t.a.ID
		if r := m.apply(t.a, at); r != nil {
			m.st.RejectedActions = append(m.st.RejectedActions, v1.RejectedAction{ID: t.a.ID, Type: t.a.Type, Reason: r.reason, Message: r.message})
			m.emit("Warning", "ActionRejected", fmt.Sprintf("Case-log entry %s (%s) rejected: %s: %s", t.a.ID, t.a.Type, r.reason, r.message))
		}
		m.st.AppliedActions = int32(t.n)
		m.cause, m.entry = "Evaluate", ""
	}
}

func (m *machine) ended() bool {
	return m.st.Phase == v1.PhaseClosed || m.st.Phase == v1.PhaseWithdrawn
}

func (m *machine) acknowledged() bool {
	c := findCondition(m.st.Conditions, v1.ConditionAcknowledged)
	return c != nil && c.Status == metav1.ConditionTrue
}

func (m *machine) apply(a *v1.Action, at time.Time) *rejection {
	if a.Type == v1.ActionNote {
		return nil
	}
	if a.Type == v1.ActionFollowUp {
		return m.followUp(at)
	}
	if m.ended() && a.Type != v1.ActionEscalate {
		return reject("CaseClosed", "the case is %s", m.st.Phase)
	}
	stage, i := m.stage()
	if stage == nil {
		return reject("UnknownStage", "stage %q is no longer in Policy %s", m.st.Stage, m.proc.Name)
	}
	switch a.Type {
	case v1.ActionAcknowledge:
		return m.acknowledge(stage, a, at)
	case v1.ActionAssign:
		if procedure.Involved(a.Assignee, m.spec.PeopleInvolved) {
			return reject("ConflictOfInterest", "%s is named in the complaint and cannot handle it", a.Assignee)
		}
		m.st.Assignee = a.Assignee
	case v1.ActionExtend:
		return m.extend(stage, a)
	case v1.ActionRequestInformation:
		return m.requestInformation(at)
	case v1.ActionInformationReceived:
		if m.st.Phase != v1.PhaseAwaitingComplainant {
			return reject("NotAwaitingComplainant", "no information was requested")
		}
		m.resume(at)
		m.st.Phase = v1.PhaseInvestigating
	case v1.ActionRespond:
		return m.respond(stage, i, a, at)
	case v1.ActionEscalate:
		return m.escalate(stage, i, at)
	case v1.ActionWithdraw:
		m.withdraw(a, at)
	}
	return nil
}

func (m *machine) acknowledge(stage *procedure.Stage, a *v1.Action, at time.Time) *rejection {
	if m.acknowledged() {
		return reject("AlreadyAcknowledged", "stage %s already acknowledged the complaint", stage.Name)
	}
	if d := m.deadline(v1.DeadlineAcknowledge); d != nil {
		meet(d, at)
	}
	if stage.RespondFrom == v1.RespondFromAcknowledgement && m.deadline(v1.DeadlineRespond) == nil {
		m.addDeadline(v1.DeadlineRespond, at, stage.RespondWithin)
		// Information was asked for before the acknowledgement: the new
		// clock starts paused, as it would have been.
		if d := m.deadline(v1.DeadlineRespond); m.st.Phase == v1.PhaseAwaitingComplainant && m.proc.PauseWhileAwaitingComplainant {
			d.State = v1.DeadlinePaused
			m.st.PausedAt = &metav1.Time{Time: stamp(at)}
		}
	}
	if m.st.Phase == v1.PhaseReceived {
		m.st.Phase = v1.PhaseInvestigating
	}
	m.setCondition(v1.ConditionAcknowledged, true, "Acknowledged", "Stage "+stage.Name+" acknowledged the complaint")
	m.emit("Normal", "Acknowledged", fmt.Sprintf("Stage %s acknowledged %s (by %s)", stage.Name, m.st.Reference, a.By))
	return nil
}

func (m *machine) extend(stage *procedure.Stage, a *v1.Action) *rejection {
	d := m.deadline(v1.DeadlineRespond)
	if d == nil || (d.State != v1.DeadlinePending && d.State != v1.DeadlinePaused) {
		return reject("NothingToExtend", "stage %s has no running respond deadline", stage.Name)
	}
	if stage.ExtendUpTo == nil {
		return reject("ExtensionNotAllowed", "stage %s allows no extension (no extendUpTo)", stage.Name)
	}
	until, err := worktime.ParseDate(string(a.Until))
	if err != nil {
		return reject("InvalidDate", "%v", err)
	}
	due := m.proc.Calendar.EndOfDay(until)
	if !due.After(d.Due.Time) {
		return reject("NotAnExtension", "%s is not after the current due date %s", a.Until, m.local(d.Due.Time))
	}
	if !m.proc.Calendar.WithinCap(d.StartedAt.Time, *stage.ExtendUpTo, due) {
		limit := m.proc.Calendar.Due(d.StartedAt.Time, *stage.ExtendUpTo)
		return reject("BeyondExtensionLimit", "%s is later than %s, the limit of %s", a.Until, m.local(limit), stage.ExtendUpTo)
	}
	d.Due = metav1.Time{Time: stamp(due)}
	d.Extended = true
	d.Warned = false
	m.emit("Normal", "Extended", fmt.Sprintf("Respond deadline at stage %s extended to %s: %s", stage.Name, m.local(due), a.Reason))
	return nil
}

func (m *machine) requestInformation(at time.Time) *rejection {
	switch m.st.Phase {
	case v1.PhaseAwaitingComplainant:
		return reject("AlreadyAwaitingComplainant", "information was already requested")
	case v1.PhaseResponded:
		return reject("AlreadyResponded", "stage %s has already responded", m.st.Stage)
	}
	m.st.Phase = v1.PhaseAwaitingComplainant
	if d := m.deadline(v1.DeadlineRespond); m.proc.PauseWhileAwaitingComplainant && d != nil && d.State == v1.DeadlinePending {
		d.State = v1.DeadlinePaused
		m.st.PausedAt = &metav1.Time{Time: stamp(at)}
	}
	m.emit("Normal", "AwaitingComplainant", "Information requested from the complainant at stage "+m.st.Stage)
	return nil
}

// resume restarts a paused respond clock, pushing its due time back by the
// paused span counted in the deadline's own unit.
func (m *machine) resume(at time.Time) {
	if m.st.PausedAt == nil {
		return
	}
	if d := m.deadline(v1.DeadlineRespond); d != nil && d.State == v1.DeadlinePaused {
		due := m.proc.Calendar.PauseExtension(d.Due.Time, m.st.PausedAt.Time, at, unitOf(d))
		d.Due = metav1.Time{Time: stamp(due)}
		d.State = v1.DeadlinePending
	}
	m.st.PausedAt = nil
}

func (m *machine) respond(stage *procedure.Stage, i int, a *v1.Action, at time.Time) *rejection {
	if m.st.Phase == v1.PhaseResponded {
		return reject("AlreadyResponded", "stage %s has already responded", stage.Name)
	}
	needsAck := stage.AcknowledgeWithin != nil || stage.RespondFrom == v1.RespondFromAcknowledgement
	if needsAck && !m.acknowledged() {
		return reject("NotAcknowledged", "stage %s must acknowledge the complaint before responding", stage.Name)
	}
	m.resume(at)
	if d := m.deadline(v1.DeadlineRespond); d != nil {
		meet(d, at)
	}
	m.st.Outcome = a.Outcome
	m.st.Phase = v1.PhaseResponded
	m.emit("Normal", "Responded", fmt.Sprintf("Stage %s responded to %s: %s", stage.Name, m.st.Reference, a.Outcome))
	switch {
	case m.proc.IsFinal(i):
		m.close(at, "FinalResponse", "Stage "+stage.Name+" is final and has responded")
	case stage.EscalateWithin != nil:
		m.addDeadline(v1.DeadlineEscalationWindow, at, *stage.EscalateWithin)
	default:
		m.close(at, "NoEscalationWindow", "Stage "+stage.Name+" responded and sets no escalation window")
	}
	return nil
}

func (m *machine) escalate(stage *procedure.Stage, i int, at time.Time) *rejection {
	if m.proc.IsFinal(i) {
		routes := "none listed"
		if len(stage.ExternalRoutes) > 0 {
			routes = strings.Join(stage.ExternalRoutes, ", ")
		}
		return reject("FinalStage", "%s is the final stage; external routes: %s", stage.Name, routes)
	}
	if m.st.Phase == v1.PhaseWithdrawn {
		return reject("CaseClosed", "the case was withdrawn")
	}
	if m.st.Phase != v1.PhaseResponded && m.st.Phase != v1.PhaseClosed {
		return reject("NotResponded", "stage %s has not responded yet", stage.Name)
	}
	w := m.deadline(v1.DeadlineEscalationWindow)
	if w == nil || w.State != v1.DeadlinePending {
		return reject("EscalationWindowClosed", "the escalation window of stage %s has closed", stage.Name)
	}
	meet(w, at)
	from := stage.Name
	m.enterStage(i+1, at)
	m.emit("Normal", "StageAdvanced", fmt.Sprintf("%s escalated from %s to %s", m.st.Reference, from, m.st.Stage))
	return nil
}

func (m *machine) withdraw(a *v1.Action, at time.Time) {
	if m.spec.Severity == v1.SeveritySerious {
		msg := fmt.Sprintf("The complainant asked to withdraw on %s; the case is Serious, so the organisation carries on", m.local(at))
		m.setCondition(v1.ConditionWithdrawalRequested, true, "SeriousCase", msg)
		m.emit("Normal", "WithdrawalRequested", msg)
		return
	}
	m.st.Phase = v1.PhaseWithdrawn
	m.st.ClosedAt = &metav1.Time{Time: stamp(at)}
	m.waivePending()
	m.setCondition(v1.ConditionClosed, true, "Withdrawn", "The complainant withdrew the complaint")
	m.emit("Normal", "Withdrawn", fmt.Sprintf("%s withdrawn (by %s)", m.st.Reference, a.By))
}

func (m *machine) followUp(at time.Time) *rejection {
	if !m.ended() {
		return reject("NotClosed", "a follow-up is recorded after the case closes")
	}
	for i := len(m.st.Deadlines) - 1; i >= 0; i-- {
		if d := &m.st.Deadlines[i]; d.Name == v1.DeadlineFollowUp {
			meet(d, at)
			break
		}
	}
	m.emit("Normal", "FollowedUp", "Followed up with the complainant on "+m.local(at))
	return nil
}
