package controllers_test

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	testingclock "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/controllers"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/notify"
	"github.com/redress-operator/redress/internal/samples"
	"github.com/redress-operator/redress/internal/testenv"
)

// Personal data that must never leave the complainant Secret except in a letter.
const (
	piiName  = "Wanda Whistleblower"
	piiEmail = "wanda@example.org"
	piiPhone = "+44 7700 900123"
)

// webhookReceiver is a CRM that checks every signature it is sent.
type webhookReceiver struct {
	mu       sync.Mutex
	payloads []notify.WebhookPayload
	badSigs  int
}

func (w *webhookReceiver) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.mu.Lock()
	defer w.mu.Unlock()
	if r.Header.Get("X-Redress-Signature") != notify.Sign([]byte("crm-key"), body) {
		w.badSigs++
		http.Error(rw, "bad signature", http.StatusUnauthorized)
		return
	}
	var p notify.WebhookPayload
	_ = json.Unmarshal(body, &p)
	w.payloads = append(w.payloads, p)
}

func (w *webhookReceiver) received() []notify.WebhookPayload {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]notify.WebhookPayload(nil), w.payloads...)
}

type letterSetup struct {
	ns       string
	smtp     types.NamespacedName
	smtpAddr string
	webhook  *webhookReceiver
}

// setUpLetters makes a namespace with the sample letters, an SMTP Secret
// pointing at a free local port (nothing listens yet), a webhook receiver and a
// Policy that sends every letter by both channels.
func setUpLetters(t *testing.T, g Gomega) *letterSetup {
	ctx := context.Background()
	s := &letterSetup{ns: newNamespace(t), smtpAddr: freeAddress(t), webhook: &webhookReceiver{}}
	hook := httptest.NewServer(s.webhook)
	t.Cleanup(hook.Close)

	objs, err := samples.Load(filepath.Join(testenv.RepoRoot(), "config", "samples"))
	g.Expect(err).NotTo(HaveOccurred())
	for _, o := range objs {
		if o.GetKind() == "ConfigMap" && o.GetName() == "letters" {
			o.SetNamespace(s.ns)
			g.Expect(env.Client.Create(ctx, o)).To(Succeed())
		}
	}
	host, port, _ := strings.Cut(s.smtpAddr, ":")
	s.smtp = types.NamespacedName{Namespace: s.ns, Name: "smtp"}
	secrets := []*corev1.Secret{
		{ObjectMeta: metav1.ObjectMeta{Namespace: s.ns, Name: "smtp"}, StringData: map[string]string{"host": host, "port": port, "from": "complaints@example.org", "tls": "none"}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: s.ns, Name: "crm-hmac"}, StringData: map[string]string{"key": "crm-key"}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: s.ns, Name: "wanda"}, StringData: map[string]string{"name": piiName, "email": piiEmail, "phone": piiPhone}},
	}
	for _, sec := range secrets {
		g.Expect(env.Client.Create(ctx, sec)).To(Succeed())
	}
	policy := londonPolicy(s.ns)
	policy.Spec.Notifications = &v1.Notifications{
		Events:             []v1.NotificationEvent{"Received", "Extended", "AwaitingComplainant", "Responded", "StageAdvanced", "Closed", "FollowUp"},
		TemplatesConfigMap: "letters",
		Email:              true,
		Webhook:            &v1.Webhook{URL: hook.URL, SecretRef: corev1.LocalObjectReference{Name: "crm-hmac"}},
	}
	g.Expect(env.Client.Create(ctx, policy)).To(Succeed())
	return s
}

func decodedSubject(g Gomega, raw string) string {
	s, err := new(mime.WordDecoder).DecodeHeader(raw)
	g.Expect(err).NotTo(HaveOccurred())
	return s
}

func decodedBody(g Gomega, raw string) string {
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
	g.Expect(err).NotTo(HaveOccurred())
	return string(b)
}

