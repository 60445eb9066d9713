package lifecycle

import (
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/worktime"
)

// addDeadline starts a clock of span d at instant start in the current stage.
func (m *machine) addDeadline(name v1.DeadlineName, start time.Time, d worktime.Duration) {
	due := m.proc.Calendar.Due(start, d)
	m.st.Deadlines = append(m.st.Deadlines, v1.Deadline{
		Name:             name,
		Stage:            m.st.Stage,
		StartedAt:        metav1.Time{Time: stamp(start)},
		Within:           v1.DurationString(d.String()),
		Due:              metav1.Time{Time: stamp(due)},
		State:            v1.DeadlinePending,
		PolicyGeneration: m.proc.Generation,
	})
}

// deadline is the current stage's deadline of that name, or nil.
func (m *machine) deadline(name v1.DeadlineName) *v1.Deadline {
	for i := len(m.st.Deadlines) - 1; i >= 0; i-- {
		d := &m.st.Deadlines[i]
		if d.Name == name && d.Stage == m.st.Stage {
			return d
		}
	}
	return nil
}

// meet records that a deadline was met at instant at. A breached deadline
// stays breached; metAt still tells when it was done.
func meet(d *v1.Deadline, at time.Time) {
	if d.MetAt != nil {
		return
	}
	d.MetAt = &metav1.Time{Time: stamp(at)}
	if d.State == v1.DeadlinePending || d.State == v1.DeadlinePaused {
		d.State = v1.DeadlineMet
	}
}

// waivePending waives every deadline still running: the case ended.
func (m *machine) waivePending() {
	for i := range m.st.Deadlines {
		if s := m.st.Deadlines[i].State; s == v1.DeadlinePending || s == v1.DeadlinePaused {
			m.st.Deadlines[i].State = v1.DeadlineWaived
		}
	}
	m.st.PausedAt = nil
}

// pending lists the running deadlines in due order.
func (m *machine) pending() []*v1.Deadline {
	var out []*v1.Deadline
	for i := range m.st.Deadlines {
		if m.st.Deadlines[i].State == v1.DeadlinePending {
			out = append(out, &m.st.Deadlines[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(&out[j].Due) })
	return out
}

// unitOf is the unit a deadline was set in, for counting a pause.
func unitOf(d *v1.Deadline) worktime.Unit {
	if parsed, err := worktime.ParseDuration(string(d.Within)); err == nil {
		return parsed.Unit
	}
	return worktime.WorkingDays
}
