package deploy

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestFileCallbackTemplate: FileCallbackUrl reaches the function only
// with a files bucket (a rule refuses it without one), the files queue
// then also takes upload.stored and upload.scanned (the files function
// posts the files), and the delivery queue is not made for it.
func TestFileCallbackTemplate(t *testing.T) {
	const receiver = "https://receiver.example/files"
	for _, tt := range []struct {
		name       string
		params     map[string]string
		env        string
		filter     string
		deliveries bool
	}{
		{"off", map[string]string{"FilesBucket": "create", "CallbackUrl": "", "ConnectInstanceArn": ""}, "", "[upload.submitted]", false},
		{"on", map[string]string{"FilesBucket": "create", "FileCallbackUrl": receiver, "CallbackUrl": "", "ConnectInstanceArn": ""},
			receiver, "[upload.submitted upload.stored upload.scanned]", false},
		{"on beside the link callback", map[string]string{"FilesBucket": "acme-files", "FileCallbackUrl": receiver,
			"CallbackUrl": "https://receiver.example/links"}, receiver, "[upload.submitted upload.stored upload.scanned]", true},
		{"without a bucket", map[string]string{"FilesBucket": "", "FileCallbackUrl": receiver, "CallbackUrl": "", "ConnectInstanceArn": ""},
			"", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := transformed(t, tt.params)
			s := newScope(tmpl, stackValues(tt.params))
			var fn struct {
				Environment struct{ Variables map[string]any }
			}
			tmpl.resource(t, "FilesFunction", "AWS::Lambda::Function", &fn)
			if got := fmt.Sprint(s.eval(t, fn.Environment.Variables["FILE_CALLBACK_URL"])); got != tt.env {
				t.Errorf("FILE_CALLBACK_URL = %q, want %q", got, tt.env)
			}
			if got := s.cond(t, "HasHandoff"); got != tt.deliveries {
				t.Errorf("delivery queue made: %v, want %v", got, tt.deliveries)
			}
			if tt.filter == "" {
				return
			}
			var sub struct{ FilterPolicy any }
			tmpl.resource(t, "FilesSubscription", "AWS::SNS::Subscription", &sub)
			policy, _ := resolveConditions(t, s, sub.FilterPolicy).(map[string]any)
			if got := fmt.Sprint(policy["type"]); got != tt.filter {
				t.Errorf("files subscription takes %s, want %s", got, tt.filter)
			}
		})
	}
}

// TestFileCallbackNeedsABucket: the template's rule refuses FileCallbackUrl
// without FilesBucket, so the stack says so before anything is made.
func TestFileCallbackNeedsABucket(t *testing.T) {
	var tmpl struct {
		Rules map[string]struct {
			RuleCondition any
			Assertions    []struct {
				Assert            any
				AssertDescription string
			}
		}
	}
	if err := json.Unmarshal(transform(t, nil), &tmpl); err != nil {
		t.Fatal(err)
	}
	r, ok := tmpl.Rules["FileCallbackNeedsFilesBucket"]
	want := `{"Fn::Not":[{"Fn::Equals":[{"Ref":"FilesBucket"},""]}]}`
	if !ok || len(r.Assertions) != 1 {
		t.Fatalf("rules %+v: want FileCallbackNeedsFilesBucket with one assertion", tmpl.Rules)
	}
	cond, _ := json.Marshal(r.RuleCondition)
	got, _ := json.Marshal(r.Assertions[0].Assert)
	if string(got) != want || string(cond) != `{"Fn::Not":[{"Fn::Equals":[{"Ref":"FileCallbackUrl"},""]}]}` {
		t.Errorf("rule when %s asserts %s, want %s", cond, got, want)
	}
}
