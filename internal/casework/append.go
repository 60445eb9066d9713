package casework

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// maxAttempts bounds the re-read-and-retry loop when another append won the
// race: each conflict means someone else's entry landed, so n concurrent
// writers need at most n attempts each.
const maxAttempts = 8

// actionSpec describes one case-log subcommand.
type actionSpec struct {
	use, short, long, example string
	typ                       v1.ActionType
	// flags binds the subcommand's flags and returns a function that fills
	// the entry from them (or refuses bad input before anything is sent).
	flags func(cmd *cobra.Command) func(a *v1.Action) error
}

var actionCommands = []actionSpec{
	{
		use: "acknowledge NAME", typ: v1.ActionAcknowledge,
		short:   "Record that the complaint was acknowledged to the complainant",
		long:    "Record that the complaint was acknowledged to the complainant. This meets the stage's acknowledge deadline.",
		example: "  kubectl complaint acknowledge c-8k2pq",
		flags:   noFlags,
	},
	{
		use: "assign NAME --to PERSON", typ: v1.ActionAssign,
		short:   "Assign the case to an investigator",
		long:    "Assign the case to an investigator. Redress rejects an assignee named among the complaint's peopleInvolved.",
		example: "  kubectl complaint assign c-8k2pq --to bob",
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			to := cmd.Flags().String("to", "", "who takes the case (required)")
			must(cmd.MarkFlagRequired("to"))
			return func(a *v1.Action) error { a.Assignee = *to; return nil }
		},
	},
	{
		use: "extend NAME --until YYYY-MM-DD --reason TEXT", typ: v1.ActionExtend,
		short:   "Extend the respond deadline (with notice and a reason)",
		long:    "Extend the current stage's respond deadline to the end of the given date (in the Policy's calendar zone). Redress rejects dates beyond the stage's extendUpTo.",
		example: `  kubectl complaint extend c-8k2pq --until 2026-12-18 --reason "Witness on leave"`,
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			until := cmd.Flags().String("until", "", "new respond date, YYYY-MM-DD (required)")
			reason := cmd.Flags().String("reason", "", "why the case needs longer; told to the complainant (required)")
			must(cmd.MarkFlagRequired("until"))
			must(cmd.MarkFlagRequired("reason"))
			return func(a *v1.Action) error {
				if _, err := time.Parse(time.DateOnly, *until); err != nil {
					return fmt.Errorf("--until %q is not a date (YYYY-MM-DD)", *until)
				}
				a.Until, a.Reason = v1.DateString(*until), *reason
				return nil
			}
		},
	},
	{
		use: "request-info NAME --message TEXT", typ: v1.ActionRequestInformation,
		short:   "Ask the complainant for information",
		long:    "Ask the complainant for information. The case is AwaitingComplainant until info-received; with the Policy's pauseWhileAwaitingComplainant the respond clock stops meanwhile.",
		example: `  kubectl complaint request-info c-8k2pq --message "Which day did this happen?"`,
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			msg := cmd.Flags().String("message", "", "the question asked (required)")
			must(cmd.MarkFlagRequired("message"))
			return func(a *v1.Action) error { a.Message = *msg; return nil }
		},
	},
	{
		use: "info-received NAME", typ: v1.ActionInformationReceived,
		short:   "Record that the complainant answered a request for information",
		example: "  kubectl complaint info-received c-8k2pq",
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			summary := cmd.Flags().String("summary", "", "what was received (optional)")
			return func(a *v1.Action) error { a.Summary = *summary; return nil }
		},
	},
	{
		use: "respond NAME --outcome Upheld|PartlyUpheld|NotUpheld --summary TEXT [--remedy TEXT]...", typ: v1.ActionRespond,
		short: "Record the stage's response and its outcome",
		long:  "Record the stage's response: the finding, a summary and any remedies offered. This meets the respond deadline and opens the escalation window (or closes the case at the final stage).",
		example: `  kubectl complaint respond c-8k2pq --outcome PartlyUpheld --summary "We apologise" \
      --remedy "Apology letter" --remedy "Staff training"`,
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			outcome := cmd.Flags().String("outcome", "", "Upheld, PartlyUpheld or NotUpheld (required)")
			summary := cmd.Flags().String("summary", "", "summary of the response (required)")
			remedies := cmd.Flags().StringArray("remedy", nil, "a remedy offered (repeatable)")
			must(cmd.MarkFlagRequired("outcome"))
			must(cmd.MarkFlagRequired("summary"))
			must(cmd.RegisterFlagCompletionFunc("outcome", cobra.FixedCompletions(
				[]string{string(v1.OutcomeUpheld), string(v1.OutcomePartlyUpheld), string(v1.OutcomeNotUpheld)}, cobra.ShellCompDirectiveNoFileComp)))
			return func(a *v1.Action) error {
				switch o := v1.Outcome(*outcome); o {
				case v1.OutcomeUpheld, v1.OutcomePartlyUpheld, v1.OutcomeNotUpheld:
					a.Outcome = o
				default:
					return fmt.Errorf("--outcome %q: want Upheld, PartlyUpheld or NotUpheld", *outcome)
				}
				a.Summary, a.Remedies = *summary, *remedies
				return nil
			}
		},
	},
	{
		use: "escalate NAME --reason TEXT", typ: v1.ActionEscalate,
		short:   "Escalate the case to the next stage",
		long:    "Escalate the case to the Policy's next stage (the complainant is not satisfied). Redress rejects it at the final stage or after the escalation window closed.",
		example: `  kubectl complaint escalate c-8k2pq --reason "Complainant disputes the finding"`,
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			reason := cmd.Flags().String("reason", "", "why the case is escalated")
			return func(a *v1.Action) error { a.Reason = *reason; return nil }
		},
	},
	{
		use: "withdraw NAME --reason TEXT", typ: v1.ActionWithdraw,
		short:   "Record that the complainant withdrew the complaint",
		example: `  kubectl complaint withdraw c-8k2pq --reason "Resolved informally"`,
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			reason := cmd.Flags().String("reason", "", "why the complaint was withdrawn")
			return func(a *v1.Action) error { a.Reason = *reason; return nil }
		},
	},
	{
		use: "follow-up NAME --satisfied=true|false [--summary TEXT]", typ: v1.ActionFollowUp,
		short:   "Record the follow-up with the complainant after closing",
		example: `  kubectl complaint follow-up c-8k2pq --satisfied=true --summary "Happy with the apology"`,
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			satisfied := cmd.Flags().Bool("satisfied", false, "whether the complainant is satisfied (required)")
			summary := cmd.Flags().String("summary", "", "what the complainant said")
			must(cmd.MarkFlagRequired("satisfied"))
			return func(a *v1.Action) error {
				s := *satisfied
				a.Satisfied, a.Summary = &s, *summary
				return nil
			}
		},
	},
	{
		use: "note NAME --summary TEXT", typ: v1.ActionNote,
		short:   "Add a note (a lesson learned, a call made) to the case log",
		example: `  kubectl complaint note c-8k2pq --summary "Lesson: front desk rota reviewed"`,
		flags: func(cmd *cobra.Command) func(*v1.Action) error {
			summary := cmd.Flags().String("summary", "", "the note (required)")
			must(cmd.MarkFlagRequired("summary"))
			return func(a *v1.Action) error { a.Summary = *summary; return nil }
		},
	},
}

