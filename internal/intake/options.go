package intake

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Options configure the intake endpoint. BindFlags registers them as
// --intake-* flags; the zero BindAddress disables intake.
type Options struct {
	// BindAddress is where the intake server listens (":8082"); "" disables intake.
	BindAddress string
	// TLSCertFile and TLSKeyFile enable TLS; the files are reloaded when they change.
	TLSCertFile string
	TLSKeyFile  string

	// TokenSecret is "<namespace>/<name>" of the Secret whose data keys are
	// namespaces and whose values are comma-separated bearer tokens.
	TokenSecret string
	// HMACSecret is "<namespace>/<name>" of the Secret with the same shape
	// holding HMAC-SHA256 keys for X-Redress-Signature.
	HMACSecret string
	// TrackingKeySecret is "<namespace>/<name>" of the Secret holding the
	// installation key tracking tokens and request digests are derived with;
	// created when missing. Defaults to redress-intake-tracking-key in the
	// namespace of TokenSecret, else HMACSecret, else $POD_NAMESPACE.
	TrackingKeySecret string

	// PublicNamespaces (comma-separated) serve the public HTML form and accept
	// unauthenticated form posts.
	PublicNamespaces string
	// DefaultPolicy is the policyName used when a request names none.
	DefaultPolicy string

	// MaxBodyBytes limits request bodies; larger ones are answered 413.
	MaxBodyBytes int64

	// Rate limits, in requests per second with a burst; a rate <= 0 disables
	// that limit. Token limits apply per credential, client limits per client
	// address to every request, and public limits per client address to
	// unauthenticated form submissions.
	TokenRate   float64
	TokenBurst  int
	ClientRate  float64
	ClientBurst int
	PublicRate  float64
	PublicBurst int

	// TrustForwardedFor takes the client address from the last
	// X-Forwarded-For entry (set this only behind exactly one trusted proxy).
	TrustForwardedFor bool

	// ShutdownTimeout bounds how long in-flight requests may finish on shutdown.
	ShutdownTimeout time.Duration
}

// Defaults for the flags.
const (
	DefaultMaxBodyBytes          = 64 << 10
	DefaultPolicyName            = "standard"
	defaultTrackingKeySecretName = "redress-intake-tracking-key"
)

// BindFlags registers every --intake-* flag on fs.
func (o *Options) BindFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.BindAddress, "intake-bind-address", "", `Address the intake HTTP endpoint listens on (e.g. ":8082"); empty disables intake.`)
	fs.StringVar(&o.TLSCertFile, "intake-tls-cert-file", "", "PEM certificate for intake TLS; reloaded when the file changes.")
	fs.StringVar(&o.TLSKeyFile, "intake-tls-key-file", "", "PEM private key for intake TLS; reloaded when the file changes.")
	fs.StringVar(&o.TokenSecret, "intake-token-secret", "", "<namespace>/<name> of a Secret mapping each namespace (data key) to comma-separated bearer tokens.")
	fs.StringVar(&o.HMACSecret, "intake-hmac-secret", "", "<namespace>/<name> of a Secret mapping each namespace (data key) to comma-separated HMAC-SHA256 keys for X-Redress-Signature.")
	fs.StringVar(&o.TrackingKeySecret, "intake-tracking-key-secret", "", "<namespace>/<name> of the Secret holding the installation key for tracking tokens (created when missing); defaults to "+defaultTrackingKeySecretName+" beside the token or HMAC Secret.")
	fs.StringVar(&o.PublicNamespaces, "intake-public-namespaces", "", "Comma-separated namespaces that serve the public HTML complaint form and accept unauthenticated form posts.")
	fs.StringVar(&o.DefaultPolicy, "intake-default-policy", DefaultPolicyName, "Policy used when an intake request names none.")
	fs.Int64Var(&o.MaxBodyBytes, "intake-max-body-bytes", DefaultMaxBodyBytes, "Largest accepted intake request body; larger ones get 413.")
	fs.Float64Var(&o.TokenRate, "intake-token-rate", 5, "Requests per second allowed per credential (token or HMAC key); <= 0 disables.")
	fs.IntVar(&o.TokenBurst, "intake-token-burst", 50, "Burst allowed per credential.")
	fs.Float64Var(&o.ClientRate, "intake-client-rate", 10, "Requests per second allowed per client address, for every intake request; <= 0 disables.")
	fs.IntVar(&o.ClientBurst, "intake-client-burst", 50, "Burst allowed per client address.")
	fs.Float64Var(&o.PublicRate, "intake-public-rate", 0.05, "Public form submissions per second allowed per client address (0.05 = 3 a minute); <= 0 disables.")
	fs.IntVar(&o.PublicBurst, "intake-public-burst", 5, "Burst of public form submissions allowed per client address.")
	fs.BoolVar(&o.TrustForwardedFor, "intake-trust-forwarded-for", false, "Take the client address for rate limits from the last X-Forwarded-For entry (only behind one trusted proxy).")
	fs.DurationVar(&o.ShutdownTimeout, "intake-shutdown-timeout", 15*time.Second, "How long in-flight intake requests may finish on shutdown.")
}

