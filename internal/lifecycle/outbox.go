package lifecycle

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// Letters are recorded in status.notifications in the same write as the case
// event that causes them, then sent, then marked: a crash in between re-sends
// under the same messageID, never under a new one.

// MaxAttempts is how many times a letter is tried before it is Failed.
// Ten attempts with the backoff below span about three hours.
const MaxAttempts = 10

// letterFor maps the case events that send letters to their notification event.
var letterFor = map[string]v1.NotificationEvent{
	"Received":            "Received",
	"Extended":            "Extended",
	"AwaitingComplainant": "AwaitingComplainant",
	"Responded":           "Responded",
	"StageAdvanced":       "StageAdvanced",
	"Closed":              "Closed",
	"FollowedUp":          "FollowUp",
}

// queueLetters records a letter per channel for each event raised in this
// evaluation that the Policy sends letters for.
func (m *machine) queueLetters() {
	if m.proc == nil {
		return
	}
	n := &m.proc.Notifications
	for _, e := range m.events {
		event, ok := letterFor[e.Reason]
		if !ok || !n.Events[event] {
			continue
		}
		for _, channel := range n.Channels() {
			letter := v1.Notification{
				Event:     event,
				Channel:   channel,
				State:     v1.NotificationPending,
				Stage:     e.Stage,
				Entry:     e.Entry,
				MessageID: fmt.Sprintf("<%s-%d@redress.dev>", m.letterKey(), len(m.st.Notifications)+1),
			}
			switch {
			case channel == v1.ChannelEmail && m.spec.ComplainantSecretRef == nil:
				letter.State, letter.LastError = v1.NotificationSkipped, "NoContactDetails: the complaint has no complainant Secret, so there is nowhere to send"
			case channel == v1.ChannelWebhook && m.spec.Confidential:
				letter.State, letter.LastError = v1.NotificationSkipped, "Confidential: the complainant's identity is not disclosed to the webhook"
			}
			m.st.Notifications = append(m.st.Notifications, letter)
		}
	}
}

func (m *machine) letterKey() string {
	if m.uid != "" {
		return m.uid
	}
	return m.st.Reference
}

// retryAt is when a pending letter may be tried next: at once the first
// time, then 30 s doubling per failed attempt, capped at an hour.
func retryAt(n *v1.Notification) time.Time {
	if n.LastAttemptAt == nil || n.Attempts == 0 {
		return time.Time{}
	}
	backoff := 30 * time.Second << min(n.Attempts-1, 7)
	return n.LastAttemptAt.Add(min(backoff, time.Hour))
}

// DueLetters are the indexes of pending letters whose time has come.
func DueLetters(st *v1.ComplaintStatus, now time.Time) []int {
	var due []int
	for i := range st.Notifications {
		if n := &st.Notifications[i]; n.State == v1.NotificationPending && !now.Before(retryAt(n)) {
			due = append(due, i)
		}
	}
	return due
}

// NextLetterRetry is the earliest retry of a pending letter; zero for none.
func NextLetterRetry(st *v1.ComplaintStatus) time.Time {
	var next time.Time
	for i := range st.Notifications {
		n := &st.Notifications[i]
		if t := retryAt(n); n.State == v1.NotificationPending && !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

// Claim marks the letters at the given indexes as being tried now, before
// they are sent; a crash after the claim leaves them pending for a retry.
func Claim(st *v1.ComplaintStatus, due []int, now time.Time) {
	for _, i := range due {
		st.Notifications[i].LastAttemptAt = &metav1.Time{Time: stamp(now)}
	}
}

// MarkSent records a delivered letter.
func MarkSent(n *v1.Notification, now time.Time) {
	n.Attempts++
	n.State = v1.NotificationSent
	n.LastAttemptAt = &metav1.Time{Time: stamp(now)}
	n.SentAt = n.LastAttemptAt
	n.LastError = ""
}

// MarkSkipped records a letter with nowhere to go.
func MarkSkipped(n *v1.Notification, reason string) {
	n.State, n.LastError = v1.NotificationSkipped, reason
}

// MarkAttemptFailed records a failed attempt; it reports true when the
// letter has now failed for good.
func MarkAttemptFailed(n *v1.Notification, now time.Time, reason string) bool {
	n.Attempts++
	n.LastAttemptAt = &metav1.Time{Time: stamp(now)}
	n.LastError = reason
	if n.Attempts >= MaxAttempts {
		n.State = v1.NotificationFailed
		return true
	}
	return false
}

// SetNotificationCondition says whether any letter failed for good.
func SetNotificationCondition(st *v1.ComplaintStatus, generation int64, now time.Time) {
	failed := 0
	for _, n := range st.Notifications {
		if n.State == v1.NotificationFailed {
			failed++
		}
	}
	m := &machine{st: *st, gen: generation, now: now}
	if failed > 0 {
		m.setCondition(v1.ConditionNotificationFailed, true, "DeliveryFailed", fmt.Sprintf("%d letter(s) could not be delivered after %d attempts", failed, MaxAttempts))
	} else if len(st.Notifications) > 0 {
		m.setCondition(v1.ConditionNotificationFailed, false, "Delivered", "No letter has failed")
	}
	st.Conditions = m.st.Conditions
}
