package intake

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// trackStatus is everything a tracking token reveals: no personal data, no
// summary, no owner.
type trackStatus struct {
	Reference string     `json:"reference,omitempty"`
	Stage     string     `json:"stage,omitempty"`
	Phase     string     `json:"phase"`
	NextDue   *time.Time `json:"nextDue,omitempty"`
}

// handleTrack is GET /intake/v1/track/{token}.
func (s *Server) handleTrack(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.writeError(w, r, methodNotAllowed(http.MethodGet, http.MethodHead))
		return
	}
	token := strings.ToLower(strings.TrimSpace(r.PathValue("token")))
	if !validTrackingToken(token) {
		s.writeError(w, r, notFound("No complaint has this tracking token."))
		return
	}
	list := &v1.ComplaintList{}
	if err := s.store.reader.List(r.Context(), list, client.MatchingLabels{LabelTrackingHash: trackingHash(token)}); err != nil {
		s.log.Info("tracking lookup failed", "error", safeError(err))
		s.writeError(w, r, apiProblem(err))
		return
	}
	if len(list.Items) == 0 {
		s.writeError(w, r, notFound("No complaint has this tracking token."))
		return
	}
	sort.Slice(list.Items, func(i, j int) bool {
		return list.Items[i].CreationTimestamp.Before(&list.Items[j].CreationTimestamp)
	})
	c := &list.Items[0]
	st := &trackStatus{Reference: c.Status.Reference, Stage: c.Status.Stage, Phase: string(c.Status.Phase)}
	if st.Phase == "" {
		st.Phase = string(v1.PhaseReceived)
	}
	if nd := c.Status.NextDeadline; nd != nil && !nd.Due.IsZero() {
		due := nd.Due.UTC()
		st.NextDue = &due
	}
	if !htmlClient(r) {
		writeJSON(w, http.StatusOK, st)
		return
	}
	p := newPage(r, pickLanguage(r, ""), "../", "trackTitle")
	p.LanguageSwitch = true
	p.Track = st
	p.PhaseText = p.T["phase."+st.Phase]
	if p.PhaseText == "" {
		p.PhaseText = st.Phase
	}
	if st.NextDue != nil {
		p.NextDue = s.localDue(r, c, *st.NextDue)
	}
	render(w, http.StatusOK, "track", p)
}

// localDue shows a due time in the Policy's time zone, where deadlines are
// computed (a day-based deadline ends at 23:59:59 local time).
func (s *Server) localDue(r *http.Request, c *v1.Complaint, due time.Time) string {
	loc := time.UTC
	pol := &v1.Policy{}
	if err := s.store.reader.Get(r.Context(), types.NamespacedName{Namespace: c.Namespace, Name: c.Spec.PolicyName}, pol); err == nil {
		if l, err := time.LoadLocation(pol.Spec.Calendar.TimeZone); err == nil && pol.Spec.Calendar.TimeZone != "" {
			loc = l
		}
	}
	return due.In(loc).Format("2006-01-02 15:04") + " (" + loc.String() + ")"
}

func validTrackingToken(t string) bool {
	if len(t) != trackingTokenLength {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !(t[i] >= 'a' && t[i] <= 'z' || t[i] >= '2' && t[i] <= '7') {
			return false
		}
	}
	return true
}
