// Package lifecycle is the complaint state machine: given a Policy's compiled
// procedure, a Complaint's spec (its case log), the status last written and the
// current time, it returns the new status and the events due. It keeps no
// state of its own and imports no client code, so it is tested in microseconds.
//
// The status is the machine's memory: case-log entries are applied once, in id
// order (status.appliedActions is the cursor), and time-driven transitions
// (breaches, warnings, auto-close) are recorded in the deadlines they affect.
// Every event corresponds to exactly one recorded transition, so an event is
// never due twice for the same deadline or entry.
package lifecycle

import (
	"fmt"
	"strconv"
	"time"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/procedure"
)

// Input is everything a case's next status depends on.
type Input struct {
	// Procedure is the compiled Policy; nil when PolicyProblem is set.
	Procedure *procedure.Procedure
	// PolicyProblem explains why there is no Procedure.
	PolicyProblem *PolicyProblem
	Spec          *v1.ComplaintSpec
	// UID makes letter message ids unique across cases.
	UID        string
	Generation int64
	CreatedAt  time.Time
	Status     v1.ComplaintStatus
	Now        time.Time
}

// PolicyProblem is why a case cannot be scheduled: v1.ReasonPolicyNotFound or
// v1.ReasonPolicyInvalid, with a message for people.
type PolicyProblem struct {
	Reason  string
	Message string
}

// Event is a Kubernetes event to raise once the status recording it is written.
type Event struct {
	Type   string // Normal or Warning
	Reason string
	// Action names what the event is about ("entry 3", "deadline formal/respond").
	// The events API folds events with the same reason and action into one
	// series, so two deadlines must never share one.
	Action string
	Note   string
	// Stage and Entry say where the event happened, for the letter it sends.
	Stage string
	Entry string
}

// Result is the case's new status, the events due and when to look again.
type Result struct {
	Status v1.ComplaintStatus
	Events []Event
	// WakeAt is the next instant something happens without anyone acting
	// (a warning or a due time); zero when nothing is scheduled.
	WakeAt time.Time
}

// Evaluate computes the case's status at in.Now.
func Evaluate(in Input) Result {
	m := &machine{
		cause: "Evaluate",
		uid:   in.UID,
		proc:  in.Procedure,
		spec:  in.Spec,
		now:   in.Now,
		gen:   in.Generation,
		st:    *in.Status.DeepCopy(),
	}
	switch problem := m.problem(in.PolicyProblem); {
	case problem != nil:
		m.proc = nil // nothing from the Policy applies until it is back
		m.policyUnavailable(*problem)
	case m.st.Stage == "":
		if m.receive(in.CreatedAt) {
			m.resolved()
			m.applyActions()
		}
	default:
		m.resolved()
		m.applyActions()
	}
	if m.st.Stage != "" {
		m.advance(m.horizon())
		m.warn()
		m.intakeConditions()
		m.summarise()
		m.queueLetters()
	}
	m.st.ObservedGeneration = in.Generation
	return Result{Status: m.st, Events: m.events, WakeAt: m.wakeAt()}
}

// machine carries one evaluation.
type machine struct {
	proc   *procedure.Procedure
	spec   *v1.ComplaintSpec
	now    time.Time
	gen    int64
	st     v1.ComplaintStatus
	events []Event
	// cause is what the events raised now are about; entry the case-log id
	// being applied, if any.
	cause, entry string
	uid          string
}

func (m *machine) emit(eventType, reason, note string) {
	m.events = append(m.events, Event{Type: eventType, Reason: reason, Action: m.cause, Note: note, Stage: m.st.Stage, Entry: m.entry})
}

// policyUnavailable records why the case waits. Deadlines already set keep
// running: they need nothing from the Policy to be breached.
func (m *machine) policyUnavailable(p PolicyProblem) {
	prev := findCondition(m.st.Conditions, v1.ConditionPolicyResolved)
	if prev == nil || prev.Status != "False" || prev.Reason != p.Reason {
		m.emit("Warning", p.Reason, p.Message)
	}
	m.setCondition(v1.ConditionPolicyResolved, false, p.Reason, p.Message)
}

// problem is why the case cannot follow its Policy now: the caller's reason,
// or the stage the case stands at no longer being in the Policy.
func (m *machine) problem(p *PolicyProblem) *PolicyProblem {
	if p != nil || m.st.Stage == "" || m.ended() {
		return p
	}
	if stage, _ := m.proc.Stage(m.st.Stage); stage == nil {
		return &PolicyProblem{Reason: v1.ReasonPolicyInvalid, Message: fmt.Sprintf(
			"stage %s, where the case stands, is no longer in Policy %s; the case waits until it is back", m.st.Stage, m.proc.Name)}
	}
	return nil
}

func (m *machine) resolved() {
	m.setCondition(v1.ConditionPolicyResolved, true, v1.ReasonResolved, "Policy "+m.proc.Name+" is valid")
}

// horizon is how far time may run in this evaluation. While the Policy is
// unavailable, case-log entries wait; time runs only up to the first of them,
// so work recorded on time is never reported as a breach once it applies.
func (m *machine) horizon() time.Time {
	h := m.now
	if m.proc != nil {
		return h
	}
	for _, a := range m.spec.Actions {
		if n, err := strconv.Atoi(a.ID); err == nil && n > int(m.st.AppliedActions) && a.At.Time.Before(h) {
			h = a.At.Time
		}
	}
	return h
}

// stamp is how instants are stored: whole seconds, UTC, as the API keeps them.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
