package deploy

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// statement is one IAM policy statement; Action and Resource may be a single
// value or a list.
type statement struct {
	Sid         string
	Effect      string
	Principal   any
	Action      any
	NotAction   any
	Resource    any
	NotResource any
	Condition   map[string]map[string]any
}

type policyDocument struct {
	Statement []statement
}

// list returns v as a list: a list as it is, anything else as its only item.
func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// TestFunctionRoleIsLeastPrivilege checks that the function's role allows
// exactly the calls the code makes, each on this stack's own resource: the
// reviewable form of "least privilege". With Tracing Active it also allows
// the two calls Lambda makes to X-Ray, on "*", the only resource they take.
func TestFunctionRoleIsLeastPrivilege(t *testing.T) {
	for _, tracing := range []string{"Disabled", "Active"} {
		t.Run("Tracing="+tracing, func(t *testing.T) {
			extra := map[string]string{"Tracing": tracing}
			tmpl := transformed(t, extra)
			// Which resource each action may be used on.
			want := map[string]any{
				"logs:CreateLogStream":          getAtt("ConnectorLogGroup", "Arn"),
				"logs:PutLogEvents":             getAtt("ConnectorLogGroup", "Arn"),
				"dynamodb:GetItem":              getAtt("UploadsTable", "Arn"),
				"dynamodb:PutItem":              getAtt("UploadsTable", "Arn"),
				"sns:Publish":                   ref("EventsTopic"),
				"secretsmanager:GetSecretValue": ref("ConnectorSecret"),
				// Publishing to a topic encrypted under a customer managed key.
				"kms:GenerateDataKey": getAtt("EventsKey", "Arn"),
				"kms:Decrypt":         getAtt("EventsKey", "Arn"),
			}
			if tracing == "Active" {
				want["xray:PutTraceSegments"] = "*"
				want["xray:PutTelemetryRecords"] = "*"
			}
			checkRole(t, tmpl, newScope(tmpl, stackValues(extra)), want)
		})
	}
}

// checkRole checks the function's role, its conditions resolved in s,
// against want: each action it must allow, and on which resource alone.
func checkRole(t *testing.T, tmpl cfnTemplate, s scope, want map[string]any) {
	t.Helper()
	var fn struct{ Role any }
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	if !reflect.DeepEqual(fn.Role, getAtt("ConnectorFunctionRole", "Arn")) {
		t.Errorf("function Role = %s, want the template's ConnectorFunctionRole", show(fn.Role))
	}
	for id, r := range tmpl.Resources {
		if strings.HasPrefix(r.Type, "AWS::IAM::") && id != "ConnectorFunctionRole" {
			t.Errorf("unexpected IAM resource %s (%s): the function role is the only one", id, r.Type)
		}
	}

	var props map[string]any
	tmpl.resource(t, "ConnectorFunctionRole", "AWS::IAM::Role", &props)
	b, err := json.Marshal(resolveConditions(t, s, props))
	if err != nil {
		t.Fatal(err)
	}
	var role struct {
		AssumeRolePolicyDocument policyDocument
		ManagedPolicyArns        []any
		PermissionsBoundary      any
		Policies                 []struct {
			PolicyName     string
			PolicyDocument policyDocument
		}
	}
	if err := json.Unmarshal(b, &role); err != nil {
		t.Fatalf("role properties %s: %v", b, err)
	}
	if len(role.ManagedPolicyArns) > 0 {
		t.Errorf("role has managed policies %s: every permission must be written out", show(role.ManagedPolicyArns))
	}
	trust := role.AssumeRolePolicyDocument.Statement
	if len(trust) != 1 || !reflect.DeepEqual(trust[0].Principal, map[string]any{"Service": "lambda.amazonaws.com"}) ||
		trust[0].Action != "sts:AssumeRole" {
		t.Errorf("role trust policy = %s, want Lambda alone to assume it", show(trust))
	}

	got := map[string]bool{}
	for _, p := range role.Policies {
		if p.PolicyName == "" || len(p.PolicyDocument.Statement) == 0 {
			t.Errorf("policy %s is not a named policy with statements", show(p))
		}
		for _, st := range p.PolicyDocument.Statement {
			if st.Effect != "Allow" || st.NotAction != nil || st.NotResource != nil {
				t.Errorf("statement %q: want a plain Allow with Action and Resource, got %s", st.Sid, show(st))
				continue
			}
			for _, a := range list(st.Action) {
				action, _ := a.(string)
				wantRes, ok := want[action]
				if !ok {
					t.Errorf("statement %q allows %s, which the function does not call", st.Sid, show(a))
					continue
				}
				got[action] = true
				if res := list(st.Resource); len(res) != 1 || !reflect.DeepEqual(res[0], wantRes) {
					t.Errorf("statement %q: %s on %s, want only %s", st.Sid, action, show(st.Resource), show(wantRes))
				}
				if strings.HasPrefix(action, "kms:") {
					via := st.Condition["StringEquals"]["kms:ViaService"]
					if !reflect.DeepEqual(via, map[string]any{"Fn::Sub": "sns.${AWS::Region}.amazonaws.com"}) {
						t.Errorf("statement %q: %s not limited to use through SNS (kms:ViaService = %s)", st.Sid, action, show(via))
					}
				}
			}
			for _, r := range list(st.Resource) {
				if s, ok := r.(string); ok && strings.Contains(s, "*") {
					for _, a := range list(st.Action) {
						if want[a.(string)] != "*" {
							t.Errorf("statement %q has a wildcard resource %q for %s", st.Sid, s, a)
						}
					}
				}
			}
		}
	}
	for action := range want {
		if !got[action] {
			t.Errorf("role does not allow %s, which the function needs", action)
		}
	}
	if t.Failed() {
		t.Logf("the actions the function calls: %v", slices.Sorted(maps.Keys(want)))
	}
}
