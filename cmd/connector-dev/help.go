package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// commandDoc is what a command's help says besides its flags.
type commandDoc struct {
	name     string
	summary  string   // one line, in the command list
	synopsis string   // the command line, flags in brackets
	about    string   // a paragraph or two
	examples []string // command lines, a "# comment" line above each
}

// commands are the subcommands, in the order help lists them. A command's
// flags are not written here: help asks the command itself (its -h), so
// the list cannot fall behind the code.
var commands = []commandDoc{
	{
		name:     "serve",
		summary:  "(the default) the connector's API and webhook on 127.0.0.1:8080, the upload page stand-in on :8081, a SendSafely stand-in on :8082",
		synopsis: "connector-dev [serve] [-port 8080] [-page-port 8081] [-sendsafely-port 8082] [-verified=false] [-sweep-every 30s] [-backend embedded|aws] [-data .data]",
		about: `Serves the handler the Lambda function runs, and a stand-in for the Dropzone
upload page on a second port (a second origin, as in production). Where
everything is, the local validation key and request logs go to stderr;
stdout carries nothing but events, one JSON line each. Ctrl-C stops it
(exit status 0). The function's variables (SENDSAFELY_HOST, DROPZONE_ID,
ALLOWED_ORIGINS, ...) apply as docs/configuration.md says, with local
defaults.

With the embedded backend, verified mode is on: a SendSafely stand-in runs
on a third port with a local Trusted Browser key (kept in the data folder)
registered at it; the upload page makes its packages there, every link is
checked there, getLink looks uploads up there, and a sweep runs every
-sweep-every. With CALLBACK_URL set (http to 127.0.0.1 allowed), each
upload.submitted is delivered to it, signed with the callback secret kept
in the data folder and printed at start.`,
		examples: []string{
			"# as make run does",
			"connector-dev",
			"# when 8080 or 8081 is taken",
			"connector-dev -port 9080 -page-port 9081",
			"# a second server beside the first: ports and a data folder of its own",
			"CONNECTOR_PORT=9080 CONNECTOR_PAGE_PORT=9081 CONNECTOR_SENDSAFELY_PORT=9082 connector-dev -data .data2",
			"# without verified mode: links are taken on the notification's digest alone",
			"connector-dev -verified=false",
			"# deliver signed callbacks to a receiver on your machine",
			"CALLBACK_URL=http://127.0.0.1:9000/callback connector-dev",
			"# require an API token (Authorization: Bearer dev-token)",
			"CONNECTOR_API_TOKEN=dev-token connector-dev",
			"# the deployed table, topic and secret instead of .data/",
			"TABLE_NAME=… TOPIC_ARN=… SECRET_ARN=… AWS_REGION=… connector-dev -backend aws",
			"# keep the events in a file",
			"connector-dev > events.jsonl",
		},
	},
	{
		name:     "invoke",
		summary:  "run one API Gateway event file through the handler and print the response",
		synopsis: "connector-dev invoke [-backend embedded|aws] [-data .data] [-client-context JSON] <event.json>",
		about: `Runs the event through the Lambda runtime's own handler wrapper, as
sam local invoke does, without Docker or a build, and prints the response
JSON on stdout. It cannot share a data folder with a running server: stop
the server or give another -data.`,
		examples: []string{
			"connector-dev invoke testdata/events/generateId.json",
			"# beside a running make run",
			"connector-dev invoke -data .data-invoke testdata/events/generateId.json",
			"# an AgentCore Gateway event: the tool's name is in the client context",
			`connector-dev invoke -client-context '{"custom":{"bedrockAgentCoreToolName":"connector___generate_upload_link"}}' testdata/events/agentcore-generate-upload-link.json`,
		},
	},
	{
		name:     "notify",
		summary:  "post a signed Dropzone notification to a webhook, local or deployed, and print the answer",
		synopsis: "connector-dev notify -url <webhook URL> -key <validation key> -upload-id <id> -email <email> [-host …] [-dropzone …] [-package-id …] [-origin …]",
		about: `Signs a notification as SendSafely's server would, with the Dropzone's
Validation Key, posts it to the webhook as the upload page does, and prints
the package id, the made-up secure link and the answer on stdout. It exits
non-zero unless the answer is 200. The key may come from
$CONNECTOR_VALIDATION_KEY instead of -key, to keep it out of shell history;
the local server's key is in .data/validation-key.`,
		examples: []string{
			"# the local server, with the key make run printed",
			`connector-dev notify -url http://127.0.0.1:8080/webhook -key "$(cat .data/validation-key)" -upload-id <UploadId> -email customer@example.com`,
			"# a deployed stack",
			"export CONNECTOR_VALIDATION_KEY='<your Dropzone Validation Key>'",
			`connector-dev notify -url "$WEBHOOK_URL" -upload-id <UploadId> -email customer@example.com -host acme.sendsafely.com -dropzone <your DropzoneId>`,
		},
	},
	{
		name:     "trusted-key",
		summary:  "make a Trusted Browser key pair, register it with SendSafely, print the secret fields",
		synopsis: "connector-dev trusted-key -host <SendSafely host> | -api-url <URL> [-api-key …] [-email …] [-description …]",
		about: `Makes a Trusted Browser key pair for verified mode, registers its public
half on the SendSafely account of the API key (the Dropzone owner's), and
prints the fields to put into the connector's secret on stdout. The JSON
holds the private key: store it in the secret (beside validationKey) and
delete the file. SendSafely encrypts to the key the keycodes of uploads
finalized from now on, not of earlier ones.`,
		examples: []string{
			"# the API key and secret from the environment, out of shell history",
			`SENDSAFELY_API_KEY=... SENDSAFELY_API_SECRET=... connector-dev trusted-key -host acme.sendsafely.com > trusted.json`,
		},
	},
	{
		name:     "callback-secret",
		summary:  "print a fresh Standard Webhooks signing secret (whsec_…) for callbackSecret",
		synopsis: "connector-dev callback-secret [-json]",
		about: `Prints a new secret, "whsec_" and the base64 of 32 random bytes, on stdout:
put it into the connector's secret as callbackSecret and give it to the
callback receiver, which checks every delivery's webhook-signature with it.`,
		examples: []string{
			"connector-dev callback-secret",
			"# merged into the secret's JSON",
			`jq --argjson cb "$(connector-dev callback-secret -json)" '. + $cb' secret.json`,
		},
	},
	{
		name:     "version",
		summary:  "print the version (the latest in CHANGELOG.md)",
		synopsis: "connector-dev version",
		about:    `Prints "connector-dev" and the version on stdout: the latest version CHANGELOG.md names.`,
	},
	{
		name:     "help",
		summary:  "this help; connector-dev <command> -h shows one command's",
		synopsis: "connector-dev help [command]",
	},
}

