package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRunCommands(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		vars    map[string]string
		wantErr string // "" for none
		out     string // in stdout
	}{
		{"help", []string{"help"}, nil, "", "connector-dev notify"},
		{"unknown command", []string{"deploy"}, nil, `unknown command "deploy"`, ""},
		{"flag help", []string{"invoke", "-h"}, nil, flag.ErrHelp.Error(), ""},
		{"bad port variable", []string{"serve"}, map[string]string{envPort: "eighty"}, envPort, ""},
		{"serve takes no arguments", []string{"serve", "extra"}, nil, "no arguments", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout bytes.Buffer
			err := run(context.Background(), tt.args, func(k string) string { return tt.vars[k] }, &stdout, &bytes.Buffer{})
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("got %v, want error %q", err, tt.wantErr)
			}
			if !strings.Contains(stdout.String(), tt.out) {
				t.Errorf("stdout %q, want %q in it", stdout.String(), tt.out)
			}
		})
	}
}

// TestServeCommand runs `connector-dev` as make run does, on free ports
// from the environment, reads the banner, calls the API and stops it.
func TestServeCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncBuffer{}
	vars := map[string]string{envPort: "0", envPagePort: "0", envData: t.TempDir(), envAPIToken: "dev-token"}
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
	for _, want := range []string{"embedded backend", "/webhook", "/html/cb_upload.htm", "validation key", "API token        required", "Dropzone id  local-dropzone"} {
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
