package controllers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/notify"
	"github.com/redress-operator/redress/internal/procedure"
)

// +kubebuilder:rbac:groups="",resources=secrets;configmaps,verbs=get

// letterSender delivers the letters recorded in a case's outbox. It reads
// Secrets and ConfigMaps uncached, one GET per letter, so the manager never
// caches every Secret in the cluster.
type letterSender struct {
	reader     client.Reader
	smtpSecret types.NamespacedName
	http       *http.Client
}

// errSkip marks a letter that has nowhere to go; it is not retried.
type errSkip struct{ reason string }

func (e errSkip) Error() string { return e.reason }

// send tries the letters at the given indexes of st's outbox and records each
// outcome in st. It returns the letters that failed for good.
func (s *letterSender) send(ctx context.Context, c *v1.Complaint, st *v1.ComplaintStatus, proc *procedure.Procedure, due []int, now time.Time) (failed []v1.Notification) {
	for _, i := range due {
		n := &st.Notifications[i]
		err := s.sendOne(ctx, c, proc, n)
		var skip errSkip
		switch {
		case err == nil:
			lifecycle.MarkSent(n, now)
		case errors.As(err, &skip):
			lifecycle.MarkSkipped(n, skip.reason)
		default:
			if lifecycle.MarkAttemptFailed(n, now, err.Error()) {
				failed = append(failed, *n)
			}
		}
	}
	lifecycle.SetNotificationCondition(st, c.Generation, now)
	return failed
}

// sendOne renders and delivers one letter. Errors carry no personal data.
func (s *letterSender) sendOne(ctx context.Context, c *v1.Complaint, proc *procedure.Procedure, n *v1.Notification) error {
	templates, err := s.templates(ctx, c.Namespace, proc.Notifications.TemplatesConfigMap)
	if err != nil {
		return err
	}
	recipient, err := s.recipient(ctx, c)
	if err != nil {
		return err
	}
	fields := letterFields(c, proc, n, recipient.Name)
	letter, err := notify.Render(templates, string(n.Event), fields.Language, fields, n.MessageID)
	if err != nil {
		return err
	}
	switch n.Channel {
	case v1.ChannelEmail:
		if recipient.Email == "" {
			return errSkip{"NoEmailAddress: the complainant Secret has no email"}
		}
		cfg, err := s.smtpConfig(ctx)
		if err != nil {
			return err
		}
		return notify.SendEmail(ctx, cfg, recipient, letter)
	case v1.ChannelWebhook:
		key, err := s.secretValue(ctx, c.Namespace, proc.Notifications.WebhookSecret, "key")
		if err != nil {
			return err
		}
		return notify.SendWebhook(ctx, s.http, proc.Notifications.WebhookURL, key, notify.WebhookPayload{
			MessageID: letter.MessageID, Event: letter.Event, Reference: c.Status.Reference, Language: fields.Language,
			Subject: letter.Subject, Body: letter.Body,
			Recipient: notify.Recipient{Name: recipient.Name, Email: recipient.Email, Phone: recipient.Phone},
		})
	}
	return fmt.Errorf("unknown channel %q", n.Channel)
}

func (s *letterSender) templates(ctx context.Context, namespace, name string) (map[string]string, error) {
	var cm corev1.ConfigMap
	if err := s.reader.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &cm); err != nil {
		return nil, fmt.Errorf("reading letter templates ConfigMap %s: %w", name, apiReason(err))
	}
	return cm.Data, nil
}

func (s *letterSender) recipient(ctx context.Context, c *v1.Complaint) (notify.Recipient, error) {
	if c.Spec.ComplainantSecretRef == nil {
		return notify.Recipient{}, errSkip{"NoContactDetails: the complaint has no complainant Secret"}
	}
	var secret corev1.Secret
	if err := s.reader.Get(ctx, client.ObjectKey{Namespace: c.Namespace, Name: c.Spec.ComplainantSecretRef.Name}, &secret); err != nil {
		return notify.Recipient{}, fmt.Errorf("reading the complainant Secret: %w", apiReason(err))
	}
	return notify.RecipientFromSecret(secret.Data), nil
}

