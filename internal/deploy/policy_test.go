package deploy

import (
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
// reviewable form of "least privilege".
func TestFunctionRoleIsLeastPrivilege(t *testing.T) {
	tmpl := transformed(t, nil)

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

	var role struct {
		AssumeRolePolicyDocument policyDocument
		ManagedPolicyArns        []any
		PermissionsBoundary      any
		Policies                 []struct {
			PolicyName     string
			PolicyDocument policyDocument
		}
	}
	tmpl.resource(t, "ConnectorFunctionRole", "AWS::IAM::Role", &role)
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
					t.Errorf("statement %q has a wildcard resource %q", st.Sid, s)
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
