package intake

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// Labels and annotations intake puts on what it writes.
const (
	// LabelTrackingHash holds sha256(trackingToken), base32: how a tracking
	// request finds its case. The token itself is never stored.
	LabelTrackingHash = "intake.complaints.redress.dev/tracking-hash"
	// LabelMode records how the request was authenticated: bearer, hmac, public.
	LabelMode = "intake.complaints.redress.dev/mode"
	// LabelComplaint on a complainant Secret names its Complaint.
	LabelComplaint = "complaints.redress.dev/complaint"
	// AnnotationRequestDigest is a keyed hash of an idempotent request.
	AnnotationRequestDigest = "intake.complaints.redress.dev/request-digest"

	// complainantSecretSuffix names the Secret after its Complaint.
	complainantSecretSuffix = "-complainant"
)

// writeTimeout bounds the whole create (and rollback) sequence. The sequence
// runs detached from the client's connection, so a client that hangs up
// mid-way cannot leave a Complaint without its Secret.
const writeTimeout = 15 * time.Second

// store writes cases to the API server: a Complaint, then the Secret with the
// complainant's personal data, owned by it. Writes use the manager's client;
// reads use the API reader (uncached: the manager's cache may not cover the
// namespace, and must never start caching every Secret in the cluster).
type store struct {
	writer client.Client
	reader client.Reader
	log    logr.Logger
	// secretWait is how long a second request for the same case waits for
	// the first one's Secret before writing it itself.
	secretWait time.Duration
}

// plan is one case to write.
type plan struct {
	complaint  *v1.Complaint
	personal   map[string][]byte
	token      string
	idempotent bool
	digest     string
}

// accepted is the answer to a successful intake.
type accepted struct {
	Name          string `json:"name"`
	Namespace     string `json:"namespace"`
	TrackingToken string `json:"trackingToken"`
}

func secretName(complaint string) string { return complaint + complainantSecretSuffix }

// write records the case; for an idempotent plan whose Complaint exists it
// returns the existing case instead (completing it if an earlier attempt
// could not).
func (s *store) write(ctx context.Context, p *plan) (*accepted, *problem) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()

	for attempt := 0; ; attempt++ {
		c := p.complaint.DeepCopy()
		err := s.writer.Create(ctx, c)
		switch {
		case err == nil:
			return s.writeSecret(ctx, p, c)
		case apierrors.IsAlreadyExists(err) && p.idempotent:
			return s.resume(ctx, p)
		case apierrors.IsAlreadyExists(err) && attempt < 3:
			// a random name collided: pick another
			p.complaint.Name = randomName()
			p.complaint.Spec.ComplainantSecretRef.Name = secretName(p.complaint.Name)
			continue
		default:
			s.log.Info("could not create the Complaint", "namespace", p.complaint.Namespace, "error", safeError(err))
			return nil, apiProblem(err)
		}
	}
}

func (s *store) writeSecret(ctx context.Context, p *plan, c *v1.Complaint) (*accepted, *problem) {
	if err := s.createSecret(ctx, p, c); err != nil {
		s.log.Info("could not create the complainant Secret; rolling back the Complaint",
			"namespace", c.Namespace, "complaint", c.Name, "error", safeError(err))
		s.rollback(c)
		return nil, apiProblem(err)
	}
	s.log.Info("complaint accepted", "namespace", c.Namespace, "complaint", c.Name, "mode", c.Labels[LabelMode])
	return &accepted{Name: c.Name, Namespace: c.Namespace, TrackingToken: p.token}, nil
}

// rollback deletes a Complaint whose Secret could not be written, retrying
// for a while. Should that fail too, a retry with the same Idempotency-Key
// completes the case (see resume).
func (s *store) rollback(c *v1.Complaint) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	uid := c.UID
	err := wait.ExponentialBackoffWithContext(ctx, wait.Backoff{Duration: 50 * time.Millisecond, Factor: 2, Steps: 8, Cap: 2 * time.Second},
		func(ctx context.Context) (bool, error) {
			err := s.writer.Delete(ctx, c, client.Preconditions{UID: &uid})
			return err == nil || apierrors.IsNotFound(err) || apierrors.IsConflict(err), nil
		})
	if err != nil {
		s.log.Error(errors.New("rollback failed"), "a Complaint was left without its complainant Secret; a retry with the same Idempotency-Key completes it",
			"namespace", c.Namespace, "complaint", c.Name)
	}
}

