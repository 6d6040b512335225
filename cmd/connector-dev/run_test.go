package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRunCommands: what each command line returns, what it prints where,
// and the exit status main turns it into. Help and errors are for a person
// and go to stderr; stdout stays empty.
func TestRunCommands(t *testing.T) {
	for _, tt := range []struct {
		name     string
		args     []string
		vars     map[string]string
		wantCode int
		wantErr  string   // in the error; "" for none
		stderr   []string // each in stderr
	}{
		{"help", []string{"help"}, nil, 0, "", []string{"Commands:", "connector-dev notify", "-upload-id", "Examples:"}},
		{"-h", []string{"-h"}, nil, 0, "", []string{"Commands:", "trusted-key      make a Trusted Browser key pair"}},
		{"--help", []string{"--help"}, nil, 0, "", []string{"Commands:"}},
		{"help of one command", []string{"help", "invoke"}, nil, 0, "", []string{"Usage: connector-dev invoke", "-data"}},
		{"help of no command", []string{"help", "deploy"}, nil, 2, `no command "deploy"`, nil},
		{"serve -h", []string{"serve", "-h"}, nil, 0, flag.ErrHelp.Error(), []string{"Usage: connector-dev [serve]", "-page-port", "CONNECTOR_PORT", "Examples:"}},
		{"flags only -h", []string{"-port", "9", "-h"}, nil, 0, flag.ErrHelp.Error(), []string{"Usage: connector-dev [serve]"}},
		{"invoke -h", []string{"invoke", "-h"}, nil, 0, flag.ErrHelp.Error(), []string{"Usage: connector-dev invoke", "-backend"}},
		{"notify -h", []string{"notify", "-h"}, nil, 0, flag.ErrHelp.Error(), []string{"-key", envValidationKey, "Examples:"}},
		{"unknown command", []string{"deploy"}, nil, 2, `unknown command "deploy"`, nil},
		{"unknown flag", []string{"-prot", "9090"}, nil, 2, "flag provided but not defined: -prot", nil}, // one line: see TestUsageErrors
		{"bad port variable", []string{"serve"}, map[string]string{envPort: "eighty"}, 1, envPort, nil},
		{"both port variables bad", []string{"serve"}, map[string]string{envPort: "eighty", envPagePort: "-1"}, 1, envPort + `: "eighty" is not a port number; ` + envPagePort, nil},
		{"help despite a bad port variable", []string{"serve", "-h"}, map[string]string{envPort: "eighty"}, 0, flag.ErrHelp.Error(), []string{"-page-port"}},
		{"serve takes no arguments", []string{"serve", "extra"}, nil, 2, "no arguments", nil},
		{"invoke without a file", []string{"invoke"}, nil, 2, "one event file", nil},
		{"version -h", []string{"version", "-h"}, nil, 0, flag.ErrHelp.Error(), []string{"Usage: connector-dev version", "CHANGELOG.md"}},
		{"version takes no arguments", []string{"version", "extra"}, nil, 2, "no arguments", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, func(k string) string { return tt.vars[k] }, &stdout, &stderr)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("got %v, want error %q", err, tt.wantErr)
			}
			if code := exitCode(err, io.Discard); code != tt.wantCode {
				t.Errorf("exit status: got %d, want %d", code, tt.wantCode)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing: help and errors go to stderr", stdout.String())
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}

// TestHelpListsEveryCommandAndFlag: connector-dev help names every command
// and every flag each command's -h knows, with examples.
func TestHelpListsEveryCommandAndFlag(t *testing.T) {
	var help bytes.Buffer
	if err := run(context.Background(), []string{"help"}, func(string) string { return "" }, io.Discard, &help); err != nil {
		t.Fatal(err)
	}
	flagLine := regexp.MustCompile(`(?m)^  (-[a-z-]+)`)
	for _, c := range commands {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(c.name) + ` +\S`).MatchString(help.String()) {
			t.Errorf("help does not list %s", c.name)
		}
		var own bytes.Buffer
		if err := run(context.Background(), []string{c.name, "-h"}, func(string) string { return "" }, io.Discard, &own); !errors.Is(err, flag.ErrHelp) {
			continue // help itself, or a command this build lacks
		}
		flags := flagLine.FindAllStringSubmatch(own.String(), -1)
		if len(flags) == 0 && c.synopsis != "connector-dev "+c.name { // a command without flags says so
			t.Errorf("%s -h lists no flag:\n%s", c.name, own.String())
		}
		section := help.String()[strings.Index(help.String(), "connector-dev "+c.name+" ───"):]
		for _, f := range flags {
			// A boolean flag's line is its name alone.
			if !strings.Contains(section, "\n  "+f[1]+" ") && !strings.Contains(section, "\n  "+f[1]+"\n") {
				t.Errorf("help's %s section lacks %s", c.name, f[1])
			}
		}
		if len(c.examples) > 0 && !strings.Contains(section, c.examples[len(c.examples)-1]) {
			t.Errorf("help's %s section lacks its examples", c.name)
		}
	}
}