// An SMTP outage is retried with backoff and recovers; every letter of a
// case arrives once, in the case's language, by email and signed webhook;
// no personal data reaches status or events.
func TestLettersAreDeliveredOnceThroughAnOutage(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	s := setUpLetters(t, g)
	received := mustTime("2026-11-20T16:30:00Z")
	clock := testingclock.NewFakeClock(received.Add(time.Minute))
	mgr := startManagerWith(t, clock, "0", func(c *controllers.Config) { c.SMTPSecret = s.smtp })

	c := complaint(s.ns, "letters", received)
	c.Spec.Language = "zh"
	c.Spec.ComplainantSecretRef = &corev1.LocalObjectReference{Name: "wanda"}
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())

	// The SMTP server is down: the email is recorded, tried, and waits.
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.Notifications).To(HaveLen(2))
		email := st.Notifications[0]
		g.Expect(email.Channel).To(Equal(v1.ChannelEmail))
		g.Expect(email.State).To(Equal(v1.NotificationPending))
		g.Expect(email.Attempts).To(BeEquivalentTo(1))
		g.Expect(email.LastError).NotTo(BeEmpty())
		g.Expect(st.Notifications[1].State).To(Equal(v1.NotificationSent))
	}).Should(Succeed())
	g.Expect(s.webhook.received()).To(HaveLen(1))

	// The server comes back; the retry after 30 s delivers it once.
	mb := serveMailbox(t, s.smtpAddr)
	mgr.step(31*time.Second, c)
	var messageID string
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.Notifications[0].State).To(Equal(v1.NotificationSent))
		g.Expect(st.Notifications[0].Attempts).To(BeEquivalentTo(2))
		messageID = st.Notifications[0].MessageID
	}).Should(Succeed())
	msgs, bodies := mb.received()
	g.Expect(msgs).To(HaveLen(1))
	g.Expect(msgs[0].Header.Get("Message-Id")).To(Equal(messageID))
	g.Expect(decodedSubject(g, msgs[0].Header.Get("Subject"))).To(ContainSubstring("MKACT-2026-000001"))
	body := decodedBody(g, bodies[0])
	g.Expect(body).To(ContainSubstring("尊敬的" + piiName))
	g.Expect(body).To(ContainSubstring("2026年11月27日")) // acknowledge by Friday 27 November
	g.Expect(body).To(ContainSubstring("2026年12月4日"))  // respond by Friday 4 December

	// An extension and a response: one letter each per channel.
	latest := getComplaint(g, c)
	latest.Spec.Actions = []v1.Action{
		{ID: "1", Type: v1.ActionAcknowledge, At: metav1.NewTime(clock.Now()), By: "alice"},
		{ID: "2", Type: v1.ActionExtend, At: metav1.NewTime(clock.Now()), By: "alice", Until: "2026-12-11", Reason: "证人休假"},
		{ID: "3", Type: v1.ActionRespond, At: metav1.NewTime(clock.Now()), By: "alice", Outcome: v1.OutcomePartlyUpheld, Summary: "已道歉", Remedies: []string{"书面道歉"}},
	}
	g.Expect(env.Client.Update(ctx, latest)).To(Succeed())
	g.Eventually(func(g Gomega) {
		msgs, _ := mb.received()
		g.Expect(msgs).To(HaveLen(3))
		g.Expect(s.webhook.received()).To(HaveLen(3))
	}).Should(Succeed())
	_, bodies = mb.received()
	g.Expect(decodedBody(g, bodies[1])).To(And(ContainSubstring("证人休假"), ContainSubstring("2026年12月11日")))
	g.Expect(decodedBody(g, bodies[2])).To(And(ContainSubstring("已道歉"), ContainSubstring("书面道歉")))
	hooks := s.webhook.received()
	g.Expect(hooks[2].Event).To(Equal("Responded"))
	g.Expect(hooks[2].Recipient.Phone).To(Equal(piiPhone))
	g.Expect(s.webhook.badSigs).To(BeZero())
	g.Consistently(func(g Gomega) {
		msgs, _ := mb.received()
		g.Expect(msgs).To(HaveLen(3))
	}, "1s").Should(Succeed())

	// Nothing personal in the case's status or events.
	raw, err := json.Marshal(getComplaint(g, c))
	g.Expect(err).NotTo(HaveOccurred())
	var events eventsv1.EventList
	g.Expect(env.Client.List(ctx, &events, client.InNamespace(s.ns))).To(Succeed())
	rawEvents, _ := json.Marshal(events)
	for _, pii := range []string{piiName, piiEmail, piiPhone} {
		g.Expect(string(raw)).NotTo(ContainSubstring(pii))
		g.Expect(string(rawEvents)).NotTo(ContainSubstring(pii))
	}
}

