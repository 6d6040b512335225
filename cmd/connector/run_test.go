package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
)

func goodEnv() map[string]string {
	return map[string]string{
		"TABLE_NAME": "uploads", "TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:events",
		"SECRET_ARN":      "arn:aws:secretsmanager:us-east-1:123456789012:secret:connector",
		"SENDSAFELY_HOST": "acme.sendsafely.com", "DROPZONE_ID": "DZ",
	}
}

func TestStartRefusesBadConfiguration(t *testing.T) {
	for _, tt := range []struct{ name, key, value, also string }{
		{"missing table", "TABLE_NAME", "", ""},
		{"malformed ttl", "UPLOAD_TTL", "one day", ""},
		{"host with scheme", "SENDSAFELY_HOST", "https://acme.sendsafely.com", ""},
		// Without the queue no callback would ever be made.
		{"callback without the delivery queue", "CALLBACK_URL", "https://receiver.example.com/hook", "DELIVERY_QUEUE_URL"},
		{"contacts without the delivery queue", "CONNECT_INSTANCE_ARN", "arn:aws:connect:us-east-1:123456789012:instance/abc", "DELIVERY_QUEUE_URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := goodEnv()
			env[tt.key] = tt.value
			err := run(context.Background(), func(k string) string { return env[k] })
			if err == nil || !strings.Contains(err.Error(), tt.key) || !strings.Contains(err.Error(), tt.also) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line naming %s %s", err, tt.key, tt.also)
			}
		})
	}
}

// TestStartNamesEverythingAtOnce: the function's variables and the AWS
// settings Lambda provides are both checked before the start fails, and
// every problem is on the one line it logs.
func TestStartNamesEverythingAtOnce(t *testing.T) {
	env := goodEnv()
	delete(env, "TABLE_NAME")
	env["UPLOAD_TTL"] = "one day"
	err := run(context.Background(), func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("started")
	}
	for _, want := range []string{"TABLE_NAME", "UPLOAD_TTL", "AWS_REGION"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("got %q, want one line", err)
	}
}

// TestStartMakesNoNetworkCall: the handler is built without touching AWS;
// the secret is read on first use, not at start.
func TestStartMakesNoNetworkCall(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	env := goodEnv()
	env["AWS_ENDPOINT_URL"] = "http://" + l.Addr().String()
	env["AWS_REGION"] = "us-east-1"
	env["AWS_ACCESS_KEY_ID"] = "testing"
	env["AWS_SECRET_ACCESS_KEY"] = "testing"
	h, err := newHandler(context.Background(), platform{getenv: func(k string) string { return env[k] }, logs: &bytes.Buffer{}})
	if err != nil || h == nil {
		t.Fatalf("newHandler: %v", err)
	}
	if n := conns.Load(); n != 0 {
		t.Fatalf("start-up opened %d connections", n)
	}
	// The listener does count: the first request does reach it.
	c := &cloud{h: h}
	if st, _, _ := c.call(t, "POST", "/", `{"action":"generateId"}`, nil); st != 503 {
		t.Errorf("first call with AWS unreachable: got %d, want 503", st)
	}
	if conns.Load() == 0 {
		t.Error("the first call made no connection either: the check above proves nothing")
	}
}
