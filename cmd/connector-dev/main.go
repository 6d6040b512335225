// Command connector-dev runs the chatbot connector on your machine: the
// same handler the Lambda function runs, behind a local HTTP server, with a
// stand-in for the Dropzone upload page on a second origin. By default it
// keeps uploads in a bbolt file in .data/, prints events as JSON lines to
// stdout and signs with a local validation key; with -backend aws it uses
// the table, topic and secret the function would.
//
//	connector-dev [serve] [-port 8080] [-page-port 8081] [-data .data] [-backend embedded|aws]
//	connector-dev invoke [-data .data] [-backend embedded|aws] testdata/events/<file>.json
//	connector-dev notify -url <webhook URL> -key <validation key> -upload-id <id> -email <email>
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "connector-dev:", err)
		os.Exit(1)
	}
}
