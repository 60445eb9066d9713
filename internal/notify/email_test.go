package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

var jane = Recipient{Name: "王芳 (Jane Example)", Email: "jane.example@example.org", Phone: "+44 7700 900123"}

func zhLetter() Letter {
	return Letter{
		MessageID: "<6f1c2a-uid-3@redress.dev>",
		Event:     EventResponded,
		Subject:   "关于您的投诉的处理答复（编号：MKACT-2026-000123）",
		Body:      "尊敬的王芳：\n\n处理结论：投诉部分成立。\n\n我们将采取以下补救措施：\n  - 书面道歉\n  - 员工培训\n\n此致\n敬礼！\n",
	}
}

func config(mb *mailbox, tlsMode string) SMTPConfig {
	return SMTPConfig{Host: mb.Host, Port: mb.Port, From: "Complaints Team <complaints@example.org>", TLS: tlsMode}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// assertNoPII fails when err mentions any of the recipient's details.
func assertNoPII(t *testing.T, err error, to Recipient, extra ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	t.Logf("error: %v", err)
	msg := strings.ToLower(err.Error())
	for _, v := range append([]string{to.Email, to.Name, to.Phone, "jane", "王芳"}, extra...) {
		if v != "" && strings.Contains(msg, strings.ToLower(v)) {
			t.Errorf("error %q contains personal data %q", err, v)
		}
	}
}

// parsed is a delivered message taken apart as a mail client would.
type parsed struct {
	header  mail.Header
	subject string
	body    string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("reading the delivered message: %v\n%s", err, data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return parsed{header: m.Header, subject: subject, body: strings.ReplaceAll(string(body), "\r\n", "\n")}
}

func TestSendEmailDeliversOnceWithExactMessageIDAndUTF8(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{})
	l := zhLetter()
	if err := SendEmail(testContext(t), config(mb, TLSNone), jane, l); err != nil {
		t.Fatal(err)
	}
	msgs := mb.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want exactly 1", len(msgs))
	}
	got := msgs[0]
	if got.From != "complaints@example.org" || len(got.To) != 1 || got.To[0] != jane.Email {
		t.Errorf("envelope from %q to %q", got.From, got.To)
	}
	p := parse(t, got.Data)
	if id := p.header.Get("Message-Id"); id != l.MessageID {
		t.Errorf("Message-ID = %q, want %q", id, l.MessageID)
	}
	if n := bytes.Count(got.Data, []byte("Message-ID:")); n != 1 {
		t.Errorf("%d Message-ID headers, want 1", n)
	}
	if p.subject != l.Subject {
		t.Errorf("Subject = %q, want %q", p.subject, l.Subject)
	}
	if p.body != l.Body {
		t.Errorf("body = %q, want %q", p.body, l.Body)
	}
	if ct := p.header.Get("Content-Type"); !strings.Contains(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
		t.Errorf("Content-Type = %q", ct)
	}
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != jane.Email || to[0].Name != jane.Name {
		t.Errorf("To = %v (%v)", to, err)
	}
	if p.header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", p.header.Get("Auto-Submitted"))
	}
	if p.header.Get("Date") == "" {
		t.Error("no Date header")
	}
	if got.TLS || got.AuthUser != "" {
		t.Errorf("tls none: TLS=%v auth=%q", got.TLS, got.AuthUser)
	}
}

func TestSendEmailAcceptsMessageIDWithoutBrackets(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{})
	l := zhLetter()
	l.MessageID = "uid-4@redress.dev"
	if err := SendEmail(testContext(t), config(mb, TLSNone), jane, l); err != nil {
		t.Fatal(err)
	}
	if id := parse(t, mb.Messages()[0].Data).header.Get("Message-Id"); id != "<uid-4@redress.dev>" {
		t.Errorf("Message-ID = %q", id)
	}
}

func TestSendEmailStartTLS(t *testing.T) {
	serverTLS, roots := testCert(t)
	mb := startMailbox(t, mailboxOptions{startTLS: serverTLS})
	err := sendEmail(testContext(t), config(mb, TLSStartTLS), jane, zhLetter(), sendOptions{rootCAs: roots})
	if err != nil {
		t.Fatal(err)
	}
	if msgs := mb.Messages(); len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("want one message over TLS, got %+v", msgs)
	}
}

func TestSendEmailStartTLSIsMandatory(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{}) // no STARTTLS on offer
	err := SendEmail(testContext(t), config(mb, TLSStartTLS), jane, zhLetter())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("want a STARTTLS error, got %v", err)
	}
	assertNoPII(t, err, jane)
	if n := len(mb.Messages()); n != 0 {
		t.Fatalf("%d messages sent in the clear", n)
	}
}

func TestSendEmailVerifiesTheServerCertificate(t *testing.T) {
	serverTLS, _ := testCert(t)
	mb := startMailbox(t, mailboxOptions{startTLS: serverTLS})
	err := SendEmail(testContext(t), config(mb, TLSStartTLS), jane, zhLetter()) // system roots only
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("want a certificate error, got %v", err)
	}
	assertNoPII(t, err, jane)
	if n := len(mb.Messages()); n != 0 {
		t.Fatalf("%d messages sent to an unverified server", n)
	}
}

func TestSendEmailImplicitTLS(t *testing.T) {
	serverTLS, roots := testCert(t)
	mb := startMailbox(t, mailboxOptions{implicitTLS: serverTLS})
	err := sendEmail(testContext(t), config(mb, TLSImplicit), jane, zhLetter(), sendOptions{rootCAs: roots})
	if err != nil {
		t.Fatal(err)
	}
	if msgs := mb.Messages(); len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("want one message over TLS, got %+v", msgs)
	}
}

