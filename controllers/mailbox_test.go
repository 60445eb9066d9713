package controllers_test

import (
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server (emersion/go-smtp) in the test process that
// keeps every message it is given.
type mailbox struct {
	mu       sync.Mutex
	messages []*mail.Message
	bodies   []string
}

func (mb *mailbox) received() ([]*mail.Message, []string) {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]*mail.Message(nil), mb.messages...), append([]string(nil), mb.bodies...)
}

// serveMailbox listens on address (host:port) until the test ends.
func serveMailbox(t *testing.T, address string) *mailbox {
	t.Helper()
	mb := &mailbox{}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }))
	s.Domain = "localhost"
	l, err := net.Listen("tcp", address)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return mb
}

type mailSession struct{ mb *mailbox }

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailSession) Reset()                               {}
func (s *mailSession) Logout() error                        { return nil }

func (s *mailSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.messages = append(s.mb.messages, msg)
	s.mb.bodies = append(s.mb.bodies, string(body))
	s.mb.mu.Unlock()
	return nil
}
