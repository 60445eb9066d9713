package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"
)

// Recipient is the complainant's contact details, read from the complainant
// Secret (keys name, email, phone). It is personal data: never log it, never
// put it in an error, an event or a status field.
type Recipient struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// RecipientFromSecret reads a complainant Secret's data. Missing keys are
// empty; surrounding spaces and control characters are removed.
func RecipientFromSecret(data map[string][]byte) Recipient {
	return Recipient{
		Name:  clean(data["name"]),
		Email: clean(data["email"]),
		Phone: clean(data["phone"]),
	}
}

// clean drops control characters (so nothing can smuggle a header line) and
// surrounding spaces.
func clean(b []byte) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, string(b)))
}

// TLS modes for SMTPConfig.TLS.
const (
	TLSNone     = "none"     // plain SMTP, no encryption
	TLSStartTLS = "starttls" // STARTTLS is required
	TLSImplicit = "tls"      // implicit TLS from the first byte (SMTPS)
)

// SMTPConfig is the manager's SMTP server, from the Secret named by
// --smtp-secret (keys host, port, username, password, from, tls).
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// From is the sender, e.g. "Complaints Team <complaints@example.org>".
	From string
	// TLS is none, starttls or tls.
	TLS string
}

// defaultPorts are the ports used when the Secret has no port key.
var defaultPorts = map[string]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}

// SMTPConfigFromSecret reads and validates the SMTP Secret. host and from are
// required; tls defaults to starttls and port to the mode's usual port (25,
// 587, 465); password is required with username. Errors name the key and
// never contain the password.
func SMTPConfigFromSecret(data map[string][]byte) (SMTPConfig, error) {
	get := func(k string) string { return strings.TrimSpace(string(data[k])) }
	cfg := SMTPConfig{
		Host:     get("host"),
		Username: get("username"),
		Password: string(data["password"]), // a password may begin or end with a space
		From:     get("from"),
		TLS:      strings.ToLower(get("tls")),
	}
	var errs []error
	if cfg.Host == "" {
		errs = append(errs, errors.New(`key "host" is required`))
	} else if strings.ContainsAny(cfg.Host, " /:") && net.ParseIP(cfg.Host) == nil {
		errs = append(errs, errors.New(`key "host" must be a host name or IP address, without a scheme or port`))
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if _, ok := defaultPorts[cfg.TLS]; !ok {
		errs = append(errs, fmt.Errorf(`key "tls" must be one of none, starttls, tls (got %q)`, cfg.TLS))
	}
	if p := get("port"); p == "" {
		cfg.Port = defaultPorts[cfg.TLS]
	} else if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
		errs = append(errs, fmt.Errorf(`key "port" must be a number from 1 to 65535 (got %q)`, p))
	} else {
		cfg.Port = n
	}
	if cfg.From == "" {
		errs = append(errs, errors.New(`key "from" is required`))
	} else if _, err := mail.ParseAddress(cfg.From); err != nil {
		errs = append(errs, errors.New(`key "from" must be an address such as "Complaints <complaints@example.org>"`))
	}
	if cfg.Username != "" && cfg.Password == "" {
		errs = append(errs, errors.New(`key "password" is required when "username" is set`))
	}
	if cfg.Username == "" && cfg.Password != "" {
		errs = append(errs, errors.New(`key "username" is required when "password" is set`))
	}
	if cfg.Username != "" && cfg.TLS == TLSNone && !isLoopback(cfg.Host) {
		errs = append(errs, errors.New(`key "tls" is none but "username" is set: the password would cross the network unencrypted; use starttls or tls`))
	}
	if len(errs) > 0 {
		return SMTPConfig{}, fmt.Errorf("invalid SMTP Secret: %w", errors.Join(errs...))
	}
	return cfg, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sendOptions are for tests only: SMTPConfig has no way to weaken TLS.
type sendOptions struct {
	// rootCAs replaces the system roots, so tests can trust their own server
	// certificate; verification is never switched off.
	rootCAs *x509.CertPool
}

// defaultTimeout bounds a delivery when ctx has no deadline.
const defaultTimeout = 30 * time.Second

// SendEmail delivers one letter to the recipient's email address through the
// configured server. The Message-ID header is l.MessageID exactly (angle
// brackets are added when l.MessageID has none), so a receiver can drop a
// duplicate that a retry after a crash might produce. The time allowed comes
// from ctx's deadline. Errors never contain the recipient's details.
func SendEmail(ctx context.Context, cfg SMTPConfig, to Recipient, l Letter) error {
	return sendEmail(ctx, cfg, to, l, sendOptions{})
}

func sendEmail(ctx context.Context, cfg SMTPConfig, to Recipient, l Letter, o sendOptions) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sending email: %w", err)
	}
	id, err := messageID(l.MessageID)
	if err != nil {
		return err
	}
	if to.Email == "" {
		return errors.New("sending email: the recipient has no email address")
	}
	rcpt, err := mail.ParseAddress(to.Email)
	if err != nil || rcpt.Name != "" {
		return errors.New("sending email: the recipient's email address is not valid")
	}
	rcpt.Name = to.Name

	m := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := m.From(cfg.From); err != nil {
		return errors.New(`sending email: the SMTP Secret's "from" is not a valid address`)
	}
	m.ToMailAddress(rcpt)
	m.Subject(l.Subject)
	m.SetMessageIDWithValue(id)
	m.SetDate()
	// RFC 3834: an automatic letter; auto-responders should not answer it.
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, l.Body)

	timeout := defaultTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(dl), time.Millisecond)
	}
	tlsConfig := &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12, RootCAs: o.rootCAs}
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(tlsConfig),
	}
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		return fmt.Errorf("sending email: unknown tls mode %q", cfg.TLS)
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	c, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("sending email: %s", redact(err.Error(), to, cfg.Password))
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("sending email via %s:%d: %s", cfg.Host, cfg.Port, redact(err.Error(), to, cfg.Password))
	}
	return nil
}

// messageID checks a caller's Message-ID, "<left@right>", and returns it
// without the angle brackets, which go-mail adds back.
func messageID(s string) (string, error) {
	id := s
	if strings.HasPrefix(id, "<") && strings.HasSuffix(id, ">") {
		id = id[1 : len(id)-1]
	}
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.Contains(right, "@") ||
		strings.IndexFunc(id, func(r rune) bool {
			return r <= ' ' || r >= 0x7f || strings.ContainsRune(`<>"\()[],;:`, r)
		}) >= 0 {
		return "", fmt.Errorf("sending email: message ID %q is not of the form <left@right>", s)
	}
	return id, nil
}

// redacted stands in for personal data in error text.
const redacted = "[redacted]"

// redact removes the recipient's details (and the SMTP password) from text
// that came back from the mail library or the server: go-mail lists the
// affected recipients in its errors and servers often echo the address.
func redact(s string, to Recipient, password string) string {
	for i, v := range []string{to.Email, password, to.Name, to.Phone} {
		// A short name or phone would mangle ordinary words; an address or
		// a password goes whatever its length.
		if v = strings.TrimSpace(v); v != "" && (i < 2 || len(v) >= 4) {
			s = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(v)).ReplaceAllLiteralString(s, redacted)
		}
	}
	return s
}
