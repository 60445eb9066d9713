package intake

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// minSecretLength is the shortest token or HMAC key accepted; shorter ones
// are ignored (and logged, by namespace only) so nobody runs on "changeme".
const minSecretLength = 16

// credential is one token or HMAC key, bound to one namespace.
type credential struct {
	namespace string
	secret    []byte
	digest    [sha256.Size]byte // sha256(secret): bearer tokens are compared by digest
	id        string            // a short, non-reversible id for rate limiting
}

// credentialSet is the parsed content of a token or HMAC Secret: data keys
// are namespaces, values comma-separated secrets (several during rotation).
type credentialSet struct {
	all []credential
}

func parseCredentials(secret *corev1.Secret, log logr.Logger) *credentialSet {
	set := &credentialSet{}
	if secret == nil {
		return set
	}
	for _, ns := range sortedKeys(secret.Data) {
		if msgs := validation.IsDNS1123Label(ns); len(msgs) > 0 {
			log.Info("ignoring a data key that is not a namespace name", "secret", secret.Namespace+"/"+secret.Name, "key", ns)
			continue
		}
		for _, s := range strings.Split(string(secret.Data[ns]), ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if len(s) < minSecretLength {
				log.Info("ignoring a credential shorter than 16 characters", "secret", secret.Namespace+"/"+secret.Name, "namespace", ns)
				continue
			}
			d := sha256.Sum256([]byte(s))
			set.all = append(set.all, credential{namespace: ns, secret: []byte(s), digest: d, id: hex.EncodeToString(d[:8])})
		}
	}
	sort.SliceStable(set.all, func(i, j int) bool { return set.all[i].namespace < set.all[j].namespace })
	return set
}

// matchResult says whether a presented credential is valid for the namespace
// asked for, valid only for another one, or unknown.
type matchResult int

const (
	matchNone matchResult = iota
	matchOtherNamespace
	matchNamespace
)

// matchToken compares a bearer token against every token in constant time
// per comparison (digests have equal length) and without stopping early.
func (s *credentialSet) matchToken(namespace, token string) (matchResult, *credential) {
	presented := sha256.Sum256([]byte(token))
	return s.match(namespace, func(c *credential) bool {
		return subtle.ConstantTimeCompare(presented[:], c.digest[:]) == 1
	})
}

// matchSignature checks an X-Redress-Signature MAC of body against every key.
func (s *credentialSet) matchSignature(namespace string, mac []byte, body []byte) (matchResult, *credential) {
	return s.match(namespace, func(c *credential) bool {
		h := hmac.New(sha256.New, c.secret)
		h.Write(body)
		return hmac.Equal(h.Sum(nil), mac)
	})
}

func (s *credentialSet) match(namespace string, ok func(*credential) bool) (matchResult, *credential) {
	result := matchNone
	var found *credential
	for i := range s.all {
		c := &s.all[i]
		if !ok(c) {
			continue
		}
		if c.namespace == namespace {
			result, found = matchNamespace, c
		} else if result == matchNone {
			result = matchOtherNamespace
		}
	}
	return result, found
}

// credentialSource holds the latest credentialSet from a watched Secret.
type credentialSource struct {
	set    atomic.Pointer[credentialSet]
	synced func() bool
}

func (c *credentialSource) current() (*credentialSet, bool) {
	if c == nil {
		return nil, true
	}
	if c.synced != nil && !c.synced() {
		return nil, false
	}
	s := c.set.Load()
	if s == nil {
		s = &credentialSet{}
	}
	return s, true
}