// TestServeCommand runs `connector-dev` as make run does, on free ports
// from the environment, reads the banner, calls the API and stops it.
func TestServeCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncBuffer{}
	vars := map[string]string{envPort: "0", envPagePort: "0", envSendSafelyPort: "0", envData: t.TempDir(), envAPIToken: "dev-token"}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return vars[k] }, &syncBuffer{}, stderr) }()

	var banner string
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(banner, "Ctrl-C stops"); banner = stderr.String() {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner: %q", stderr.String())
		}
	}
	for _, want := range []string{"embedded backend", "/webhook", "/html/cb_upload.htm", "validation key", "API token        required", "Dropzone id  local-dropzone", "verified mode    on: SendSafely stand-in http://127.0.0.1:"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	connURL := regexp.MustCompile(`connector API +(http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(banner)
	if connURL == nil {
		t.Fatalf("no connector URL in the banner:\n%s", banner)
	}
	d := &dev{devServer: &devServer{connectorURL: connURL[1]}}
	if st, m := d.chat(t, `{"action":"generateId"}`); st != 401 {
		t.Errorf("without the token: %d %v, want 401", st, m)
	}
	st, m, _ := post(t, connURL[1]+"/", "application/json", `{"action":"generateId"}`, map[string]string{"Authorization": "Bearer dev-token"})
	if st != 200 || m["Result"] != "Success" {
		t.Errorf("with the token: %d %v", st, m)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(stderr.String(), "dev-token") {
		t.Error("the API token was printed")
	}
}

// TestUsageErrors: every command line that cannot be run as given exits 2,
// and says so in one line that points to the command's -h, not the whole
// help.
func TestUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want []string // each in the one line
	}{
		{"serve, a bad flag", []string{"-prot", "9090"}, []string{"serve: flag provided but not defined: -prot", "connector-dev serve -h"}},
		{"serve, a malformed flag", []string{"serve", "-port", "eighty"}, []string{"-port", "connector-dev serve -h"}},
		{"invoke, a bad flag", []string{"invoke", "-x"}, []string{"invoke: flag provided but not defined: -x", "connector-dev invoke -h"}},
		{"notify, a bad flag", []string{"notify", "-uri", "http://127.0.0.1:1/webhook"}, []string{"-uri", "connector-dev notify -h"}},
		{"trusted-key, a bad flag", []string{"trusted-key", "-hots", "acme.sendsafely.com"}, []string{"-hots", "connector-dev trusted-key -h"}},
		{"trusted-key, an argument", []string{"trusted-key", "-host", "acme.sendsafely.com", "extra"}, []string{`unexpected argument "extra"`}},
		{"trusted-key, nothing given", []string{"trusted-key"}, []string{"-host or -api-url is required", "-api-key", "-api-secret"}},
		{"callback-secret, a bad flag", []string{"callback-secret", "-yaml"}, []string{"-yaml", "connector-dev callback-secret -h"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, func(string) string { return "" }, &stdout, &stderr)
			if code := exitCode(err, &stderr); code != 2 {
				t.Errorf("exit status: got %d, want 2 (%v)", code, err)
			}
			out := stderr.String()
			if strings.Count(out, "\n") != 1 || strings.Contains(out, "Usage:") {
				t.Errorf("stderr %q, want one line", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stderr %q lacks %q", out, w)
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

// TestHelpAligned: the command list of connector-dev help puts every
// summary in one column, however long the command's name.
func TestHelpAligned(t *testing.T) {
	var help bytes.Buffer
	if err := run(context.Background(), []string{"help"}, func(string) string { return "" }, io.Discard, &help); err != nil {
		t.Fatal(err)
	}
	list := help.String()[strings.Index(help.String(), "Commands:\n")+len("Commands:\n"):]
	list = list[:strings.Index(list, "\n\n")]
	col := -1
	for _, line := range strings.Split(list, "\n") {
		name := strings.Fields(line)[0]
		at := strings.Index(line, name) + len(name)
		at += len(line[at:]) - len(strings.TrimLeft(line[at:], " "))
		if col == -1 {
			col = at
		}
		if at != col || line[at-2:at] != "  " {
			t.Errorf("%q: summary at column %d, want %d after at least two spaces", line, at, col)
		}
	}
}
