package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

const (
	// templatePath is the SAM template, from this package's directory.
	templatePath = "../../template.yaml"
	// codeBucket and codeKey stand in for where `sam deploy` uploads the
	// built function; the stack test puts a dummy zip there.
	codeBucket = "connector-code"
	codeKey    = "connector.zip"
)

// params are the stack parameters the tests deploy with: the two required
// ones, and the three subscriptions so that their conditional resources
// exist.
var params = map[string]string{
	"SendSafelyHost":       "acme.sendsafely.com",
	"DropzoneId":           "DZ-TEST-1",
	"NotificationEmail":    "ops@example.com",
	"NotificationHttpsUrl": "https://hooks.example.com/sendsafely",
	"AlarmEmail":           "oncall@example.com",
	"CallbackUrl":          "https://receiver.example.com/hook",
	"ConnectInstanceArn":   "arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
	"FilesBucket":          "create",
	"MalwareScan":          "true",
}

// unavailable skips t because a tool it needs is missing, or fails it under
// CI=true, where tests never skip silently.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; `make test` installs it"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// transform runs testdata/transform.py (aws-sam-translator) on the template
// with params, overridden by extra, and returns the CloudFormation it
// produces, as JSON. The values matter: SAM puts some of them in its output.
func transform(t *testing.T, extra map[string]string) []byte {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		unavailable(t, "python3 is not installed")
	}
	args := []string{"testdata/transform.py", templatePath, "s3://" + codeBucket + "/" + codeKey}
	for k, v := range params {
		if _, ok := extra[k]; !ok {
			args = append(args, k+"="+v)
		}
	}
	for k, v := range extra {
		args = append(args, k+"="+v)
	}
	key := strings.Join(slices.Sorted(slices.Values(args[3:])), "\x00")
	if out, ok := transforms.Load(key); ok {
		return out.([]byte)
	}
	cmd := exec.CommandContext(t.Context(), python, args...)
	// The translator asks boto for a region to build ARNs with.
	cmd.Env = append(os.Environ(), "AWS_DEFAULT_REGION=us-east-1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) && exit.ExitCode() == 3 {
		unavailable(t, "%s", bytes.TrimSpace(stderr.Bytes()))
	}
	if err != nil {
		t.Fatalf("transform.py: %v\n%s", err, stderr.Bytes())
	}
	transforms.Store(key, stdout.Bytes())
	return stdout.Bytes()
}

// transforms keeps each transform's output by its parameter values: the
// translator takes seconds a run, and the tests ask for the same few.
// Callers decode the bytes afresh and never change them.
var transforms sync.Map

// cfnTemplate is the part of a CloudFormation template the tests read.
type cfnTemplate struct {
	Parameters map[string]struct{ Default any }
	Conditions map[string]any
	Rules      map[string]cfnRule
	Resources  map[string]cfnResource
	Outputs    map[string]struct{ Value any }
}

// cfnRule is a rule of the template's parameters: with RuleCondition
// true, every Assert must hold.
type cfnRule struct {
	RuleCondition any
	Assertions    []struct{ Assert any }
}

type cfnResource struct {
	Type                string
	Condition           string
	DeletionPolicy      string
	UpdateReplacePolicy string
	Metadata            map[string]any
	DependsOn           any
	Properties          json.RawMessage
}

// transformed returns the transformed template, decoded; see transform.
func transformed(t *testing.T, extra map[string]string) cfnTemplate {
	t.Helper()
	var tmpl cfnTemplate
	if err := json.Unmarshal(transform(t, extra), &tmpl); err != nil {
		t.Fatalf("decode transformed template: %v", err)
	}
	return tmpl
}

// resource returns the resource logicalID of type typ, its properties
// decoded into props.
func (tmpl cfnTemplate) resource(t *testing.T, logicalID, typ string, props any) cfnResource {
	t.Helper()
	r, ok := tmpl.Resources[logicalID]
	if !ok {
		t.Fatalf("no resource %s", logicalID)
	}
	if r.Type != typ {
		t.Fatalf("%s is a %s, want %s", logicalID, r.Type, typ)
	}
	if props != nil {
		if err := json.Unmarshal(r.Properties, props); err != nil {
			t.Fatalf("%s properties: %v", logicalID, err)
		}
	}
	return r
}

// ref and getAtt build the intrinsic functions as they appear in JSON.
func ref(name string) any { return map[string]any{"Ref": name} }

func getAtt(name, attr string) any {
	return map[string]any{"Fn::GetAtt": []any{name, attr}}
}

// show prints a decoded JSON value for a failure message.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
