package main

import (
	"context"
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
)

// usage is what `connector-dev help` prints; each command's -h lists its
// flags.
const usage = `connector-dev runs the chatbot connector on your machine.

  connector-dev [serve] [-port 8080] [-page-port 8081] [-backend embedded|aws] [-data .data]
      the connector's API and webhook on 127.0.0.1:8080, and a stand-in for the
      Dropzone upload page on 127.0.0.1:8081
  connector-dev invoke [-backend embedded|aws] [-data .data] testdata/events/<file>.json
      run one API Gateway event through the handler and print the response
  connector-dev notify -url <webhook URL> -key <validation key> -upload-id <id> -email <email>
           [-host acme.sendsafely.com] [-dropzone local-dropzone] [-package-id ABCD-1234] [-origin <origin>]
      post a correctly signed Dropzone notification and print the answer

connector-dev <command> -h lists a command's flags. The function's variables
(SENDSAFELY_HOST, DROPZONE_ID, ALLOWED_ORIGINS, ...) apply as in the README.
`

// env is what a command takes from its surroundings.
type env struct {
	getenv func(string) string
	stdout io.Writer // events (serve), answers (invoke, notify)
	stderr io.Writer // the banner, request logs, usage
}

// run runs the command named by args[0]; with none, or a flag first, it
// serves.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdout: stdout, stderr: stderr}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
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
	case "help":
		_, err := io.WriteString(e.stdout, usage)
		return err
	default:
		return fmt.Errorf("unknown command %q: use serve, invoke, notify or help", cmd)
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
