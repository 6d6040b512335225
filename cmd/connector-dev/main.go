// Command connector-dev runs the chatbot connector on your machine: the
// same handler the Lambda function runs, behind a local HTTP server, with a
// stand-in for the Dropzone upload page on a second origin. By default it
// keeps uploads in a bbolt file in .data/, prints events as JSON lines to
// stdout and signs with a local validation key; with -backend aws it uses
// the table, topic and secret the function would.
//
// `connector-dev help` lists the commands (serve, the default; invoke;
// notify; trusted-key; callback-secret; version) with every flag and
// examples; `connector-dev <command> -h` shows one. stdout carries a command's output only;
// everything for a person goes to stderr. It exits 0 on success, on -h and
// on Ctrl-C or SIGTERM (after a graceful shutdown), 1 on an error and 2 on
// a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal asks for a graceful shutdown; from then on the
		// default action is back, so a second Ctrl-C stops at once.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err on w, if there is anything to say, and returns the
// exit status: 0 for none, for -h and for a stop by signal, 2 for a usage
// error, 1 for the rest.
func exitCode(err error, w io.Writer) int {
	var usage *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp), errors.Is(err, context.Canceled):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(w, "connector-dev:", err)
		return 2
	default:
		fmt.Fprintln(w, "connector-dev:", err)
		return 1
	}
}
