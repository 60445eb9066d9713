package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Webhook request headers.
const (
	HeaderSignature = "X-Redress-Signature"
	HeaderMessageID = "X-Redress-Message-Id"
)

// WebhookPayload is the JSON body posted to a Policy's webhook, one per letter.
type WebhookPayload struct {
	MessageID string    `json:"messageID"`
	Event     string    `json:"event"`
	Reference string    `json:"reference"`
	Language  string    `json:"language"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Recipient Recipient `json:"recipient"`
}

// Sign is the X-Redress-Signature value for body: "sha256=" and the hex
// HMAC-SHA256 of the exact bytes with key.
func Sign(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// SendWebhook posts p as JSON to rawURL with the headers Content-Type:
// application/json, X-Redress-Signature (Sign of the exact body with key) and
// X-Redress-Message-Id (p.MessageID). Any status other than 2xx is an error
// naming the status, never the response body; redirects are not followed
// (a 3xx is an error too), so the signed letter goes only where it was
// configured to go. The time allowed comes from ctx; a nil c means
// http.DefaultClient. Errors name the URL's host only, never its path or
// query (which may carry a token) and never the recipient.
func SendWebhook(ctx context.Context, c *http.Client, rawURL string, key []byte, p WebhookPayload) error {
	if len(key) == 0 {
		return errors.New(`webhook: the signing key is empty (Secret key "key")`)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("webhook: the URL is not an absolute http(s) URL")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "<id@host>" readable; the signature covers the bytes as sent
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("webhook: encoding the letter: %w", err)
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", u.Host, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderSignature, Sign(key, body))
	req.Header.Set(HeaderMessageID, p.MessageID)

	if c == nil {
		c = http.DefaultClient
	}
	noRedirect := *c
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL
		}
		return fmt.Errorf("webhook POST to %s: %w", u.Host, err)
	}
	defer resp.Body.Close()
	// Drain a little so the connection can be reused; the body is never reported.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook POST to %s: status %d", u.Host, resp.StatusCode)
	}
	return nil
}
