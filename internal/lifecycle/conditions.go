package lifecycle

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func findCondition(conds []metav1.Condition, condType string) *metav1.Condition {
	for i := range conds {
		if conds[i].Type == condType {
			return &conds[i]
		}
	}
	return nil
}

// setCondition sets a condition, keeping lastTransitionTime when the status
// does not change, so the time honestly says when it last flipped.
func (m *machine) setCondition(condType string, status bool, reason, message string) {
	s := metav1.ConditionFalse
	if status {
		s = metav1.ConditionTrue
	}
	c := metav1.Condition{Type: condType, Status: s, Reason: reason, Message: message, ObservedGeneration: m.gen}
	if prev := findCondition(m.st.Conditions, condType); prev != nil {
		c.LastTransitionTime = prev.LastTransitionTime
		if prev.Status != s {
			c.LastTransitionTime = metav1.Time{Time: stamp(m.now)}
		}
		*prev = c
		return
	}
	c.LastTransitionTime = metav1.Time{Time: stamp(m.now)}
	m.st.Conditions = append(m.st.Conditions, c)
}

// removeCondition drops a condition that no longer applies.
func (m *machine) removeCondition(condType string) {
	out := m.st.Conditions[:0]
	for _, c := range m.st.Conditions {
		if c.Type != condType {
			out = append(out, c)
		}
	}
	m.st.Conditions = out
}
