package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Environment variables of connector-dev itself, beside the function's.
const (
	envBackend  = "CONNECTOR_BACKEND"   // embedded (default) or aws
	envData     = "CONNECTOR_DATA"      // the data folder, default .data
	envPort     = "CONNECTOR_PORT"      // the connector's port, default 8080
	envPagePort = "CONNECTOR_PAGE_PORT" // the upload page's port, default 8081
	envAPIToken = "CONNECTOR_API_TOKEN" // an API token to require (embedded backend)
	envVerified = "CONNECTOR_VERIFIED"  // false turns verified mode off (embedded backend)
)

// env is what a command takes from its surroundings.
type env struct {
	getenv func(string) string
	stdout io.Writer // a command's output only: events (serve), answers (invoke, notify)
	stderr io.Writer // everything for a person: the banner, request logs, help, errors' hints
}

// run runs the command named by args[0]; with none, or a flag first, it
// serves.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdout: stdout, stderr: stderr}
	cmd := "serve"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serveCommand(ctx, args, e)
	case "invoke":
		return invokeCommand(ctx, args, e)
	case "notify":
		return notifyCommand(ctx, args, e)
	case "trusted-key":
		return trustedKeyCommand(ctx, args, e)
	case "callback-secret":
		return callbackSecretCommand(ctx, args, e)
	case "version":
		return versionCommand(ctx, args, e)
	case "help", "-h", "-help", "--help":
		return helpCommand(ctx, args, e)
	default:
		return usageErrorf("unknown command %q: connector-dev help lists the commands", cmd)
	}
}

// usageError is a command line that cannot be run as given; main exits 2.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// parseFlags parses args into fs. For -h it prints the command's help to
// stderr and returns flag.ErrHelp; for a flag that is unknown or malformed
// it prints nothing and returns a usageError of one line that points to
// -h (main prints it): the whole help would bury the one thing wrong.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return err
	default:
		name := strings.TrimPrefix(fs.Name(), "connector-dev ")
		return usageErrorf("%s: %v (connector-dev %s -h shows the flags)", name, err, name)
	}
}

// backendFlags are the flags that choose where uploads, events and keys
// live, shared by serve and invoke.
type backendFlags struct {
	backend string
	data    string
}

func (b *backendFlags) register(fs *flag.FlagSet, e env) {
	fs.StringVar(&b.backend, "backend", orDefault(e.getenv(envBackend), backendEmbedded),
		"where uploads, events and keys live: embedded (a file in -data, stdout, a local key) or aws (TABLE_NAME, TOPIC_ARN, SECRET_ARN) [$"+envBackend+"]")
	fs.StringVar(&b.data, "data", orDefault(e.getenv(envData), ".data"), "the embedded backend's data folder [$"+envData+"]")
}

// newFlagSet returns a flag set that reports its errors as returned errors.
func newFlagSet(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet("connector-dev "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = usageOf(name, fs)
	return fs
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

// portDefault reads a port from the environment variable name, or def.
func portDefault(e env, name string, def int) (int, error) {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def, nil
	}
	p, err := strconv.Atoi(v)
	if err != nil || p < 0 || p > 65535 {
		return 0, fmt.Errorf("%s: %q is not a port number", name, v)
	}
	return p, nil
}

// boolDefault reads a boolean from the environment variable name, or def.
func boolDefault(e env, name string, def bool) (bool, error) {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s: %q is not true or false", name, v)
	}
	return b, nil
}
