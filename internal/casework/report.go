package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	boardreport "github.com/redress-operator/redress/internal/report"
)

// listChunk is how many objects one list request asks for.
const listChunk = 500

func newReportCommand(e *env) *cobra.Command {
	var from, to, output string
	var allNamespaces bool
	cmd := &cobra.Command{
		Use:   "report --from YYYY-MM-DD --to YYYY-MM-DD [-o markdown|csv|json|html]",
		Short: "Report on a period's complaints for a board or trustees",
		Long: `Report on the complaints of a period, for a board or trustees: cases received
(by channel, category and severity), outcomes of the cases closed, how many
acknowledge and respond deadlines were met on time, the working days they took
(median and 90th percentile), extensions, breaches with their owners, remedies
offered, lessons learned and the cases still open at the end, by age.

--from and --to are dates, both included, each read in the case's own Policy time
zone. The report reads Complaints and Policies only (never a Secret), so it
holds no complainant's personal data; the viewer role is enough. See
docs/report.md for what each figure means.`,
		Example: `  kubectl complaint -n complaints report --from 2026-01-01 --to 2026-03-31
  kubectl complaint report -A --from 2026-01-01 --to 2026-12-31 -o html > report-2026.html
  kubectl complaint -n complaints report --from 2026-04-01 --to 2026-06-30 -o csv > q2.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start, err := parseDay("--from", from)
			if err != nil {
				return err
			}
			end, err := parseDay("--to", to)
			if err != nil {
				return err
			}
			if end.Before(start) {
				return fmt.Errorf("--to %s is before --from %s", to, from)
			}
			if !slices.Contains(boardreport.Formats, output) && output != "md" {
				return fmt.Errorf("-o %q: want one of %s", output, strings.Join(boardreport.Formats, ", "))
			}
			if err := e.connect(); err != nil {
				return err
			}
			ns, scope := e.namespace, "namespace "+e.namespace
			if allNamespaces {
				ns, scope = "", "all namespaces"
			}
			complaints, policies, err := readCases(cmd.Context(), e.client, ns)
			if err != nil {
				return err
			}
			r := boardreport.Build(complaints, policies, start, end)
			r.Scope = scope
			return boardreport.Render(cmd.OutOrStdout(), output, r)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first day of the period, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&to, "to", "", "last day of the period, YYYY-MM-DD, included (required)")
	cmd.Flags().StringVarP(&output, "output", "o", "markdown", "output format: "+strings.Join(boardreport.Formats, ", "))
	cmd.Flags().BoolVarP(&allNamespaces, "all-namespaces", "A", false, "report on the complaints of every namespace you may read")
	must(cmd.MarkFlagRequired("from"))
	must(cmd.MarkFlagRequired("to"))
	must(cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(boardreport.Formats, cobra.ShellCompDirectiveNoFileComp)))
	return cmd
}

func parseDay(flag, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not a date (YYYY-MM-DD)", flag, s)
	}
	return t, nil
}

// readCases lists the Complaints and Policies of namespace ("" for all), in
// chunks, and keys the Policies by namespace/name.
func readCases(ctx context.Context, c client.Client, namespace string) ([]v1.Complaint, map[string]*v1.Policy, error) {
	where := fmt.Sprintf("in namespace %q", namespace)
	if namespace == "" {
		where = "in all namespaces"
	}
	var complaints []v1.Complaint
	if err := listAll(ctx, c, namespace, &v1.ComplaintList{}, func(l *v1.ComplaintList) { complaints = append(complaints, l.Items...) }); err != nil {
		return nil, nil, listError(err, "complaints", where)
	}
	policies := map[string]*v1.Policy{}
	if err := listAll(ctx, c, namespace, &v1.PolicyList{}, func(l *v1.PolicyList) {
		for i := range l.Items {
			p := &l.Items[i]
			policies[p.Namespace+"/"+p.Name] = p
		}
	}); err != nil {
		return nil, nil, listError(err, "policies", where)
	}
	return complaints, policies, nil
}

type listWithContinue interface {
	client.ObjectList
	GetContinue() string
}

func listAll[L listWithContinue](ctx context.Context, c client.Client, namespace string, list L, collect func(L)) error {
	next := ""
	for {
		opts := []client.ListOption{client.Limit(listChunk), client.Continue(next)}
		if namespace != "" {
			opts = append(opts, client.InNamespace(namespace))
		}
		if err := c.List(ctx, list, opts...); err != nil {
			return err
		}
		collect(list)
		if next = list.GetContinue(); next == "" {
			return nil
		}
	}
}

// listError turns a refused list into a sentence naming what and where.
func listError(err error, what, where string) error {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return fmt.Errorf("the API server refused to let you list %s %s: %s", what, where, status.Status().Message)
	}
	return fmt.Errorf("listing %s %s: %w", what, where, err)
}
