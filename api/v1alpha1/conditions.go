package v1alpha1

// Condition types. Names are part of the public contract.
const (
	// Policy
	ConditionReady = "Ready"

	// Complaint
	ConditionAcknowledged          = "Acknowledged"
	ConditionDeadlineBreached      = "DeadlineBreached"
	ConditionDeadlineApproaching   = "DeadlineApproaching"
	ConditionClosed                = "Closed"
	ConditionPolicyResolved        = "PolicyResolved"
	ConditionWithdrawalRequested   = "WithdrawalRequested"
	ConditionLateSubmission        = "LateSubmission"
	ConditionContactDetailsMissing = "ContactDetailsMissing"
	ConditionConsentMissing        = "ConsentMissing"
	ConditionNotificationFailed    = "NotificationFailed"
)

// Condition reasons shared by both kinds.
const (
	ReasonValid          = "Valid"
	ReasonPolicyNotFound = "PolicyNotFound"
	ReasonPolicyInvalid  = "PolicyInvalid"
	ReasonResolved       = "Resolved"
	ReasonOnTrack        = "OnTrack"
)
