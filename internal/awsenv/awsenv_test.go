package awsenv_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/sendsafely/chatbot-connector/internal/awsenv"
)

func TestConfig(t *testing.T) {
	lambda := map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token"}
	for _, tt := range []struct {
		name     string
		env      map[string]string
		region   string
		endpoint string
		err      string
	}{
		{name: "lambda", env: lambda, region: "us-east-1"},
		{name: "emulator", env: with(lambda, "AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), region: "us-east-1", endpoint: "http://127.0.0.1:5000"},
		{name: "default region", env: with(with(lambda, "AWS_REGION", ""), "AWS_DEFAULT_REGION", "eu-west-1"), region: "eu-west-1"},
		{name: "no region", env: with(lambda, "AWS_REGION", ""), err: "AWS_REGION"},
		{name: "no key id", env: with(lambda, "AWS_ACCESS_KEY_ID", ""), err: "AWS_ACCESS_KEY_ID"},
		{name: "no secret", env: with(lambda, "AWS_SECRET_ACCESS_KEY", " "), err: "AWS_SECRET_ACCESS_KEY"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := awsenv.Config(func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an error naming %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Region != tt.region {
				t.Errorf("region: got %q, want %q", cfg.Region, tt.region)
			}
			if got := deref(cfg.BaseEndpoint); got != tt.endpoint {
				t.Errorf("endpoint: got %q, want %q", got, tt.endpoint)
			}
			creds, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil || creds.AccessKeyID != "AKIDEXAMPLE" || creds.SessionToken != "token" {
				t.Errorf("credentials: %v, %v", creds.AccessKeyID, err)
			}
		})
	}
}

func with(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for mk, mv := range m {
		if mk != k {
			out[mk] = mv
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestServiceEndpoint: AWS_ENDPOINT_URL_<SERVICE> points one service's
// client at its own endpoint (Amazon Connect at a stand-in, say), as the
// contract promises; without it the client keeps the global endpoint.
func TestServiceEndpoint(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"service endpoint", map[string]string{"AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:4566"}, "http://127.0.0.1:4566"},
		{"neither", map[string]string{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"}
			maps.Copy(env, tt.env)
			cfg, err := awsenv.Config(func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(connect.NewFromConfig(cfg).Options().BaseEndpoint); got != tt.want {
				t.Errorf("Connect endpoint: got %q, want %q", got, tt.want)
			}
		})
	}
}
