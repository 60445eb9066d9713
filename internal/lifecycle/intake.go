package lifecycle

import (
	"fmt"
	"time"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/worktime"
)

// intakeConditions flags what the Policy's intake rules object to. A flagged
// complaint is still a case: nothing is refused or lost.
func (m *machine) intakeConditions() {
	if m.proc == nil {
		return
	}
	rules := m.proc.Intake
	m.flag(v1.ConditionLateSubmission, m.lateSubmission())

	var missing *finding
	if rules.RequireContactDetails && m.spec.ComplainantSecretRef == nil {
		missing = &finding{"NoComplainantSecret", "The Policy requires contact details and the complaint has no complainant Secret"}
	}
	m.flag(v1.ConditionContactDetailsMissing, missing)

	var consent *finding
	switch rep := m.spec.Representative; {
	case rep == nil:
	case !rules.AllowRepresentatives:
		consent = &finding{"RepresentativesNotAccepted", "The Policy does not accept complaints made by a representative"}
	case !rep.ConsentRecorded:
		consent = &finding{"ConsentNotRecorded", "A " + rep.Relationship + " complains for someone whose consent is not recorded"}
	}
	m.flag(v1.ConditionConsentMissing, consent)
}

// finding is an intake rule the complaint breaks.
type finding struct{ reason, message string }

// flag sets a condition True for a finding, or removes it when there is none.
func (m *machine) flag(condType string, f *finding) {
	if f == nil {
		m.removeCondition(condType)
		return
	}
	m.setCondition(condType, true, f.reason, f.message)
}

func (m *machine) lateSubmission() *finding {
	limit := m.proc.Intake.RaiseWithin
	if limit == nil || m.spec.IncidentDate == "" || m.st.ReceivedAt == nil {
		return nil
	}
	incident, err := worktime.ParseDate(string(m.spec.IncidentDate))
	if err != nil {
		return nil
	}
	loc := m.proc.Calendar.Location()
	start := time.Date(incident.Year, incident.Month, incident.Day, 0, 0, 0, 0, loc)
	last := m.proc.Calendar.Due(start, *limit)
	if !m.st.ReceivedAt.After(last) {
		return nil
	}
	return &finding{"RaisedLate", fmt.Sprintf("The incident on %s was raised on %s, after the %s the Policy allows (until %s)",
		m.spec.IncidentDate, m.st.ReceivedAt.In(loc).Format("2006-01-02"), limit, last.Format("2006-01-02"))}
}
