package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Channel is how a complaint arrived.
// +kubebuilder:validation:Enum=Phone;InPerson;Letter;Email;WebForm;ComplaintBox
type Channel string

// Severity ranks a complaint; Serious cases keep running after a withdrawal.
// +kubebuilder:validation:Enum=Minor;Normal;Serious
type Severity string

const (
	SeverityMinor   Severity = "Minor"
	SeverityNormal  Severity = "Normal"
	SeveritySerious Severity = "Serious"
)

// ComplaintSpec is what was complained about and the case log.
// +kubebuilder:validation:XValidation:rule="has(self.receivedAt) == has(oldSelf.receivedAt) && (!has(self.receivedAt) || self.receivedAt == oldSelf.receivedAt)",message="receivedAt is immutable (it defaults to the creation time)"
// +kubebuilder:validation:XValidation:rule="has(self.startStage) == has(oldSelf.startStage) && (!has(self.startStage) || self.startStage == oldSelf.startStage)",message="startStage is immutable"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.complainantSecretRef) || (has(self.complainantSecretRef) && self.complainantSecretRef == oldSelf.complainantSecretRef)",message="complainantSecretRef is immutable once set"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.actions) || (has(self.actions) && size(self.actions) >= size(oldSelf.actions))",message="case-log entries cannot be removed"
type ComplaintSpec struct {
	// policyName is the Policy (same namespace) whose procedure this case follows.
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="policyName is immutable"
	// +required
	PolicyName string `json:"policyName"`

	// receivedAt is when the complaint was received; it defaults to the
	// creation time and never changes.
	// +optional
	ReceivedAt *metav1.Time `json:"receivedAt,omitempty"`

	// channel is how the complaint arrived.
	// +required
	Channel Channel `json:"channel"`

	// category is free text used by reports.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Category string `json:"category,omitempty"`

	// severity ranks the complaint.
	// +kubebuilder:default=Normal
	// +optional
	Severity Severity `json:"severity,omitempty"`

	// summary is a one-line description.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	// +required
	Summary string `json:"summary"`

	// description is the complaint in the complainant's words.
	// +kubebuilder:validation:MaxLength=16384
	// +optional
	Description string `json:"description,omitempty"`

	// incidentDate is when the matter happened (for raiseWithin).
	// +optional
	IncidentDate DateString `json:"incidentDate,omitempty"`

	// desiredOutcome is what the complainant wants.
	// +kubebuilder:validation:MaxLength=2048
	// +optional
	DesiredOutcome string `json:"desiredOutcome,omitempty"`

	// complainantSecretRef names a Secret (keys name, email, phone) with the
	// complainant's personal data, which never sits in the Complaint.
	// +optional
	ComplainantSecretRef *corev1.LocalObjectReference `json:"complainantSecretRef,omitempty"`

	// representative is set when a third party complains for someone else.
	// +optional
	Representative *Representative `json:"representative,omitempty"`

	// confidential asks that the complainant's identity is not disclosed
	// during the investigation.
	// +optional
	Confidential bool `json:"confidential,omitempty"`

	// peopleInvolved are roles or people named in the complaint; none of
	// them may handle it.
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=128
	// +listType=set
	// +optional
	PeopleInvolved []string `json:"peopleInvolved,omitempty"`

	// startStage is the stage the case starts at; defaults to the first.
	// +kubebuilder:validation:MaxLength=63
	// +optional
	StartStage string `json:"startStage,omitempty"`

	// language picks the letters' language; defaults to the Policy's.
	// +optional
	Language Language `json:"language,omitempty"`

	// actions is the case log: append-only, each entry immutable once
	// written. Ids are "1", "2", "3", ... in the order entries are added.
	// +kubebuilder:validation:MaxItems=500
	// +kubebuilder:validation:XValidation:rule="self.all(a, int(a.id) <= size(self))",message="case-log ids must be 1, 2, 3, ... with no gaps: append the next id"
	// +listType=map
	// +listMapKey=id
	// +optional
	Actions []Action `json:"actions,omitempty"`
}

// Representative is a third party complaining on someone's behalf.
type Representative struct {
	// relationship to the person affected (Solicitor, Parent, Advocate, ...).
	// +kubebuilder:validation:MaxLength=64
	// +required
	Relationship string `json:"relationship"`

	// consentRecorded confirms the person affected agreed.
	// +optional
	ConsentRecorded bool `json:"consentRecorded,omitempty"`
}

// ActionType is what a case-log entry does.
// +kubebuilder:validation:Enum=Acknowledge;Assign;Extend;RequestInformation;InformationReceived;Respond;Escalate;Withdraw;FollowUp;Note
type ActionType string

const (
	ActionAcknowledge         ActionType = "Acknowledge"
	ActionAssign              ActionType = "Assign"
	ActionExtend              ActionType = "Extend"
	ActionRequestInformation  ActionType = "RequestInformation"
	ActionInformationReceived ActionType = "InformationReceived"
	ActionRespond             ActionType = "Respond"
	ActionEscalate            ActionType = "Escalate"
	ActionWithdraw            ActionType = "Withdraw"
	ActionFollowUp            ActionType = "FollowUp"
	ActionNote                ActionType = "Note"
)

