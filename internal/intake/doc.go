// Package intake is the HTTP endpoint that turns web forms and email gateways
// into Complaints. It runs inside the manager (see AddToManager) and serves:
//
//	POST /intake/v1/namespaces/{namespace}/complaints   JSON or form-encoded
//	GET  /intake/v1/track/{trackingToken}               JSON or HTML
//	GET  /intake/v1/namespaces/{namespace}/form         the public HTML form
//
// The complainant's personal data (name, email, phone) only ever goes into a
// Secret owned by the Complaint; it is never put into the Complaint, events or
// logs. docs/intake.md describes the endpoints, flags and design decisions.
package intake

// RBAC for intake. Secrets are read (the token, HMAC and tracking-key Secrets)
// and written (the complainant Secrets); Complaints are created, read for
// idempotent retries and tracking, and deleted to roll back a failed intake.
// +kubebuilder:rbac:groups=complaints.redress.dev,resources=complaints,verbs=create;get;list;delete
// +kubebuilder:rbac:groups=complaints.redress.dev,resources=policies,verbs=get
// +kubebuilder:rbac:groups="",resources=secrets,verbs=create;get;list;watch;delete
