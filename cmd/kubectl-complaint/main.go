// Command kubectl-complaint is a kubectl plugin for case workers: it appends
// entries to a Redress Complaint's case log (acknowledge, assign, extend,
// request-info, info-received, respond, escalate, withdraw, follow-up, note),
// describes a case as a timeline and reports on a period's complaints for a
// board (report), using the caller's kubeconfig.
//
// Install it anywhere on PATH; kubectl finds it as `kubectl complaint`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	// Deadlines are shown in the Policy's time zone even where the machine
	// has no zoneinfo database (Windows, minimal images).
	_ "time/tzdata"

	"github.com/redress-operator/redress/internal/casework"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := casework.NewCommand(casework.Options{
		Streams: genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr},
	})
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