// config is Options checked and parsed.
type config struct {
	Options
	tokenSecret       *types.NamespacedName
	hmacSecret        *types.NamespacedName
	trackingKeySecret types.NamespacedName
	public            map[string]bool
}

func (o Options) parse() (*config, error) {
	c := &config{Options: o, public: map[string]bool{}}
	var errs []error
	var err error
	if c.tokenSecret, err = parseSecretRef("--intake-token-secret", o.TokenSecret); err != nil {
		errs = append(errs, err)
	}
	if c.hmacSecret, err = parseSecretRef("--intake-hmac-secret", o.HMACSecret); err != nil {
		errs = append(errs, err)
	}
	for _, ns := range strings.Split(o.PublicNamespaces, ",") {
		if ns = strings.TrimSpace(ns); ns == "" {
			continue
		}
		if msgs := validation.IsDNS1123Label(ns); len(msgs) > 0 {
			errs = append(errs, fmt.Errorf("--intake-public-namespaces: %q is not a namespace name", ns))
			continue
		}
		c.public[ns] = true
	}
	if c.tokenSecret == nil && c.hmacSecret == nil && len(c.public) == 0 {
		errs = append(errs, errors.New("intake is enabled but nothing can use it: set --intake-token-secret, --intake-hmac-secret or --intake-public-namespaces"))
	}
	if (o.TLSCertFile == "") != (o.TLSKeyFile == "") {
		errs = append(errs, errors.New("--intake-tls-cert-file and --intake-tls-key-file go together"))
	}
	if o.MaxBodyBytes <= 0 {
		errs = append(errs, errors.New("--intake-max-body-bytes must be positive"))
	}
	if c.DefaultPolicy == "" {
		c.DefaultPolicy = DefaultPolicyName
	}
	if !policyNamePattern.MatchString(c.DefaultPolicy) {
		errs = append(errs, fmt.Errorf("--intake-default-policy %q is not a valid Policy name", c.DefaultPolicy))
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 15 * time.Second
	}

	key, err := parseSecretRef("--intake-tracking-key-secret", o.TrackingKeySecret)
	switch {
	case err != nil:
		errs = append(errs, err)
	case key != nil:
		c.trackingKeySecret = *key
	default:
		ns := os.Getenv("POD_NAMESPACE")
		if c.tokenSecret != nil {
			ns = c.tokenSecret.Namespace
		} else if c.hmacSecret != nil {
			ns = c.hmacSecret.Namespace
		}
		if ns == "" {
			errs = append(errs, errors.New("set --intake-tracking-key-secret=<namespace>/<name> (or POD_NAMESPACE) for the tracking-token key"))
		}
		c.trackingKeySecret = types.NamespacedName{Namespace: ns, Name: defaultTrackingKeySecretName}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// parseSecretRef parses "<namespace>/<name>"; "" is nil.
func parseSecretRef(flagName, v string) (*types.NamespacedName, error) {
	if v == "" {
		return nil, nil
	}
	ns, name, ok := strings.Cut(v, "/")
	if !ok || len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 {
		return nil, fmt.Errorf("%s=%q: want <namespace>/<name>", flagName, v)
	}
	return &types.NamespacedName{Namespace: ns, Name: name}, nil
}
