package main

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/bolt"
)

// TestErrorsHint: the errors a first run meets say what to do about them.
// The port is really taken and the data folder really locked, by the test.
func TestErrorsHint(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)

	locked := t.TempDir()
	holder, err := bolt.Open(locked)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()

	for _, tt := range []struct {
		name     string
		args     []string
		vars     map[string]string
		wantCode int
		want     []string // each in the error
		notWant  []string
	}{
		{"port in use", []string{"-port", busyPort, "-page-port", "0", "-sendsafely-port", "0", "-data", t.TempDir()}, nil, 1,
			[]string{"port " + busyPort + " is in use", "-port", envPort}, []string{"-page-port"}},
		{"port in use, from the variable", nil, map[string]string{envPort: busyPort, envPagePort: "0", envSendSafelyPort: "0", envData: t.TempDir()}, 1,
			[]string{"port " + busyPort + " is in use", "-port", envPort}, nil},
		{"page port in use", []string{"-port", "0", "-page-port", busyPort, "-sendsafely-port", "0", "-data", t.TempDir()}, nil, 1,
			[]string{"port " + busyPort + " is in use", "-page-port", envPagePort}, nil},
		{"data folder locked", []string{"-port", "0", "-page-port", "0", "-sendsafely-port", "0", "-data", locked}, nil, 1,
			[]string{"in use by another process", "another connector-dev", "-data", envData, locked}, nil},
		{"invoke on a locked data folder", []string{"invoke", "-data", locked, "../../testdata/events/generateId.json"}, nil, 1,
			[]string{"another connector-dev", "-data"}, nil},
		{"notify without a key", []string{"notify", "-url", "http://127.0.0.1:1/webhook", "-upload-id", "u", "-email", testEmail}, nil, 2,
			[]string{"-key is required", envValidationKey, ".data/validation-key"}, []string{"-url", "-email is"}},
		{"notify without anything", []string{"notify"}, nil, 2,
			[]string{"-url is required", "-key is required", envValidationKey, "-upload-id is required", "-email is required"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, func(k string) string { return tt.vars[k] }, &stdout, &stderr)
			if err == nil {
				t.Fatal("succeeded")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("error %q names %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q is more than one line", msg)
			}
			if code := exitCode(err, &stderr); code != tt.wantCode {
				t.Errorf("exit status: got %d, want %d", code, tt.wantCode)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

// TestSigningRefusedIsLogged: when the stand-in page cannot get a
// submission signed, the page says "Submission failed" and the terminal
// gets one line saying why, without the form's values.
func TestSigningRefusedIsLogged(t *testing.T) {
	d := startDev(t, backendEmbedded, t.TempDir(), nil)
	full := url.Values{"name": {"upload-1"}, "email": {testEmail}, "packageCode": {"pc-secret"}, "publicApiKey": {defaultDropzoneID}, "packageId": {"ABCD-1234"}}
	for _, tt := range []struct {
		name   string
		drop   string // the form field left out
		status int
		reason string
	}{
		{"no email", "email", 400, "missing field email"},
		{"no upload id", "name", 400, "missing field name"},
		{"no package code", "packageCode", 400, "missing field packageCode"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range full {
				if k != tt.drop {
					form[k] = v
				}
			}
			before := len(d.logs.String())
			st, m := d.signAsPage(t, form)
			if st != tt.status || m["success"] != "false" {
				t.Fatalf("got %d %v, want %d and success false", st, m, tt.status)
			}
			logged := d.logs.String()[before:]
			if !strings.Contains(logged, `"msg":"upload page stand-in: signing refused"`) ||
				!strings.Contains(logged, `"reason":"`+tt.reason+`"`) || !strings.Contains(logged, `"status":`+strconv.Itoa(tt.status)) {
				t.Errorf("log %q, want a line with reason %q and status %d", logged, tt.reason, tt.status)
			}
			for _, v := range []string{testEmail, "pc-secret", "upload-1"} {
				if strings.Contains(logged, v) {
					t.Errorf("log %q carries %q", logged, v)
				}
			}
		})
	}
	before := len(d.logs.String())
	if st, _ := d.signAsPage(t, full); st != 200 {
		t.Fatalf("a full form: got %d, want 200", st)
	}
	if logged := d.logs.String()[before:]; strings.Contains(logged, "signing refused") {
		t.Errorf("a signed request logged %q", logged)
	}
}
