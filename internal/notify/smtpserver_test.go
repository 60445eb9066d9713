package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message as the test SMTP server got it.
type received struct {
	From     string
	To       []string
	Data     []byte
	TLS      bool   // the message arrived over an encrypted connection
	AuthUser string // who authenticated, if anyone
}

// mailbox is a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1
// that records what it is sent.
type mailbox struct {
	Host string
	Port int

	// set before the first connection
	user, password string                // require AUTH PLAIN with these
	rejectRcpt     func(to string) error // refuse a recipient

	mu       sync.Mutex
	messages []received
}

type mailboxOptions struct {
	startTLS    *tls.Config // advertise STARTTLS with this certificate
	implicitTLS *tls.Config // speak TLS from the first byte
	user, pass  string      // require AUTH PLAIN
	allowPlain  bool        // allow AUTH over an unencrypted connection
	rejectRcpt  func(to string) error
}

func startMailbox(t *testing.T, o mailboxOptions) *mailbox {
	t.Helper()
	mb := &mailbox{user: o.user, password: o.pass, rejectRcpt: o.rejectRcpt}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{mb: mb, conn: c}, nil
	}))
	s.Domain = "localhost"
	s.AllowInsecureAuth = o.allowPlain
	s.TLSConfig = o.startTLS
	s.ReadTimeout, s.WriteTimeout = 5*time.Second, 5*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	mb.Host, mb.Port = "127.0.0.1", addr.Port
	if o.implicitTLS != nil {
		l = tls.NewListener(l, o.implicitTLS)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = s.Serve(l) }()
	// Close the listener too: s.Close only knows listeners Serve has registered.
	t.Cleanup(func() { _ = s.Close(); _ = l.Close(); <-done })
	return mb
}

func (mb *mailbox) Messages() []received {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]received(nil), mb.messages...)
}

type session struct {
	mb       *mailbox
	conn     *smtp.Conn
	authUser string
	from     string
	to       []string
}

var _ smtp.AuthSession = (*session)(nil)

func (s *session) AuthMechanisms() []string {
	if s.mb.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.mb.user || password != s.mb.password {
			return smtp.ErrAuthFailed
		}
		s.authUser = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.mb.user != "" && s.authUser == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.mb.rejectRcpt != nil {
		if err := s.mb.rejectRcpt(to); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	s.mb.messages = append(s.mb.messages, received{From: s.from, To: s.to, Data: b, TLS: isTLS, AuthUser: s.authUser})
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// testCert is a self-signed certificate for 127.0.0.1 and the pool that
// trusts it: the client verifies it like any other, nothing is skipped.
func testCert(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "redress test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}, pool
}

// deadServer is an address where nothing listens.
func deadServer(t *testing.T) (string, int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return "127.0.0.1", port
}

// silentServer accepts connections and never says a word.
func silentServer(t *testing.T) (string, int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			} else if err == nil {
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "127.0.0.1", l.Addr().(*net.TCPAddr).Port
}
