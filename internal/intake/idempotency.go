package intake

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// Idempotency. A request with an Idempotency-Key has an identity: (namespace,
// authentication mode, key). Credentials are bound to a namespace, so the
// namespace and mode name the principal; tokens can rotate without changing
// it. From the identity come
//
//   - the Complaint name, sha256 of the identity: concurrent or repeated
//     requests collide on AlreadyExists in the API server, on any replica;
//   - the tracking token, an HMAC of the identity under the installation
//     key: a retry gets the same token without the token being stored
//     anywhere (only its sha256 is, in a label);
//   - nothing else. The request digest (an HMAC of the canonical request,
//     personal data included, under the installation key) is stored in an
//     annotation so that the same key with a different request is refused.

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func lowerB32(b []byte) string { return strings.ToLower(b32.EncodeToString(b)) }

// Domain-separation prefixes for the derivations.
const (
	deriveName     = "redress-intake/v1/name\x00"
	deriveTracking = "redress-intake/v1/tracking\x00"
	deriveDigest   = "redress-intake/v1/digest\x00"
)

func identity(p principal, key string) string {
	return p.namespace + "\x00" + p.mode + "\x00" + key
}

// idempotentName is the Complaint name for an idempotent request: "c-" and
// 100 bits of the identity's hash.
func idempotentName(id string) string {
	sum := sha256.Sum256([]byte(deriveName + id))
	return "c-" + lowerB32(sum[:])[:20]
}

// randomName is the Complaint name for a request without Idempotency-Key.
// The name is chosen here rather than by generateName because the
// Complaint's complainantSecretRef (immutable) names the Secret after it and
// must be set in the same create.
func randomName() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return "c-" + lowerB32(b)
}

// trackingTokenLength is the length of a tracking token: 128 bits in
// lower-case base32.
const trackingTokenLength = 26

func randomTrackingToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return lowerB32(b)
}

func derivedTrackingToken(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(deriveTracking + id))
	return lowerB32(m.Sum(nil)[:16])
}

// trackingHash is what is stored of a token: its full sha256 in lower-case
// base32 (52 characters, so it fits a label value).
func trackingHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return lowerB32(sum[:])
}

// requestDigest is a keyed hash of the canonical request, so a digest
// reveals nothing about the personal data in it.
func requestDigest(key []byte, p principal, req *complaintRequest) string {
	canonical, _ := json.Marshal(req)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(deriveDigest + p.namespace + "\x00" + p.mode + "\x00"))
	m.Write(canonical)
	return hex.EncodeToString(m.Sum(nil))
}
