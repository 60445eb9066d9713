package v1alpha1

// DurationString is a span of time in the contract's grammar: "<n> working days",
// "<n> days", "<n> weeks", "<n> months" or "<n> hours" (singular forms too).
// +kubebuilder:validation:Pattern=`^[1-9][0-9]{0,3} (working days?|days?|weeks?|months?|hours?)$`
// +kubebuilder:validation:MaxLength=24
type DurationString string

// WarnBeforeString is a DurationString or a percentage ("20%") of a deadline's span.
// +kubebuilder:validation:Pattern=`^([1-9][0-9]{0,3} (working days?|days?|weeks?|months?|hours?)|([1-9][0-9]?|100)%)$`
// +kubebuilder:validation:MaxLength=24
type WarnBeforeString string

// DateString is an ISO calendar date, YYYY-MM-DD.
// +kubebuilder:validation:Pattern=`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
// +kubebuilder:validation:MaxLength=10
type DateString string

// Weekday names a day of the week.
// +kubebuilder:validation:Enum=Monday;Tuesday;Wednesday;Thursday;Friday;Saturday;Sunday
type Weekday string

// Language is a letter language.
// +kubebuilder:validation:Enum=en;zh
type Language string

// Outcome is the finding of a response.
// +kubebuilder:validation:Enum=Upheld;PartlyUpheld;NotUpheld
type Outcome string

const (
	OutcomeUpheld       Outcome = "Upheld"
	OutcomePartlyUpheld Outcome = "PartlyUpheld"
	OutcomeNotUpheld    Outcome = "NotUpheld"
)
