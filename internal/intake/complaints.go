package intake

import (
	"errors"
	"io"
	"net/http"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// handleComplaints is POST /intake/v1/namespaces/{namespace}/complaints.
// The order of checks: method, namespace, media type, size, credentials,
// rate limit, decoding, validation, then the writes.
func (s *Server) handleComplaints(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.writeError(w, r, methodNotAllowed(http.MethodPost))
		return
	}
	ns := r.PathValue("namespace")
	if len(validation.IsDNS1123Label(ns)) > 0 {
		s.writeError(w, r, notFound("There is no such namespace."))
		return
	}
	media, p := requestMediaType(r.Header.Get("Content-Type"))
	if p != nil {
		s.writeError(w, r, p)
		return
	}
	body, p := s.readBody(w, r)
	if p != nil {
		s.writeError(w, r, p)
		return
	}
	who, p := s.authenticate(r, ns, body, media)
	if p != nil {
		s.writeError(w, r, p)
		return
	}
	limiter, key := s.tokenLimiter, who.rateKey
	if who.mode == modePublic {
		limiter, key = s.publicLimiter, clientAddress(r, s.cfg.TrustForwardedFor)
	}
	if ok, retry := limiter.allow(key); !ok {
		s.writeError(w, r, rateLimited(retry))
		return
	}

	req, p := parseRequest(media, body, s.now(), who.mode == modePublic)
	if p != nil {
		s.writeFormError(w, r, ns, req, p)
		return
	}
	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey != "" && !validIdempotencyKey(idemKey) {
		s.writeFormError(w, r, ns, req, badRequest("The Idempotency-Key header must be 1 to 255 printable ASCII characters."))
		return
	}
	if req.IdempotencyKey != "" {
		if idemKey != "" && idemKey != req.IdempotencyKey {
			s.writeFormError(w, r, ns, req, badRequest("The Idempotency-Key header and the idempotencyKey field differ."))
			return
		}
		idemKey = req.IdempotencyKey
	}

	pl, p := s.plan(who, idemKey, req)
	if p != nil {
		s.writeError(w, r, p)
		return
	}
	var res *accepted
	if pl.idempotent {
		v, _, _ := s.flights.Do(pl.complaint.Name+"/"+pl.digest, func() (any, error) {
			res, p := s.store.write(r.Context(), pl)
			return outcome{res, p}, nil
		})
		o := v.(outcome)
		res, p = o.res, o.p
	} else {
		res, p = s.store.write(r.Context(), pl)
	}
	if p != nil {
		s.writeError(w, r, p)
		return
	}
	if htmlClient(r) && media == mediaForm {
		s.renderAccepted(w, r, req, res)
		return
	}
	writeJSON(w, http.StatusAccepted, res)
}

type outcome struct {
	res *accepted
	p   *problem
}

// readBody reads the whole body (the HMAC is over it), at most
// --intake-max-body-bytes.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *problem) {
	limit := s.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, tooLarge(limit)
	case err != nil:
		return nil, badRequest("The request body could not be read.")
	}
	return body, nil
}

// plan turns a valid request into the objects to write.
func (s *Server) plan(who principal, idemKey string, req *complaintRequest) (*plan, *problem) {
	pl := &plan{idempotent: idemKey != ""}
	name := randomName()
	pl.token = randomTrackingToken()
	if pl.idempotent {
		key := s.trackingKey.Load()
		if key == nil {
			return nil, unavailable("Intake is starting; retry.")
		}
		id := identity(who, idemKey)
		name = idempotentName(id)
		pl.token = derivedTrackingToken(*key, id)
		pl.digest = requestDigest(*key, who, req)
	}

	policy := req.PolicyName
	if policy == "" {
		policy = s.cfg.DefaultPolicy
	}
	c := &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: who.namespace,
			Labels: map[string]string{
				LabelTrackingHash: trackingHash(pl.token),
				LabelMode:         who.mode,
			},
		},
		Spec: v1.ComplaintSpec{
			PolicyName:           policy,
			Channel:              v1.Channel(req.Channel),
			Category:             req.Category,
			Severity:             v1.Severity(req.Severity),
			Summary:              req.Summary,
			Description:          req.Description,
			IncidentDate:         v1.DateString(req.IncidentDate),
			DesiredOutcome:       req.DesiredOutcome,
			ComplainantSecretRef: &corev1.LocalObjectReference{Name: secretName(name)},
			Confidential:         req.Confidential,
			PeopleInvolved:       req.PeopleInvolved,
			Language:             v1.Language(req.Language),
		},
	}
	if rep := req.Representative; rep != nil {
		c.Spec.Representative = &v1.Representative{Relationship: rep.Relationship, ConsentRecorded: rep.ConsentRecorded}
	}
	if pl.idempotent {
		c.Annotations = map[string]string{AnnotationRequestDigest: pl.digest}
	}
	pl.complaint = c

	pl.personal = map[string][]byte{}
	if who := req.Complainant; who != nil {
		for k, v := range map[string]string{"name": who.Name, "email": who.Email, "phone": who.Phone} {
			if v != "" {
				pl.personal[k] = []byte(v)
			}
		}
	}
	return pl, nil
}

// htmlClient is true for browsers (Accept lists text/html); API clients get
// JSON and problem+json.
func htmlClient(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
