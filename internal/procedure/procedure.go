// Package procedure compiles a Policy's spec into a Procedure: parsed
// durations, a working-time calendar and the ordered stages. Compiling is where
// everything the CRD schema cannot check is validated. No Kubernetes client code.
package procedure

import (
	"strings"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/worktime"
)

// Procedure is a valid, ready-to-use Policy.
type Procedure struct {
	Name                          string
	Generation                    int64
	ReferencePrefix               string
	Calendar                      *worktime.Calendar
	WarnBefore                    worktime.WarnBefore
	PauseWhileAwaitingComplainant bool
	FollowUpWithin                *worktime.Duration
	Intake                        Intake
	Language                      string
	Notifications                 Notifications
	Stages                        []Stage
}

// Notifications says which letters go out and through which channels.
type Notifications struct {
	Events             map[v1.NotificationEvent]bool
	TemplatesConfigMap string
	Email              bool
	// WebhookURL and WebhookSecret are empty without a webhook.
	WebhookURL    string
	WebhookSecret string
}

// Channels lists the channels a letter goes through.
func (n *Notifications) Channels() []v1.NotificationChannel {
	var out []v1.NotificationChannel
	if n.Email {
		out = append(out, v1.ChannelEmail)
	}
	if n.WebhookURL != "" {
		out = append(out, v1.ChannelWebhook)
	}
	return out
}

// Intake holds the intake rules with parsed durations.
type Intake struct {
	RequireContactDetails bool
	RaiseWithin           *worktime.Duration
	AllowRepresentatives  bool
}

// Stage is one stage with parsed durations.
type Stage struct {
	Name              string
	Owner             string
	AlternateOwner    string
	AcknowledgeWithin *worktime.Duration
	RespondWithin     worktime.Duration
	RespondFrom       v1.RespondFrom
	ExtendUpTo        *worktime.Duration
	EscalateWithin    *worktime.Duration
	ExternalRoutes    []string
}

// Stage returns the named stage and its index, or -1.
func (p *Procedure) Stage(name string) (*Stage, int) {
	for i := range p.Stages {
		if p.Stages[i].Name == name {
			return &p.Stages[i], i
		}
	}
	return nil, -1
}

// IsFinal reports whether index i is the last stage.
func (p *Procedure) IsFinal(i int) bool { return i == len(p.Stages)-1 }

// OwnerFor is the stage's owner after conflict-of-interest routing: the
// alternate takes the case when the owner is among the people involved.
func (s *Stage) OwnerFor(peopleInvolved []string) string {
	if s.AlternateOwner != "" && Involved(s.Owner, peopleInvolved) {
		return s.AlternateOwner
	}
	return s.Owner
}

// Involved reports whether who is named among peopleInvolved, ignoring case
// and surrounding space.
func Involved(who string, peopleInvolved []string) bool {
	who = strings.TrimSpace(who)
	for _, p := range peopleInvolved {
		if strings.EqualFold(strings.TrimSpace(p), who) {
			return true
		}
	}
	return false
}
