// Package notify renders and delivers the letters Redress sends to a
// complainant: Go text/template letters kept in a ConfigMap, sent by email
// (SMTP) or posted to a webhook as signed JSON.
//
// The package is stateless: the Complaint controller keeps the outbox in
// status.notifications, decides what to send and when, and calls Render and
// SendEmail or SendWebhook for one letter at a time. Nothing here logs, and no
// error returned from here contains the complainant's personal data.
package notify

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"
)

// The case events a letter can be sent for.
const (
	EventReceived            = "Received"
	EventExtended            = "Extended"
	EventAwaitingComplainant = "AwaitingComplainant"
	EventResponded           = "Responded"
	EventStageAdvanced       = "StageAdvanced"
	EventClosed              = "Closed"
	EventFollowUp            = "FollowUp"
)

// Events are every event a letter can be sent for, in the order a case meets them.
var Events = []string{
	EventReceived, EventExtended, EventAwaitingComplainant, EventResponded,
	EventStageAdvanced, EventClosed, EventFollowUp,
}

// Languages are the letter languages Redress ships templates for.
var Languages = []string{"en", "zh"}

// Fields is everything a letter template can use. Each field is documented in
// docs/notifications.md. Dates are already formatted in the Policy's time
// zone and the letter's language; a date that is not set is empty.
type Fields struct {
	Reference, Stage, Phase, Owner string
	// Event is the case event the letter is for: Received, Extended,
	// AwaitingComplainant, Responded, StageAdvanced, Closed or FollowUp.
	Event string
	// Language is the letter's language: en or zh.
	Language string
	// ComplainantName comes from the complainant Secret; it may be empty.
	ComplainantName string
	// ReceivedAt is when the complaint was received, e.g. "Friday 20 November 2026".
	ReceivedAt string
	// The stage's due dates; empty when not set.
	AcknowledgeBy, RespondBy, EscalateBy, FollowUpBy string
	// NewDueDate and ExtensionReason are set for Extended.
	NewDueDate, ExtensionReason string
	// Question is set for AwaitingComplainant.
	Question string
	// Outcome, Summary and Remedies are set for Responded (Summary also for FollowUp).
	Outcome, Summary string
	Remedies         []string
	// NextStage is the stage a case can be escalated to; empty at the final stage.
	NextStage string
	// ExternalRoutes are set for Closed at the final stage.
	ExternalRoutes []string
}

// Letter is a rendered message.
type Letter struct {
	// MessageID is stable and given by the caller, e.g. "<uid-3@redress.dev>".
	MessageID string
	Event     string
	Subject   string
	Body      string
}

// TemplateKey is the ConfigMap key for an event and language: "received.en",
// "awaitingComplainant.zh", "stageAdvanced.en", "followUp.en" (the event name
// with a lower-case first letter, a dot, the language).
func TemplateKey(event, language string) string {
	r, n := utf8.DecodeRuneInString(event)
	if n > 0 {
		event = string(unicode.ToLower(r)) + event[n:]
	}
	return event + "." + language
}

// funcs are the helpers a template can call besides text/template's built-ins.
var funcs = template.FuncMap{
	// join joins a list: {{join .Remedies ", "}}.
	"join": func(items []string, sep string) string { return strings.Join(items, sep) },
}

// Render parses templates[TemplateKey(event, language)] as a Go text/template
// and executes it with f. The rendered text's first line is "Subject: ...",
// then a blank line, then the body; trailing spaces are trimmed and runs of
// blank lines collapse into one. A missing key, a template that does not
// parse or execute, and a letter without a subject are errors naming the key.
//
// f.Event and f.Language are set from event and language, so the template
// always sees the letter it is rendering.
func Render(templates map[string]string, event, language string, f Fields, messageID string) (Letter, error) {
	key := TemplateKey(event, language)
	text, ok := templates[key]
	if !ok {
		return Letter{}, fmt.Errorf("letter template %q not found", key)
	}
	t, err := template.New(key).Option("missingkey=error").Funcs(funcs).Parse(text)
	if err != nil {
		return Letter{}, fmt.Errorf("letter template %q: %w", key, err)
	}
	f.Event, f.Language = event, language
	var out bytes.Buffer
	if err := t.Execute(&out, f); err != nil {
		return Letter{}, fmt.Errorf("letter template %q: %w", key, err)
	}
	subject, body, err := split(out.String())
	if err != nil {
		return Letter{}, fmt.Errorf("letter template %q: %w", key, err)
	}
	return Letter{MessageID: messageID, Event: event, Subject: subject, Body: body}, nil
}

// split takes a rendered letter apart into its subject and body.
func split(s string) (subject, body string, err error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimLeft(s, "\n")
	first, rest, _ := strings.Cut(s, "\n")
	value, ok := strings.CutPrefix(first, "Subject:")
	if !ok {
		return "", "", fmt.Errorf(`the first line must be "Subject: ..."`)
	}
	subject = strings.TrimSpace(value)
	if subject == "" {
		return "", "", fmt.Errorf("the subject is empty")
	}
	blank, rest, _ := strings.Cut(rest, "\n")
	if strings.TrimSpace(blank) != "" {
		return "", "", fmt.Errorf("the subject line must be followed by a blank line")
	}
	body = tidy(rest)
	if strings.TrimSpace(body) == "" {
		return "", "", fmt.Errorf("the body is empty")
	}
	return subject, body, nil
}

// tidy trims trailing spaces from every line and collapses runs of blank
// lines (left by {{if}} blocks that rendered nothing) into one, so templates
// can be written for people to read.
func tidy(body string) string {
	lines := strings.Split(body, "\n")
	out := make([]string, 0, len(lines))
	blank := true // drops blank lines at the start
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}