// The manager stops after recording a letter and before sending it; the next
// manager sends it once, under the same message id.
func TestLetterRecordedBeforeARestartIsSentOnce(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	s := setUpLetters(t, g)
	received := mustTime("2026-11-20T16:30:00Z")
	clock := testingclock.NewFakeClock(received.Add(time.Minute))
	// The first manager has no SMTP server configured at all.
	first := startManager(t, clock)
	c := complaint(s.ns, "restart", received)
	c.Spec.ComplainantSecretRef = &corev1.LocalObjectReference{Name: "wanda"}
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	var recorded v1.Notification
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.Notifications).NotTo(BeEmpty())
		recorded = st.Notifications[0]
		g.Expect(recorded.State).To(Equal(v1.NotificationPending))
		g.Expect(recorded.Attempts).To(BeEquivalentTo(1))
	}).Should(Succeed())
	first.stop()

	mb := serveMailbox(t, s.smtpAddr)
	second := startManagerWith(t, clock, "0", func(cfg *controllers.Config) { cfg.SMTPSecret = s.smtp })
	second.step(time.Minute, c)
	g.Eventually(func(g Gomega) {
		msgs, _ := mb.received()
		g.Expect(msgs).To(HaveLen(1))
		g.Expect(msgs[0].Header.Get("Message-Id")).To(Equal(recorded.MessageID))
		g.Expect(getComplaint(g, c).Status.Notifications[0].State).To(Equal(v1.NotificationSent))
	}).Should(Succeed())
	g.Consistently(func(g Gomega) {
		msgs, _ := mb.received()
		g.Expect(msgs).To(HaveLen(1))
	}, "1s").Should(Succeed())
}

// A letter that keeps failing ends Failed, with a condition and one event,
// and the case itself carries on.
func TestLetterThatKeepsFailing(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	s := setUpLetters(t, g)
	received := mustTime("2026-11-20T16:30:00Z")
	clock := testingclock.NewFakeClock(received.Add(time.Minute))
	mgr := startManagerWith(t, clock, "0", func(cfg *controllers.Config) { cfg.SMTPSecret = s.smtp })
	c := complaint(s.ns, "failing", received)
	c.Spec.ComplainantSecretRef = &corev1.LocalObjectReference{Name: "wanda"}
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	for attempt := 1; attempt < lifecycle.MaxAttempts; attempt++ {
		g.Eventually(func(g Gomega) {
			letters := getComplaint(g, c).Status.Notifications
			g.Expect(letters).NotTo(BeEmpty())
			g.Expect(letters[0].Attempts).To(BeEquivalentTo(attempt))
		}).Should(Succeed(), "attempt "+strconv.Itoa(attempt))
		mgr.step(time.Hour, c)
	}
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.Notifications[0].State).To(Equal(v1.NotificationFailed))
		g.Expect(condition(&st, v1.ConditionNotificationFailed).Status).To(Equal(metav1.ConditionTrue))
		g.Expect(st.Reference).NotTo(BeEmpty())
	}).Should(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(eventsFor(g, c, "NotificationFailed")).To(HaveLen(1)) }).Should(Succeed())
}

// No contact details: nothing is sent by email, and status says why.
func TestLetterWithNowhereToGoIsSkipped(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	s := setUpLetters(t, g)
	received := mustTime("2026-11-20T16:30:00Z")
	startManagerWith(t, testingclock.NewFakeClock(received.Add(time.Minute)), "0", func(cfg *controllers.Config) { cfg.SMTPSecret = s.smtp })
	c := complaint(s.ns, "anonymous", received)
	c.Spec.Confidential = true
	g.Expect(env.Client.Create(ctx, c)).To(Succeed())
	g.Eventually(func(g Gomega) {
		st := getComplaint(g, c).Status
		g.Expect(st.Notifications).To(HaveLen(2))
		for _, n := range st.Notifications {
			g.Expect(n.State).To(Equal(v1.NotificationSkipped))
			g.Expect(n.LastError).NotTo(BeEmpty())
		}
	}).Should(Succeed())
	g.Expect(s.webhook.received()).To(BeEmpty())
}