func TestSendEmailAuthenticatesWhenUsernameSet(t *testing.T) {
	serverTLS, roots := testCert(t)
	mb := startMailbox(t, mailboxOptions{startTLS: serverTLS, user: "redress", pass: "s3cret-pa55"})
	cfg := config(mb, TLSStartTLS)
	cfg.Username, cfg.Password = "redress", "s3cret-pa55"
	if err := sendEmail(testContext(t), cfg, jane, zhLetter(), sendOptions{rootCAs: roots}); err != nil {
		t.Fatal(err)
	}
	msgs := mb.Messages()
	if len(msgs) != 1 || msgs[0].AuthUser != "redress" || !msgs[0].TLS {
		t.Fatalf("want one authenticated message over TLS, got %+v", msgs)
	}
}

func TestSendEmailAuthOnLoopbackWithoutTLS(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{user: "redress", pass: "s3cret-pa55", allowPlain: true})
	cfg := config(mb, TLSNone)
	cfg.Username, cfg.Password = "redress", "s3cret-pa55"
	if err := SendEmail(testContext(t), cfg, jane, zhLetter()); err != nil {
		t.Fatal(err)
	}
	if msgs := mb.Messages(); len(msgs) != 1 || msgs[0].AuthUser != "redress" {
		t.Fatalf("want one authenticated message, got %+v", msgs)
	}
}

func TestSendEmailWrongPasswordFailsWithoutLeaking(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{user: "redress", pass: "right-password", allowPlain: true})
	cfg := config(mb, TLSNone)
	cfg.Username, cfg.Password = "redress", "wrong-password"
	err := SendEmail(testContext(t), cfg, jane, zhLetter())
	if err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Fatalf("want an AUTH error, got %v", err)
	}
	assertNoPII(t, err, jane, "wrong-password", "right-password")
	if n := len(mb.Messages()); n != 0 {
		t.Fatalf("%d messages sent without authentication", n)
	}
}

func TestSendEmailWithoutAuthWhenServerRequiresIt(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{user: "redress", pass: "pw", allowPlain: true})
	err := SendEmail(testContext(t), config(mb, TLSNone), jane, zhLetter())
	if err == nil {
		t.Fatal("want an error: the server requires AUTH")
	}
	assertNoPII(t, err, jane)
}

func TestSendEmailServerDownErrorHasNoPII(t *testing.T) {
	host, port := deadServer(t)
	cfg := SMTPConfig{Host: host, Port: port, From: "complaints@example.org", TLS: TLSNone}
	err := SendEmail(testContext(t), cfg, jane, zhLetter())
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("want an error naming the server, got %v", err)
	}
	assertNoPII(t, err, jane)
}

func TestSendEmailRejectedRecipientErrorHasNoPII(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{rejectRcpt: func(to string) error {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: mailbox unavailable"}
	}})
	err := SendEmail(testContext(t), config(mb, TLSNone), jane, zhLetter())
	if err == nil || !strings.Contains(err.Error(), "550") {
		t.Fatalf("want the server's 550, got %v", err)
	}
	assertNoPII(t, err, jane)
	if !strings.Contains(err.Error(), redacted) {
		t.Errorf("error %q: the address should show as %s", err, redacted)
	}
}

func TestSendEmailHonoursTheContextDeadline(t *testing.T) {
	host, port := silentServer(t)
	cfg := SMTPConfig{Host: host, Port: port, From: "complaints@example.org", TLS: TLSNone}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := SendEmail(ctx, cfg, jane, zhLetter())
	if err == nil {
		t.Fatal("want a timeout error")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("took %v with a 200ms deadline", took)
	}
	assertNoPII(t, err, jane)
}

func TestSendEmailRefusesBadInput(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{})
	cfg := config(mb, TLSNone)
	for name, tc := range map[string]struct {
		to Recipient
		l  func(*Letter)
	}{
		"no email":              {to: Recipient{Name: "Jane"}},
		"bad email":             {to: Recipient{Email: "jane.example at example.org"}},
		"address with a name":   {to: Recipient{Email: "Jane <jane.example@example.org>"}},
		"empty message ID":      {to: jane, l: func(l *Letter) { l.MessageID = "" }},
		"message ID with CRLF":  {to: jane, l: func(l *Letter) { l.MessageID = "<a@b>\r\nBcc: x@example.org" }},
		"message ID without @":  {to: jane, l: func(l *Letter) { l.MessageID = "<abc>" }},
		"message ID with two @": {to: jane, l: func(l *Letter) { l.MessageID = "<a@b@c>" }},
	} {
		t.Run(name, func(t *testing.T) {
			l := zhLetter()
			if tc.l != nil {
				tc.l(&l)
			}
			err := SendEmail(testContext(t), cfg, tc.to, l)
			assertNoPII(t, err, jane, "jane.example")
		})
	}
	if n := len(mb.Messages()); n != 0 {
		t.Fatalf("%d messages sent", n)
	}
}

func TestSendEmailCancelledContext(t *testing.T) {
	mb := startMailbox(t, mailboxOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := SendEmail(ctx, config(mb, TLSNone), jane, zhLetter())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestRecipientFromSecret(t *testing.T) {
	got := RecipientFromSecret(map[string][]byte{
		"name":  []byte(" 王芳\r\nBcc: evil@example.org "),
		"email": []byte("jane@example.org\n"),
		"phone": []byte("+44 7700 900123"),
		"other": []byte("ignored"),
	})
	want := Recipient{Name: "王芳Bcc: evil@example.org", Email: "jane@example.org", Phone: "+44 7700 900123"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if (RecipientFromSecret(nil) != Recipient{}) {
		t.Error("an empty Secret should give an empty Recipient")
	}
}
