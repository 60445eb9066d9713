package intake

import (
	"encoding/hex"
	"net/http"
	"strings"
)

// Authentication modes; the mode is part of the idempotency scope.
const (
	modeBearer = "bearer"
	modeHMAC   = "hmac"
	modePublic = "public"
)

const signatureHeader = "X-Redress-Signature"

// principal is who a request was authenticated as. Credentials are bound to
// one namespace, so a principal is (namespace, mode); rateKey identifies the
// credential itself for per-token rate limits.
type principal struct {
	namespace string
	mode      string
	rateKey   string
}

// authenticate checks the request's credentials for namespace. The body is
// the raw body (the HMAC is over it); media is its decoded media type.
// Unauthenticated form posts are accepted for public namespaces only.
func (s *Server) authenticate(r *http.Request, namespace string, body []byte, media string) (principal, *problem) {
	authz := r.Header.Get("Authorization")
	sig := r.Header.Get(signatureHeader)
	switch {
	case authz != "" && sig != "":
		return principal{}, badRequest("Send either Authorization or " + signatureHeader + ", not both.")
	case authz != "":
		return s.authenticateBearer(namespace, authz)
	case sig != "":
		return s.authenticateSignature(namespace, sig, body)
	case s.cfg.public[namespace] && media == mediaForm:
		return principal{namespace: namespace, mode: modePublic}, nil
	default:
		return principal{}, unauthorized("Send Authorization: Bearer <token> or an " + signatureHeader + " header.")
	}
}

func (s *Server) authenticateBearer(namespace, authz string) (principal, *problem) {
	scheme, token, ok := strings.Cut(authz, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return principal{}, unauthorized("The Authorization header must be: Bearer <token>.")
	}
	if s.tokens == nil {
		return principal{}, unauthorized("Bearer tokens are not configured for intake.")
	}
	set, synced := s.tokens.current()
	if !synced {
		return principal{}, unavailable("Intake credentials are still loading.")
	}
	switch result, c := set.matchToken(namespace, token); result {
	case matchNamespace:
		return principal{namespace: namespace, mode: modeBearer, rateKey: "bearer/" + c.id}, nil
	case matchOtherNamespace:
		return principal{}, forbidden("This token is not valid for namespace " + namespace + ".")
	default:
		return principal{}, unauthorized("The token is not valid.")
	}
}

func (s *Server) authenticateSignature(namespace, sig string, body []byte) (principal, *problem) {
	hexMAC, ok := strings.CutPrefix(strings.TrimSpace(sig), "sha256=")
	mac, err := hex.DecodeString(hexMAC)
	if !ok || err != nil || len(mac) != 32 {
		return principal{}, unauthorized("The " + signatureHeader + " header must be sha256=<64 hex digits>.")
	}
	if s.hmacKeys == nil {
		return principal{}, unauthorized("HMAC signatures are not configured for intake.")
	}
	set, synced := s.hmacKeys.current()
	if !synced {
		return principal{}, unavailable("Intake credentials are still loading.")
	}
	switch result, c := set.matchSignature(namespace, mac, body); result {
	case matchNamespace:
		return principal{namespace: namespace, mode: modeHMAC, rateKey: "hmac/" + c.id}, nil
	case matchOtherNamespace:
		return principal{}, forbidden("This signing key is not valid for namespace " + namespace + ".")
	default:
		return principal{}, unauthorized("The signature does not match the body.")
	}
}
