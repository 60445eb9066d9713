package intake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// problemTypeBase prefixes every problem type URI.
const problemTypeBase = "https://redress.dev/problems/"

const mediaProblem = "application/problem+json"

// problem is an RFC 9457 problem details object. Errors lists every failing
// field (the RFC's "errors" extension member, with JSON Pointers).
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []fieldError `json:"errors,omitempty"`

	retryAfter time.Duration
	header     http.Header
}

// fieldError is one failing field. Details never repeat the submitted value.
type fieldError struct {
	// Pointer is a JSON Pointer (RFC 6901) into the request, as a URI fragment.
	Pointer string `json:"pointer,omitempty"`
	// Field is the dotted field name, also the form field's name.
	Field string `json:"field"`
	// Code is a stable machine-readable reason: required, unknown, type, ...
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

func newProblem(status int, slug, title, detail string) *problem {
	return &problem{Type: problemTypeBase + slug, Title: title, Status: status, Detail: detail}
}

func (p *problem) withHeader(k, v string) *problem {
	if p.header == nil {
		p.header = http.Header{}
	}
	p.header.Set(k, v)
	return p
}

func (p *problem) withRetryAfter(d time.Duration) *problem {
	p.retryAfter = d
	return p
}

func badRequest(detail string, errs ...fieldError) *problem {
	p := newProblem(http.StatusBadRequest, "invalid-request", "The request is not valid", detail)
	p.Errors = errs
	return p
}

func unauthorized(detail string) *problem {
	return newProblem(http.StatusUnauthorized, "unauthorized", "Authentication is required", detail).
		withHeader("WWW-Authenticate", `Bearer realm="redress-intake"`)
}

func forbidden(detail string) *problem {
	return newProblem(http.StatusForbidden, "forbidden", "These credentials are not valid for this namespace", detail)
}

func notFound(detail string) *problem {
	return newProblem(http.StatusNotFound, "not-found", "Not found", detail)
}

func methodNotAllowed(allow ...string) *problem {
	return newProblem(http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed", "").
		withHeader("Allow", strings.Join(allow, ", "))
}

func conflict(detail string) *problem {
	return newProblem(http.StatusConflict, "idempotency-key-reused", "The Idempotency-Key was already used", detail)
}

func tooLarge(limit int64) *problem {
	return newProblem(http.StatusRequestEntityTooLarge, "payload-too-large", "The request body is too large",
		"The body must not exceed "+strconv.FormatInt(limit, 10)+" bytes.")
}

func unsupportedMediaType() *problem {
	return newProblem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
		"Send application/json or application/x-www-form-urlencoded (UTF-8).").
		withHeader("Accept-Post", mediaJSON+", "+mediaForm)
}

func rateLimited(retry time.Duration) *problem {
	return newProblem(http.StatusTooManyRequests, "rate-limited", "Too many requests",
		"Wait before sending another request.").withRetryAfter(retry)
}

func unavailable(detail string) *problem {
	return newProblem(http.StatusServiceUnavailable, "unavailable", "The service is temporarily unavailable", detail).
		withRetryAfter(time.Second)
}

func internalError() *problem {
	return newProblem(http.StatusInternalServerError, "internal", "Internal error",
		"The complaint could not be recorded; nothing was kept. Please try again later.")
}

// writeProblem answers with application/problem+json.
func writeProblem(w http.ResponseWriter, p *problem) {
	h := w.Header()
	for k, vs := range p.header {
		h[k] = vs
	}
	if p.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds(p.retryAfter)))
	}
	h.Set("Content-Type", mediaProblem)
	h.Set("Content-Language", "en")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// retryAfterSeconds rounds up to whole seconds, at least one.
func retryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

// writeJSON answers with a JSON document.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", mediaJSON)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
