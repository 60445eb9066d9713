package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PolicySpec is one organisation's complaints procedure.
type PolicySpec struct {
	// referencePrefix starts every case reference: MKACT gives MKACT-2026-000123.
	// +kubebuilder:validation:Pattern=`^[A-Z0-9][A-Z0-9-]{0,15}$`
	// +required
	ReferencePrefix string `json:"referencePrefix"`

	// calendar says which days count as working days and in which time zone.
	// +required
	Calendar Calendar `json:"calendar"`

	// intake holds the rules a new complaint is checked against.
	// +optional
	Intake *IntakeRules `json:"intake,omitempty"`

	// warnBefore is when DeadlineApproaching fires: a duration before the due
	// time, or a percentage of the deadline's span. Default "20%".
	// +kubebuilder:default="20%"
	// +optional
	WarnBefore WarnBeforeString `json:"warnBefore,omitempty"`

	// pauseWhileAwaitingComplainant stops the respond clock between
	// RequestInformation and InformationReceived.
	// +optional
	PauseWhileAwaitingComplainant bool `json:"pauseWhileAwaitingComplainant,omitempty"`

	// followUpWithin, when set, adds a followUp deadline after a case closes.
	// +optional
	FollowUpWithin DurationString `json:"followUpWithin,omitempty"`

	// language is the default letter language.
	// +kubebuilder:default=en
	// +optional
	Language Language `json:"language,omitempty"`

	// notifications says which letters are sent to the complainant and how.
	// +optional
	Notifications *Notifications `json:"notifications,omitempty"`

	// stages are the procedure's stages in order; a case starts at the first
	// (or at the Complaint's startStage) and the last is final.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:XValidation:rule="self.all(s, self.exists_one(t, t.name == s.name))",message="stage names must be unique"
	// +listType=atomic
	// +required
	Stages []Stage `json:"stages"`
}

// Calendar is the working-time calendar all day arithmetic happens in.
type Calendar struct {
	// timeZone is an IANA zone name such as Europe/London or Asia/Shanghai.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +required
	TimeZone string `json:"timeZone"`

	// workingDays are the weekdays that count as working days.
	// +kubebuilder:default={Monday,Tuesday,Wednesday,Thursday,Friday}
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=7
	// +listType=set
	// +optional
	WorkingDays []Weekday `json:"workingDays,omitempty"`

	// holidays are dates that are not working days.
	// +kubebuilder:validation:MaxItems=400
	// +listType=set
	// +optional
	Holidays []DateString `json:"holidays,omitempty"`

	// extraWorkingDays are dates outside workingDays that are working days
	// (make-up working days on weekends).
	// +kubebuilder:validation:MaxItems=100
	// +listType=set
	// +optional
	ExtraWorkingDays []DateString `json:"extraWorkingDays,omitempty"`
}

// IntakeRules are checked when a complaint arrives. Breaking one never loses
// the complaint: it is accepted and flagged with a condition.
type IntakeRules struct {
	// requireContactDetails flags complaints without a complainant Secret
	// (ContactDetailsMissing).
	// +optional
	RequireContactDetails bool `json:"requireContactDetails,omitempty"`

	// raiseWithin flags complaints whose incidentDate is older than this
	// (LateSubmission).
	// +optional
	RaiseWithin DurationString `json:"raiseWithin,omitempty"`

	// allowRepresentatives accepts complaints made for someone else; they
	// need representative.consentRecorded (ConsentMissing otherwise).
	// +optional
	AllowRepresentatives bool `json:"allowRepresentatives,omitempty"`
}

// NotificationEvent is a case event a letter can be sent for.
// +kubebuilder:validation:Enum=Received;Extended;AwaitingComplainant;Responded;StageAdvanced;Closed;FollowUp
type NotificationEvent string

// Notifications configures letters to the complainant.
type Notifications struct {
	// events are the case events that send a letter.
	// +kubebuilder:validation:MaxItems=7
	// +listType=set
	// +optional
	Events []NotificationEvent `json:"events,omitempty"`

	// templatesConfigMap names a ConfigMap in the Policy's namespace holding
	// one template per event and language (received.en, received.zh, ...).
	// +kubebuilder:validation:MaxLength=253
	// +optional
	TemplatesConfigMap string `json:"templatesConfigMap,omitempty"`

	// email sends letters through the manager's SMTP server.
	// +optional
	Email bool `json:"email,omitempty"`

	// webhook posts letters as signed JSON.
	// +optional
	Webhook *Webhook `json:"webhook,omitempty"`
}

// Webhook is an HTTP endpoint that receives letters signed with an HMAC key.
type Webhook struct {
	// url receives an HTTP POST per letter.
	// +kubebuilder:validation:Pattern=`^https?://`
	// +kubebuilder:validation:MaxLength=2048
	// +required
	URL string `json:"url"`

	// secretRef names a Secret whose "key" entry signs the body.
	// +required
	SecretRef corev1.LocalObjectReference `json:"secretRef"`
}

// RespondFrom says when a stage's respond clock starts.
// +kubebuilder:validation:Enum=stageEntry;acknowledgement
type RespondFrom string

const (
	RespondFromStageEntry      RespondFrom = "stageEntry"
	RespondFromAcknowledgement RespondFrom = "acknowledgement"
)

// Stage is one step of the procedure.
type Stage struct {
	// name identifies the stage in status and in Complaint.spec.startStage.
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=63
	// +required
	Name string `json:"name"`

	// owner is who answers at this stage (a role or a person).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +required
	Owner string `json:"owner"`

	// alternateOwner takes the case when owner is among its peopleInvolved.
	// +kubebuilder:validation:MaxLength=128
	// +optional
	AlternateOwner string `json:"alternateOwner,omitempty"`

	// acknowledgeWithin is the acknowledge deadline from stage entry.
	// +optional
	AcknowledgeWithin DurationString `json:"acknowledgeWithin,omitempty"`

	// respondWithin is the respond deadline.
	// +required
	RespondWithin DurationString `json:"respondWithin"`

	// respondFrom starts the respond clock at stage entry (default) or at
	// the acknowledgement.
	// +kubebuilder:default=stageEntry
	// +optional
	RespondFrom RespondFrom `json:"respondFrom,omitempty"`

	// extendUpTo is the longest a respond deadline may be pushed to, counted
	// from the respond clock's start. Without it, extensions are refused.
	// +optional
	ExtendUpTo DurationString `json:"extendUpTo,omitempty"`

	// escalateWithin is the window after the response in which the
	// complainant may escalate to the next stage. Ignored at the final stage.
	// +optional
	EscalateWithin DurationString `json:"escalateWithin,omitempty"`

	// externalRoutes are told to the complainant when the final stage closes
	// (ombudsman, regulator).
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MaxLength=256
	// +listType=atomic
	// +optional
	ExternalRoutes []string `json:"externalRoutes,omitempty"`
}

// PolicyStatus is what the Policy controller observed.
type PolicyStatus struct {
	// observedGeneration is the generation the conditions describe.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready is True when the policy is valid.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// stages lists the stage names in order, for `kubectl get cpol`.
	// +optional
	Stages string `json:"stages,omitempty"`

	// nextSequence is the next case number to hand out.
	// +optional
	NextSequence int64 `json:"nextSequence,omitempty"`
}

// Policy is one organisation's complaints procedure.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=cpol,categories=redress
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Stages",type=string,JSONPath=`.status.stages`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Policy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   PolicySpec   `json:"spec"`
	Status PolicyStatus `json:"status,omitempty"`
}

// PolicyList is a list of Policies.
// +kubebuilder:object:root=true
type PolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Policy `json:"items"`
}
