package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

func TestTrustedKey(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	env := map[string]string{"SENDSAFELY_API_KEY": s.APIKey(), "SENDSAFELY_API_SECRET": s.APISecret()}
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"trusted-key", "-api-url", s.URL(), "-description", "dev test"}, func(k string) string { return env[k] }, &stdout, &stderr)
	if err != nil {
		t.Fatalf("trusted-key: %v\n%s", err, stderr.String())
	}
	var fields map[string]string
	if err := json.Unmarshal(stdout.Bytes(), &fields); err != nil {
		t.Fatalf("stdout %q is not a JSON object of strings: %v", stdout.String(), err)
	}
	keys := s.PublicKeys()
	if len(keys) != 1 {
		t.Fatalf("got %d keys registered, want 1", len(keys))
	}
	want := map[string]string{
		"sendsafelyApiKey":    s.APIKey(),
		"sendsafelyApiSecret": s.APISecret(),
		"trustedKeyId":        keys[0],
		"trustedPrivateKey":   fields["trustedPrivateKey"],
	}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("secret fields (-want +got):\n%s", diff)
	}
	if strings.Contains(stderr.String(), "PRIVATE") || strings.Contains(stderr.String(), s.APISecret()) {
		t.Errorf("stderr %q holds the private key or the API secret", stderr.String())
	}
	reqs := s.Requests()
	if len(reqs) != 1 || !strings.Contains(reqs[0].Body, `"description":"dev test"`) {
		t.Errorf("got requests %v, want one registration described \"dev test\"", reqs)
	}

	// The printed fields are a working trusted key: they read the keycode
	// of an upload finalized after the registration.
	p, _, err := s.Upload("upload-1", "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	key := connector.TrustedKey{
		APIKey:     connector.Secret(fields["sendsafelyApiKey"]),
		APISecret:  connector.Secret(fields["sendsafelyApiSecret"]),
		KeyID:      fields["trustedKeyId"],
		PrivateKey: connector.Secret(fields["trustedPrivateKey"]),
	}
	got, err := sendsafely.New(s.URL()).KeyCode(t.Context(), key, p.ID)
	if err != nil || string(got) != p.KeyCode {
		t.Errorf("keycode with the printed key: got %v; want the package's", err)
	}
}

func TestTrustedKeyRefused(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	for _, tt := range []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"wrong secret", []string{"-api-url", s.URL(), "-api-key", s.APIKey()}, map[string]string{"SENDSAFELY_API_SECRET": "wrong"}, "refused the API key and secret"},
		{"no secret", []string{"-api-url", s.URL(), "-api-key", s.APIKey()}, nil, "-api-secret (or $SENDSAFELY_API_SECRET) is required"},
		{"no host", []string{"-api-key", "k", "-api-secret", "s"}, nil, "-host or -api-url is required"},
		{"stray argument", []string{"-api-url", s.URL(), "now"}, nil, `unexpected argument "now"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), append([]string{"trusted-key"}, tt.args...), func(k string) string { return tt.env[k] }, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error saying %q", err, tt.wantErr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
			if strings.Contains(err.Error(), "wrong") {
				t.Errorf("error %q quotes the secret", err)
			}
		})
	}
	if n := len(s.PublicKeys()); n != 0 {
		t.Errorf("got %d keys registered, want none", n)
	}
}

func TestTrustedKeyHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"trusted-key", "-h"}, func(string) string { return "" }, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("got %v, want flag.ErrHelp", err)
	}
	for _, s := range []string{"Trusted Browser", "SENDSAFELY_API_SECRET", "-api-url", "finalized from now on"} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("help does not mention %q:\n%s", s, stderr.String())
		}
	}
}