// docOf returns the doc of the command name, and whether there is one.
func docOf(name string) (commandDoc, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return commandDoc{}, false
}

// usageOf returns fs's Usage: the command's doc, its flags and examples.
func usageOf(name string, fs *flag.FlagSet) func() {
	return func() {
		w := fs.Output()
		d, _ := docOf(name)
		if d.synopsis != "" {
			fmt.Fprintf(w, "Usage: %s\n", d.synopsis)
		} else {
			fmt.Fprintf(w, "Usage: connector-dev %s [flags]\n", name)
		}
		if d.about != "" {
			fmt.Fprintf(w, "\n%s\n", d.about)
		} else if d.summary != "" {
			fmt.Fprintf(w, "\n%s.\n", strings.ToUpper(d.summary[:1])+d.summary[1:])
		}
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
		if len(d.examples) > 0 {
			fmt.Fprintf(w, "\nExamples:\n")
			for _, e := range d.examples {
				fmt.Fprintf(w, "  %s\n", e)
			}
		}
	}
}

// helpIntro heads `connector-dev help`.
const helpIntro = `connector-dev runs the chatbot connector on your machine, with no AWS
account: the handler the Lambda function runs, behind a local HTTP server.

Usage: connector-dev [command] [flags]

stdout carries a command's output only (serve: events as JSON lines;
invoke, notify: the answer); everything meant for you goes to stderr.
Exit status: 0 on success and on Ctrl-C, 1 on an error, 2 on a usage error.

Commands:
`

// helpCommand is `connector-dev help [command]`: the list of commands and,
// for each, what its -h prints. It writes to stderr, as every message for a
// person does.
func helpCommand(ctx context.Context, args []string, e env) error {
	if len(args) > 0 {
		if _, ok := docOf(args[0]); !ok || args[0] == "help" {
			return usageErrorf("help: no command %q; connector-dev help lists them", args[0])
		}
		_ = run(ctx, []string{args[0], "-h"}, e.getenv, io.Discard, e.stderr)
		return nil
	}
	var b bytes.Buffer
	b.WriteString(helpIntro)
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.name, c.summary)
	}
	for _, c := range commands {
		if c.name == "help" {
			continue
		}
		var out bytes.Buffer
		err := run(ctx, []string{c.name, "-h"}, e.getenv, io.Discard, &out)
		if !errors.Is(err, flag.ErrHelp) {
			continue // not built into this binary
		}
		fmt.Fprintf(&b, "\n─── connector-dev %s ───\n%s", c.name, out.String())
	}
	_, err := e.stderr.Write(b.Bytes())
	return err
}
