package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestNotify posts signed notifications with `connector-dev notify` to a
// running dev server, as one would to a deployed stack.
func TestNotify(t *testing.T) {
	d := startDev(t, backendEmbedded, t.TempDir(), nil)
	key := string(d.backend.key)
	for _, tt := range []struct {
		name    string
		args    func(id string) []string
		vars    map[string]string
		answer  string
		wantErr bool
		stored  bool
	}{
		{"accepted", func(id string) []string {
			return []string{"-key", key, "-upload-id", id, "-email", testEmail, "-package-id", "ABCD-1234"}
		}, nil, "200 OK", false, true},
		{"key from the environment", func(id string) []string {
			return []string{"-upload-id", id, "-email", testEmail}
		}, map[string]string{envValidationKey: key}, "200 OK", false, true},
		{"wrong key", func(id string) []string {
			return []string{"-key", "not-the-key", "-upload-id", id, "-email", testEmail}
		}, nil, "401 Unauthorized", true, false},
		{"other dropzone", func(id string) []string {
			return []string{"-key", key, "-upload-id", id, "-email", testEmail, "-dropzone", "someone-elses"}
		}, nil, "400 Bad Request", true, false},
		{"other host", func(id string) []string {
			return []string{"-key", key, "-upload-id", id, "-email", testEmail, "-host", "evil.example"}
		}, nil, "400 Bad Request", true, false},
		{"other email", func(id string) []string {
			return []string{"-key", key, "-upload-id", id, "-email", "intruder@example.com"}
		}, nil, "404 Not Found", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id, _ := d.generateID(t)
			var stdout bytes.Buffer
			args := append([]string{"notify", "-url", d.connectorURL + "/webhook"}, tt.args(id)...)
			err := run(context.Background(), args, func(k string) string { return tt.vars[k] }, &stdout, &bytes.Buffer{})
			if (err != nil) != tt.wantErr {
				t.Fatalf("run: %v, want error %v", err, tt.wantErr)
			}
			if !strings.Contains(stdout.String(), "HTTP "+tt.answer) {
				t.Errorf("output %q, want HTTP %s", stdout.String(), tt.answer)
			}
			m := d.getLink(t, id)
			if got := m["Result"] == "Success"; got != tt.stored {
				t.Errorf("getLink: %v; stored %v, want %v", m, got, tt.stored)
			}
			if tt.stored && !strings.Contains(stdout.String(), "secureLink "+m["SecureLink"].(string)+"\n") {
				t.Errorf("output %q does not show the stored link %s", stdout.String(), m["SecureLink"])
			}
		})
	}
}

func TestNotifyRequiredFlags(t *testing.T) {
	full := map[string]string{"-url": "http://127.0.0.1:1/webhook", "-key": "k", "-upload-id": "u", "-email": "e@example.com"}
	for flagName := range full {
		t.Run(flagName, func(t *testing.T) {
			args := []string{"notify"}
			for k, v := range full {
				if k != flagName {
					args = append(args, k, v)
				}
			}
			err := run(context.Background(), args, func(string) string { return "" }, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), flagName+" is required") {
				t.Errorf("got %v, want %s is required", err, flagName)
			}
		})
	}
}

// TestNotifyVerifiedServer: against a server in verified mode, notify's
// made-up link opens no package at SendSafely, so the answer is 503; the
// error says why and what to do, rather than only that it was refused.
func TestNotifyVerifiedServer(t *testing.T) {
	d := startDevVerified(t, t.TempDir(), nil)
	id, _ := d.generateID(t)
	var stdout bytes.Buffer
	args := []string{"notify", "-url", d.connectorURL + "/webhook", "-key", string(d.backend.key), "-upload-id", id, "-email", testEmail}
	err := run(context.Background(), args, func(string) string { return "" }, &stdout, &bytes.Buffer{})
	if !strings.Contains(stdout.String(), "HTTP 503") {
		t.Fatalf("output %q, want HTTP 503", stdout.String())
	}
	for _, want := range []string{"verified mode", "made-up", "-verified=false"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to say %q", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q is more than one line", err)
	}
}
