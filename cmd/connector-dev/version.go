package main

import (
	"context"
	"flag"
	"fmt"
)

// version is the connector's version: the latest one CHANGELOG.md names
// (a test holds the two equal).
const version = "0.3.0"

// versionCommand is `connector-dev version`: the version on stdout.
func versionCommand(_ context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = usageOf("version", fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("version takes no arguments")
	}
	_, err := fmt.Fprintf(e.stdout, "connector-dev %s\n", version)
	return err
}