// resume answers an idempotent request whose Complaint already exists: the
// same request again (a retry, or a concurrent duplicate on another replica).
func (s *store) resume(ctx context.Context, p *plan) (*accepted, *problem) {
	c := &v1.Complaint{}
	key := client.ObjectKeyFromObject(p.complaint)
	if err := s.reader.Get(ctx, key, c); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, unavailable("An earlier attempt with this Idempotency-Key is being rolled back; retry.")
		}
		return nil, apiProblem(err)
	}
	if c.DeletionTimestamp != nil {
		return nil, unavailable("An earlier attempt with this Idempotency-Key is being rolled back; retry.")
	}
	if !equalString(c.Annotations[AnnotationRequestDigest], p.digest) {
		return nil, conflict("This Idempotency-Key was used for a different request; use a new key for a new complaint.")
	}
	if !equalString(c.Labels[LabelTrackingHash], trackingHash(p.token)) {
		// Only when the installation key changed since the first attempt.
		return nil, conflict("The case for this Idempotency-Key cannot be answered again; use a new key.")
	}

	// The first attempt writes the Secret right after the Complaint: wait
	// for it briefly, then write it here (the first attempt's rollback may
	// have failed, or it may have crashed).
	deadline := time.Now().Add(s.secretWait)
	for {
		owned, err := s.secretOwnedBy(ctx, c)
		switch {
		case err == nil && owned:
			return &accepted{Name: c.Name, Namespace: c.Namespace, TrackingToken: p.token}, nil
		case err == nil:
			return nil, conflict("The Secret for this case belongs to another object; use a new Idempotency-Key.")
		case !apierrors.IsNotFound(err):
			return nil, apiProblem(err)
		}
		if time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, unavailable("Timed out; retry.")
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.log.Info("completing a case whose complainant Secret is missing", "namespace", c.Namespace, "complaint", c.Name)
	return s.writeSecretForExisting(ctx, p, c)
}

// writeSecretForExisting writes the missing Secret of an existing case and
// never rolls the case back (it was accepted before).
func (s *store) writeSecretForExisting(ctx context.Context, p *plan, c *v1.Complaint) (*accepted, *problem) {
	if err := s.createSecret(ctx, p, c); err != nil {
		s.log.Info("could not complete the case", "namespace", c.Namespace, "complaint", c.Name, "error", safeError(err))
		return nil, apiProblem(err)
	}
	return &accepted{Name: c.Name, Namespace: c.Namespace, TrackingToken: p.token}, nil
}

// createSecret writes the complainant Secret, owned by c (not as its
// controller, and without blocking the Complaint's deletion). An existing
// Secret owned by c counts as written: another replica completing the same
// idempotent case got there first.
func (s *store) createSecret(ctx context.Context, p *plan, c *v1.Complaint) error {
	sec := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{
			Name:      secretName(c.Name),
			Namespace: c.Namespace,
			Labels:    map[string]string{LabelComplaint: c.Name},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: v1.GroupVersion.String(),
				Kind:       "Complaint",
				Name:       c.Name,
				UID:        c.UID,
			}},
		},
		Type: corev1.SecretTypeOpaque,
		Data: p.personal,
	}
	err := s.writer.Create(ctx, sec)
	if apierrors.IsAlreadyExists(err) {
		if owned, gerr := s.secretOwnedBy(ctx, c); gerr == nil && owned {
			return nil
		}
	}
	return err
}

// secretOwnedBy reads the complainant Secret and says whether c owns it.
func (s *store) secretOwnedBy(ctx context.Context, c *v1.Complaint) (bool, error) {
	sec := &corev1.Secret{}
	if err := s.reader.Get(ctx, types.NamespacedName{Namespace: c.Namespace, Name: secretName(c.Name)}, sec); err != nil {
		return false, err
	}
	for _, o := range sec.OwnerReferences {
		if o.UID == c.UID {
			return true, nil
		}
	}
	return false, nil
}

func equalString(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// apiProblem maps an API error to the answer: 503 when the API server cannot
// be reached or is overloaded, 404 for a missing namespace, 400 for a
// request the API server refused, 500 otherwise.
func apiProblem(err error) *problem {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		// connection refused, DNS, TLS, timeouts: the API server is unreachable
		return unavailable("The Kubernetes API server cannot be reached; nothing was recorded. Retry later.")
	}
	switch {
	case apierrors.IsNotFound(err):
		return notFound("The namespace does not exist.")
	case apierrors.IsInvalid(err), apierrors.IsBadRequest(err):
		var errs fieldErrors
		if d := status.Status().Details; d != nil {
			for _, c := range d.Causes {
				errs.add(c.Field, "invalid", "was refused by the API server ("+string(c.Type)+")")
			}
		}
		return badRequest("The API server refused the complaint.", errs.sorted()...)
	case apierrors.IsTooManyRequests(err), apierrors.IsServerTimeout(err), apierrors.IsTimeout(err),
		apierrors.IsServiceUnavailable(err), apierrors.IsInternalError(err), apierrors.IsUnexpectedServerError(err):
		p := unavailable("The Kubernetes API server is busy or unavailable; nothing was recorded. Retry later.")
		if d, ok := apierrors.SuggestsClientDelay(err); ok && d > 0 {
			p.retryAfter = time.Duration(d) * time.Second
		}
		return p
	case status.Status().Code >= http.StatusInternalServerError:
		return unavailable("The Kubernetes API server failed; nothing was recorded. Retry later.")
	default:
		return internalError()
	}
}

// safeError describes an error for the log without its message, which for
// API validation errors can quote submitted values.
func safeError(err error) string {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		st := status.Status()
		return fmt.Sprintf("%s (HTTP %d)", st.Reason, st.Code)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	// Transport errors (connection refused, TLS, DNS) carry no request data.
	return err.Error()
}