func (s *letterSender) smtpConfig(ctx context.Context) (notify.SMTPConfig, error) {
	if s.smtpSecret.Name == "" {
		return notify.SMTPConfig{}, errors.New("no SMTP server configured: start the manager with --smtp-secret")
	}
	var secret corev1.Secret
	if err := s.reader.Get(ctx, s.smtpSecret, &secret); err != nil {
		return notify.SMTPConfig{}, fmt.Errorf("reading the SMTP Secret %s: %w", s.smtpSecret, apiReason(err))
	}
	return notify.SMTPConfigFromSecret(secret.Data)
}

func (s *letterSender) secretValue(ctx context.Context, namespace, name, key string) ([]byte, error) {
	var secret corev1.Secret
	if err := s.reader.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &secret); err != nil {
		return nil, fmt.Errorf("reading webhook Secret %s: %w", name, apiReason(err))
	}
	v, ok := secret.Data[key]
	if !ok || len(v) == 0 {
		return nil, fmt.Errorf("webhook Secret %s has no %q key", name, key)
	}
	return v, nil
}

// apiReason keeps API errors short and free of object contents.
func apiReason(err error) error {
	if apierrors.IsNotFound(err) {
		return errors.New("not found")
	}
	if apierrors.IsForbidden(err) {
		return errors.New("forbidden")
	}
	return err
}

// letterFields is what the letter's template sees, taken from the case log
// entry and the stage the letter is about.
func letterFields(c *v1.Complaint, proc *procedure.Procedure, n *v1.Notification, name string) notify.Fields {
	lang := string(c.Spec.Language)
	if lang == "" {
		lang = proc.Language
	}
	loc := proc.Calendar.Location()
	f := notify.Fields{
		Reference: c.Status.Reference, Stage: n.Stage, Phase: string(c.Status.Phase), Owner: c.Status.Owner,
		Event: string(n.Event), Language: lang, ComplainantName: name,
	}
	if c.Status.ReceivedAt != nil {
		f.ReceivedAt = formatDate(c.Status.ReceivedAt.Time, loc, lang)
	}
	for _, d := range c.Status.Deadlines {
		if d.Stage != n.Stage {
			continue
		}
		due := formatDate(d.Due.Time, loc, lang)
		switch d.Name {
		case v1.DeadlineAcknowledge:
			f.AcknowledgeBy = due
		case v1.DeadlineRespond:
			f.RespondBy = due
		case v1.DeadlineEscalationWindow:
			f.EscalateBy = due
		case v1.DeadlineFollowUp:
			f.FollowUpBy = due
		}
	}
	if stage, i := proc.Stage(n.Stage); stage != nil {
		switch closed := n.Event == "Closed"; {
		case closed && proc.IsFinal(i):
			f.ExternalRoutes = stage.ExternalRoutes
		case !closed && !proc.IsFinal(i):
			f.NextStage = proc.Stages[i+1].Name
		}
	}
	for _, a := range c.Spec.Actions {
		if a.ID != n.Entry {
			continue
		}
		switch a.Type {
		case v1.ActionExtend:
			f.ExtensionReason = a.Reason
			f.NewDueDate = f.RespondBy
		case v1.ActionRequestInformation:
			f.Question = a.Message
		case v1.ActionRespond:
			f.Outcome, f.Summary, f.Remedies = string(a.Outcome), a.Summary, a.Remedies
		case v1.ActionFollowUp:
			f.Summary = a.Summary
		}
	}
	return f
}

var weekdaysZH = []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// formatDate writes a due date as a letter would.
func formatDate(t time.Time, loc *time.Location, lang string) string {
	t = t.In(loc)
	if strings.HasPrefix(lang, "zh") {
		return fmt.Sprintf("%d年%d月%d日（%s）", t.Year(), int(t.Month()), t.Day(), weekdaysZH[t.Weekday()])
	}
	return t.Format("Monday 2 January 2006")
}
