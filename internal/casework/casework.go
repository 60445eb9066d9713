// Package casework is the logic of the kubectl-complaint plugin: case workers
// append entries to a Complaint's case log (acknowledge, assign, extend, ...)
// and read a case as a timeline (describe), and managers report on a period
// (report), with their own kubeconfig.
//
// Every append reads the Complaint, takes the next id (len(actions)+1), stamps
// the entry with the current time and the caller's identity as the API server
// sees it (SelfSubjectReview), and sends a JSON patch that carries the
// resourceVersion it read, so two case workers appending at once can never
// clobber each other: the loser gets a conflict, re-reads and retries.
package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/redress-operator/redress/internal/scheme"
)

// Options configure the command tree; the zero value of every field but
// Streams has a sensible default.
type Options struct {
	// Streams are stdin, stdout and stderr.
	Streams genericiooptions.IOStreams
	// ConfigFlags are the standard kubectl flags (--kubeconfig, --context,
	// -n, --as, ...); nil creates them.
	ConfigFlags *genericclioptions.ConfigFlags
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// env is what every subcommand needs at run time.
type env struct {
	opts      Options
	client    client.Client
	namespace string
}

// NewCommand returns the kubectl-complaint command tree.
func NewCommand(opts Options) *cobra.Command {
	if opts.ConfigFlags == nil {
		opts.ConfigFlags = genericclioptions.NewConfigFlags(true)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	root := &cobra.Command{
		Use:   "kubectl-complaint",
		Short: "Work Redress complaint cases from kubectl",
		Long: `Work Redress complaint cases from kubectl.

Each action appends one entry to the Complaint's case log (spec.actions) with the
next id, the current time and your identity as the API server knows it. The case
log is append-only: nothing you write can be changed or removed afterwards, so
use --dry-run to have the API server check an entry without appending it.`,
		Example: `  kubectl complaint -n complaints acknowledge c-8k2pq
  kubectl complaint -n complaints assign c-8k2pq --to bob
  kubectl complaint -n complaints respond c-8k2pq --outcome PartlyUpheld \
      --summary "We apologise" --remedy "Apology letter" --remedy "Staff training"
  kubectl complaint -n complaints describe c-8k2pq
  kubectl complaint -n complaints report --from 2026-01-01 --to 2026-03-31`,
		Annotations:   map[string]string{cobra.CommandDisplayNameAnnotation: "kubectl complaint"},
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(opts.Streams.In)
	root.SetOut(opts.Streams.Out)
	root.SetErr(opts.Streams.ErrOut)
	opts.ConfigFlags.AddFlags(root.PersistentFlags())

	e := &env{opts: opts}
	for _, spec := range actionCommands {
		root.AddCommand(newActionCommand(e, spec))
	}
	root.AddCommand(newDescribeCommand(e))
	root.AddCommand(newReportCommand(e))
	return root
}

// connect builds the client and resolves the namespace (-n, else the
// kubeconfig context's, else "default").
func (e *env) connect() error {
	if e.client != nil {
		return nil
	}
	cfg, err := e.opts.ConfigFlags.ToRESTConfig()
	if err != nil {
		return fmt.Errorf("reading kubeconfig: %w", err)
	}
	cfg.UserAgent = "kubectl-complaint"
	c, err := client.New(cfg, client.Options{Scheme: scheme.New()})
	if err != nil {
		return fmt.Errorf("connecting to the API server: %w", err)
	}
	ns, _, err := e.opts.ConfigFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return fmt.Errorf("reading the namespace from kubeconfig: %w", err)
	}
	e.client, e.namespace = c, ns
	return nil
}

// whoAmI asks the API server who the caller is (authentication.k8s.io/v1
// SelfSubjectReview), so `by` is the identity the audit log records too.
func whoAmI(ctx context.Context, c client.Client) (string, error) {
	review := &authenticationv1.SelfSubjectReview{}
	if err := c.Create(ctx, review); err != nil {
		return "", fmt.Errorf("asking the API server who you are (SelfSubjectReview): %w", err)
	}
	name := review.Status.UserInfo.Username
	if name == "" {
		return "", errors.New("the API server did not say who you are (empty SelfSubjectReview username)")
	}
	return name, nil
}

// explain turns an API error into a sentence a case worker can act on.
func explain(err error, what, namespace, name string) error {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return fmt.Errorf("%s complaint %s/%s: %w", what, namespace, name, err)
	}
	s := status.Status()
	switch {
	case apierrors.IsNotFound(err):
		return fmt.Errorf("complaint %q not found in namespace %q", name, namespace)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("the API server refused to let you %s complaint %s/%s: %s", what, namespace, name, s.Message)
	case apierrors.IsInvalid(err):
		var causes []string
		if s.Details != nil {
			for _, c := range s.Details.Causes {
				if len(s.Details.Causes) > 1 && strings.Contains(c.Message, "some validation rules were not checked") {
					continue // a footnote to the causes listed, not a cause
				}
				if c.Field != "" && c.Field != "<nil>" {
					causes = append(causes, fmt.Sprintf("%s: %s", c.Field, c.Message))
				} else {
					causes = append(causes, c.Message)
				}
			}
		}
		msg := s.Message
		if len(causes) > 0 {
			msg = strings.Join(causes, "; ")
		}
		return fmt.Errorf("the API server refused to %s complaint %s/%s: %s", what, namespace, name, msg)
	default:
		return fmt.Errorf("the API server refused to %s complaint %s/%s: %s", what, namespace, name, s.Message)
	}
}