// Action is one case-log entry. Once written it never changes.
// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="case-log entries are immutable once written"
// +kubebuilder:validation:XValidation:rule="self.type != 'Assign' || has(self.assignee)",message="Assign needs assignee"
// +kubebuilder:validation:XValidation:rule="self.type != 'Extend' || (has(self.until) && has(self.reason))",message="Extend needs until and reason"
// +kubebuilder:validation:XValidation:rule="self.type != 'RequestInformation' || has(self.message)",message="RequestInformation needs message"
// +kubebuilder:validation:XValidation:rule="self.type != 'Respond' || (has(self.outcome) && has(self.summary))",message="Respond needs outcome and summary"
// +kubebuilder:validation:XValidation:rule="self.type != 'FollowUp' || has(self.satisfied)",message="FollowUp needs satisfied"
// +kubebuilder:validation:XValidation:rule="self.type != 'Note' || has(self.summary)",message="Note needs summary"
type Action struct {
	// id is the entry's position in the log: "1", "2", ...
	// +kubebuilder:validation:Pattern=`^[1-9][0-9]{0,2}$`
	// +required
	ID string `json:"id"`

	// type is what the entry does.
	// +required
	Type ActionType `json:"type"`

	// at is when it happened.
	// +required
	At metav1.Time `json:"at"`

	// by is who did it (a user name, or "complainant").
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	By string `json:"by"`

	// assignee takes the case (Assign).
	// +kubebuilder:validation:MaxLength=128
	// +optional
	Assignee string `json:"assignee,omitempty"`

	// until is the new respond date (Extend).
	// +optional
	Until DateString `json:"until,omitempty"`

	// reason explains an Extend, Escalate or Withdraw.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Reason string `json:"reason,omitempty"`

	// message is the question asked (RequestInformation).
	// +kubebuilder:validation:MaxLength=2048
	// +optional
	Message string `json:"message,omitempty"`

	// outcome is the finding (Respond).
	// +optional
	Outcome Outcome `json:"outcome,omitempty"`

	// summary of a response, follow-up or note.
	// +kubebuilder:validation:MaxLength=2048
	// +optional
	Summary string `json:"summary,omitempty"`

	// remedies offered (Respond).
	// +kubebuilder:validation:MaxItems=16
	// +kubebuilder:validation:items:MaxLength=256
	// +listType=atomic
	// +optional
	Remedies []string `json:"remedies,omitempty"`

	// satisfied records the complainant's view at follow-up.
	// +optional
	Satisfied *bool `json:"satisfied,omitempty"`
}

// Phase is where a case stands.
// +kubebuilder:validation:Enum=Received;Investigating;AwaitingComplainant;Responded;Closed;Withdrawn
type Phase string

const (
	PhaseReceived            Phase = "Received"
	PhaseInvestigating       Phase = "Investigating"
	PhaseAwaitingComplainant Phase = "AwaitingComplainant"
	PhaseResponded           Phase = "Responded"
	PhaseClosed              Phase = "Closed"
	PhaseWithdrawn           Phase = "Withdrawn"
)

// DeadlineName names a kind of deadline.
// +kubebuilder:validation:Enum=acknowledge;respond;escalationWindow;followUp
type DeadlineName string

const (
	DeadlineAcknowledge      DeadlineName = "acknowledge"
	DeadlineRespond          DeadlineName = "respond"
	DeadlineEscalationWindow DeadlineName = "escalationWindow"
	DeadlineFollowUp         DeadlineName = "followUp"
)

// DeadlineState is where a deadline stands.
// +kubebuilder:validation:Enum=Pending;Met;Breached;Paused;Waived
type DeadlineState string

const (
	DeadlinePending  DeadlineState = "Pending"
	DeadlineMet      DeadlineState = "Met"
	DeadlineBreached DeadlineState = "Breached"
	DeadlinePaused   DeadlineState = "Paused"
	DeadlineWaived   DeadlineState = "Waived"
)

// Deadline is one deadline ever set on the case; entries are never removed.
type Deadline struct {
	// name of the deadline.
	Name DeadlineName `json:"name"`
	// stage the deadline belongs to.
	Stage string `json:"stage"`
	// startedAt is when its clock started.
	StartedAt metav1.Time `json:"startedAt"`
	// within is the span it was set with, from the Policy ("10 working days").
	// +optional
	Within DurationString `json:"within,omitempty"`
	// due is when it runs out (after any extension or pause).
	Due metav1.Time `json:"due"`
	// state of the deadline.
	State DeadlineState `json:"state"`
	// metAt is when it was met, even if late.
	// +optional
	MetAt *metav1.Time `json:"metAt,omitempty"`
	// extended is true once an Extend moved it.
	// +optional
	Extended bool `json:"extended,omitempty"`
	// warned is true once DeadlineApproaching was raised for it.
	// +optional
	Warned bool `json:"warned,omitempty"`
	// policyGeneration is the Policy generation it was computed from.
	PolicyGeneration int64 `json:"policyGeneration"`
}