func noFlags(*cobra.Command) func(*v1.Action) error { return func(*v1.Action) error { return nil } }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func newActionCommand(e *env, spec actionSpec) *cobra.Command {
	cmd := &cobra.Command{
		Use:     spec.use,
		Short:   spec.short,
		Long:    spec.long,
		Example: spec.example,
		Args:    cobra.ExactArgs(1),
	}
	if cmd.Long == "" {
		cmd.Long = spec.short + "."
	}
	cmd.Long += "\n\nThe entry is appended to the case log with the next id, the current time and your\nidentity; it can never be changed afterwards."
	fill := spec.flags(cmd)
	dryRun := cmd.Flags().Bool("dry-run", false, "print the entry and have the API server validate it, without appending it")
	cmd.ValidArgsFunction = e.completeComplaintNames
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		entry := v1.Action{Type: spec.typ}
		if err := fill(&entry); err != nil {
			return err
		}
		if err := e.connect(); err != nil {
			return err
		}
		ctx := cmd.Context()
		by, err := whoAmI(ctx, e.client)
		if err != nil {
			return err
		}
		entry.By = by
		key := client.ObjectKey{Namespace: e.namespace, Name: args[0]}
		written, err := appendNext(ctx, e.client, key, entry, e.opts.Now, *dryRun)
		if err != nil {
			return err
		}
		return report(cmd.OutOrStdout(), key, written, *dryRun)
	}
	return cmd
}

