package intake

import (
	"net/http"
	"time"
)

// Paths served. Relative links in the HTML pages depend on their depth.
const (
	pathComplaints = "/intake/v1/namespaces/{namespace}/complaints"
	pathForm       = "/intake/v1/namespaces/{namespace}/form"
	pathTrack      = "/intake/v1/track/{token}"
	pathStylesheet = "/intake/v1/assets/form.css"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(pathComplaints, s.handleComplaints)
	mux.HandleFunc(pathForm, s.handleForm)
	mux.HandleFunc(pathTrack, s.handleTrack)
	mux.HandleFunc(pathStylesheet, s.handleStylesheet)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, notFound("There is nothing here."))
	})
	return s.middleware(mux)
}

// middleware sets the headers every answer carries, applies the per-client
// rate limit, turns panics into a 500 problem and logs each request without
// anything from it but the route (paths hold tracking tokens; bodies and
// client addresses are personal data).
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.inflight.Add(1)
		defer s.inflight.Add(-1)
		rec := &statusRecorder{ResponseWriter: w}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Vary", "Accept, Accept-Language") // HTML or JSON, English or Chinese
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error(nil, "intake handler panicked", "route", r.Pattern)
				if !rec.wrote {
					writeProblem(rec, internalError())
				}
			}
			s.log.V(1).Info("intake request", "method", r.Method, "route", r.Pattern, "status", rec.status, "duration", time.Since(start).String())
			countRequest(r.Pattern, rec.status)
		}()
		if ok, retry := s.clientLimiter.allow(clientAddress(r, s.cfg.TrustForwardedFor)); !ok {
			s.writeError(rec, r, rateLimited(retry))
			return
		}
		next.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