// NextDeadline is the earliest pending deadline.
type NextDeadline struct {
	Name  DeadlineName `json:"name"`
	Stage string       `json:"stage,omitempty"`
	Due   metav1.Time  `json:"due"`
}

// RejectedAction is a case-log entry that could not apply.
type RejectedAction struct {
	// id of the entry.
	ID string `json:"id"`
	// type of the entry.
	Type ActionType `json:"type"`
	// reason is a CamelCase code such as EscalationWindowClosed.
	Reason string `json:"reason"`
	// message explains it to a person.
	Message string `json:"message"`
}

// NotificationState is where a letter stands. Skipped means there was nowhere
// to send it (no contact details, or a confidential case and a webhook).
// +kubebuilder:validation:Enum=Pending;Sent;Failed;Skipped
type NotificationState string

const (
	NotificationPending NotificationState = "Pending"
	NotificationSent    NotificationState = "Sent"
	NotificationFailed  NotificationState = "Failed"
	NotificationSkipped NotificationState = "Skipped"
)

// NotificationChannel is how a letter travels.
// +kubebuilder:validation:Enum=Email;Webhook
type NotificationChannel string

const (
	ChannelEmail   NotificationChannel = "Email"
	ChannelWebhook NotificationChannel = "Webhook"
)

// Notification is one letter in the outbox: recorded before it is sent and
// marked after, under a messageID that never changes.
type Notification struct {
	Event   NotificationEvent   `json:"event"`
	Channel NotificationChannel `json:"channel"`
	State   NotificationState   `json:"state"`
	// stage the letter is about.
	// +optional
	Stage string `json:"stage,omitempty"`
	// entry is the case-log id that caused the letter, if any.
	// +optional
	Entry string `json:"entry,omitempty"`
	// +optional
	Attempts int32 `json:"attempts,omitempty"`
	// messageID is stable across retries and restarts, so receivers can
	// deduplicate.
	MessageID string `json:"messageID"`
	// +optional
	LastAttemptAt *metav1.Time `json:"lastAttemptAt,omitempty"`
	// +optional
	SentAt *metav1.Time `json:"sentAt,omitempty"`
	// lastError never holds personal data.
	// +optional
	LastError string `json:"lastError,omitempty"`
}

// ComplaintStatus is where the case stands, as Redress computed it.
type ComplaintStatus struct {
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// reference is assigned once and never reused: <prefix>-<year>-<n>.
	// +optional
	Reference string `json:"reference,omitempty"`
	// receivedAt is the instant the clocks started from.
	// +optional
	ReceivedAt *metav1.Time `json:"receivedAt,omitempty"`
	// +optional
	Stage string `json:"stage,omitempty"`
	// +optional
	Phase Phase `json:"phase,omitempty"`
	// owner is the stage owner after conflict-of-interest routing.
	// +optional
	Owner string `json:"owner,omitempty"`
	// assignee is who the case was last assigned to.
	// +optional
	Assignee string `json:"assignee,omitempty"`
	// deadlines holds every deadline ever set, never removed.
	// +listType=atomic
	// +optional
	Deadlines []Deadline `json:"deadlines,omitempty"`
	// +optional
	NextDeadline *NextDeadline `json:"nextDeadline,omitempty"`
	// +optional
	Outcome Outcome `json:"outcome,omitempty"`
	// +optional
	ClosedAt *metav1.Time `json:"closedAt,omitempty"`
	// externalRoutes the complainant was told of at the final stage.
	// +listType=atomic
	// +optional
	ExternalRoutes []string `json:"externalRoutes,omitempty"`
	// pausedAt is set while the respond clock is paused.
	// +optional
	PausedAt *metav1.Time `json:"pausedAt,omitempty"`
	// appliedActions is how many case-log entries have been applied.
	// +optional
	AppliedActions int32 `json:"appliedActions,omitempty"`
	// rejectedActions are case-log entries that could not apply.
	// +listType=atomic
	// +optional
	RejectedActions []RejectedAction `json:"rejectedActions,omitempty"`
	// notifications is the letters outbox.
	// +listType=atomic
	// +optional
	Notifications []Notification `json:"notifications,omitempty"`
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Complaint is one case.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=cmp,categories=redress
// +kubebuilder:printcolumn:name="Reference",type=string,JSONPath=`.status.reference`
// +kubebuilder:printcolumn:name="Stage",type=string,JSONPath=`.status.stage`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Next Deadline",type=string,JSONPath=`.status.nextDeadline.name`
// +kubebuilder:printcolumn:name="Due",type=string,JSONPath=`.status.nextDeadline.due`
// +kubebuilder:printcolumn:name="Breached",type=string,JSONPath=`.status.conditions[?(@.type=="DeadlineBreached")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Complaint struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ComplaintSpec   `json:"spec"`
	Status ComplaintStatus `json:"status,omitempty"`
}

// ComplaintList is a list of Complaints.
// +kubebuilder:object:root=true
type ComplaintList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Complaint `json:"items"`
}