// appendNext appends entry with the next id, retrying on a conflict with a
// concurrent writer. It returns the entry as written.
func appendNext(ctx context.Context, c client.Client, key client.ObjectKey, entry v1.Action, now func() time.Time, dryRun bool) (v1.Action, error) {
	for attempt := 1; ; attempt++ {
		var cmp v1.Complaint
		if err := c.Get(ctx, key, &cmp); err != nil {
			return entry, explain(err, "read", key.Namespace, key.Name)
		}
		entry.ID = strconv.Itoa(len(cmp.Spec.Actions) + 1)
		entry.At = metav1.NewTime(now().UTC().Truncate(time.Second))
		err := appendEntry(ctx, c, &cmp, entry, dryRun)
		if apierrors.IsConflict(err) && attempt < maxAttempts {
			continue // someone appended first: re-read, take the next id
		}
		if err != nil {
			return entry, explain(err, fmt.Sprintf("append %s #%s to", entry.Type, entry.ID), key.Namespace, key.Name)
		}
		return entry, nil
	}
}

// appendEntry sends one JSON patch that adds entry to the end of cmp's case
// log, guarded by the resourceVersion cmp was read at: if anything changed in
// between, the API server answers 409 Conflict and nothing is written.
func appendEntry(ctx context.Context, c client.Client, cmp *v1.Complaint, entry v1.Action, dryRun bool) error {
	patch, err := appendPatch(cmp, entry)
	if err != nil {
		return err
	}
	var opts []client.PatchOption
	if dryRun {
		opts = append(opts, client.DryRunAll)
	}
	return c.Patch(ctx, cmp, client.RawPatch(types.JSONPatchType, patch), opts...)
}

// appendPatch is the JSON patch (RFC 6902) that appends entry after the
// entries cmp holds, only if cmp is still the latest version.
func appendPatch(cmp *v1.Complaint, entry v1.Action) ([]byte, error) {
	ops := []map[string]any{
		// Optimistic lock: the API server refuses a stale resourceVersion with 409.
		{"op": "replace", "path": "/metadata/resourceVersion", "value": cmp.ResourceVersion},
	}
	if len(cmp.Spec.Actions) == 0 {
		ops = append(ops, map[string]any{"op": "add", "path": "/spec/actions", "value": []v1.Action{entry}})
	} else {
		ops = append(ops, map[string]any{"op": "add", "path": "/spec/actions/-", "value": entry})
	}
	return json.Marshal(ops)
}

func report(w io.Writer, key client.ObjectKey, entry v1.Action, dryRun bool) error {
	if !dryRun {
		_, err := fmt.Fprintf(w, "complaint/%s: appended #%s %s by %s at %s\n",
			key.Name, entry.ID, entry.Type, entry.By, entry.At.UTC().Format(time.RFC3339))
		return err
	}
	out, err := yaml.Marshal(entry)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "# dry run: the API server accepted this entry for complaint/%s; nothing was appended\n%s", key.Name, out)
	return err
}

// completeComplaintNames offers the Complaints in the namespace for shell completion.
func (e *env) completeComplaintNames(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 || e.connect() != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var list v1.ComplaintList
	if err := e.client.List(cmd.Context(), &list, client.InNamespace(e.namespace)); err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names := make([]string, 0, len(list.Items))
	for _, c := range list.Items {
		names = append(names, c.Name)
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}
