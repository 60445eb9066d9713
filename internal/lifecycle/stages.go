package lifecycle

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/procedure"
)

// receive starts the case at its first stage. It reports false when the case
// cannot start (an unknown startStage) and must wait.
func (m *machine) receive(createdAt time.Time) bool {
	receivedAt := createdAt
	if m.spec.ReceivedAt != nil {
		receivedAt = m.spec.ReceivedAt.Time
	}
	first := 0
	if m.spec.StartStage != "" {
		if _, i := m.proc.Stage(m.spec.StartStage); i >= 0 {
			first = i
		} else {
			msg := fmt.Sprintf("startStage %q is not a stage of Policy %s", m.spec.StartStage, m.proc.Name)
			prev := findCondition(m.st.Conditions, v1.ConditionPolicyResolved)
			if prev == nil || prev.Reason != "UnknownStage" {
				m.emit("Warning", v1.ReasonPolicyInvalid, msg)
			}
			m.setCondition(v1.ConditionPolicyResolved, false, "UnknownStage", msg)
			return false
		}
	}
	m.st.ReceivedAt = &metav1.Time{Time: stamp(receivedAt)}
	m.enterStage(first, receivedAt)

	var due []string
	for _, d := range m.st.Deadlines {
		due = append(due, fmt.Sprintf("%s by %s", d.Name, m.local(d.Due.Time)))
	}
	note := fmt.Sprintf("Received %s at stage %s", m.st.Reference, m.st.Stage)
	if len(due) > 0 {
		note += ": " + strings.Join(due, ", ")
	}
	m.emit("Normal", "Received", note)
	return true
}

// enterStage moves the case into stage i at instant at and starts its clocks.
func (m *machine) enterStage(i int, at time.Time) {
	stage := &m.proc.Stages[i]
	m.st.Stage = stage.Name
	m.st.Owner = stage.OwnerFor(m.spec.PeopleInvolved)
	m.st.Phase = v1.PhaseReceived
	m.st.Outcome = ""
	m.setCondition(v1.ConditionAcknowledged, false, "AwaitingAcknowledgement", "Stage "+stage.Name+" has not acknowledged the complaint")
	if stage.AcknowledgeWithin != nil {
		m.addDeadline(v1.DeadlineAcknowledge, at, *stage.AcknowledgeWithin)
	}
	if stage.RespondFrom != v1.RespondFromAcknowledgement {
		m.addDeadline(v1.DeadlineRespond, at, stage.RespondWithin)
	}
}

// stage is the current stage and its index, or nil and -1 when the Policy no
// longer has it (renamed after the case entered it).
func (m *machine) stage() (*procedure.Stage, int) {
	if m.proc == nil {
		return nil, -1
	}
	return m.proc.Stage(m.st.Stage)
}

// close ends the case at instant at.
func (m *machine) close(at time.Time, reason, message string) {
	m.st.Phase = v1.PhaseClosed
	m.st.ClosedAt = &metav1.Time{Time: stamp(at)}
	m.waivePending()
	if stage, i := m.stage(); stage != nil && m.proc.IsFinal(i) && len(stage.ExternalRoutes) > 0 {
		m.st.ExternalRoutes = append([]string(nil), stage.ExternalRoutes...)
		message += "; external routes: " + strings.Join(stage.ExternalRoutes, ", ")
	}
	m.setCondition(v1.ConditionClosed, true, reason, message)
	m.emit("Normal", "Closed", message)
	if m.proc != nil && m.proc.FollowUpWithin != nil {
		m.addDeadline(v1.DeadlineFollowUp, at, *m.proc.FollowUpWithin)
	}
}

// local formats an instant in the Policy's zone for people.
func (m *machine) local(t time.Time) string {
	if m.proc != nil && m.proc.Calendar != nil {
		t = t.In(m.proc.Calendar.Location())
	}
	return t.Format("2006-01-02 15:04 MST")
}
