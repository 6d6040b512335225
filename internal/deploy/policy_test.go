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
	for _, tt := range []struct {
		name  string
		extra map[string]string
	}{
		{"Tracing=Disabled", map[string]string{"Tracing": "Disabled"}},
		{"Tracing=Active", map[string]string{"Tracing": "Active"}},
		{"no hand-off", map[string]string{"CallbackUrl": "", "ConnectInstanceArn": ""}},
		{"callback only", map[string]string{"ConnectInstanceArn": ""}},
		{"no files bucket", map[string]string{"FilesBucket": ""}},
		{"an existing files bucket", map[string]string{"FilesBucket": "acme-files"}},
		// The scan's events invoke the function through its resource policy
		// (MalwareScanPermission): its role needs nothing more.
		{"no malware scan", map[string]string{"MalwareScan": "false"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			extra := tt.extra
			values := stackValues(extra)
			tracing := values["Tracing"]
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
			if values["CallbackUrl"] != "" || values["ConnectInstanceArn"] != "" {
				// The delivery queue: read by the event source mapping with
				// the function's role, visibility extended to retry.
				for _, a := range []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"} {
					want[a] = getAtt("DeliveryQueue", "Arn")
				}
			}
			if values["ConnectInstanceArn"] != "" {
				want["connect:UpdateContact"] = map[string]any{"Fn::Sub": "${ConnectInstanceArn}/contact/*"}
			}
			if values["FilesBucket"] != "" {
				// Retrieval: objects under the prefix and its staging prefix
				// only, the files key through S3, the files queue.
				bucket := map[string]any{"Bucket": ref("FilesBucket")}
				if values["FilesBucket"] == "create" {
					bucket["Bucket"] = ref("FilesBucketStore")
				}
				objects := []any{
					map[string]any{"Fn::Sub": []any{"arn:${AWS::Partition}:s3:::${Bucket}/uploads/*", bucket}},
					map[string]any{"Fn::Sub": []any{"arn:${AWS::Partition}:s3:::${Bucket}/uploads.staging/*", bucket}},
				}
				for _, a := range []string{"s3:PutObject", "s3:PutObjectTagging", "s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"} {
					want[a] = objects
				}
				for _, a := range []string{"kms:GenerateDataKey", "kms:Decrypt"} {
					want[a] = []any{getAtt("EventsKey", "Arn"), getAtt("FilesKey", "Arn")}
				}
				for _, a := range []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"} {
					if want[a] == nil {
						want[a] = getAtt("FilesQueue", "Arn")
					} else {
						want[a] = []any{want[a], getAtt("FilesQueue", "Arn")}
					}
				}
				want["sqs:SendMessage"] = getAtt("FilesQueue", "Arn")
			}
			checkRole(t, tmpl, newScope(tmpl, stackValues(extra)), want)
		})
	}
}

// checkRole checks the function's role, its conditions resolved in s,
// against want: each action it must allow, and on which resources alone
// (a list where it is allowed on several, all of which it must be).
func checkRole(t *testing.T, tmpl cfnTemplate, s scope, want map[string]any) {
	t.Helper()
	var fn struct{ Role any }
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	if !reflect.DeepEqual(fn.Role, getAtt("ConnectorFunctionRole", "Arn")) {
		t.Errorf("function Role = %s, want the template's ConnectorFunctionRole", show(fn.Role))
	}
	for id, r := range tmpl.Resources {
		// The scanner's role and its policy: TestScanRole.
		if strings.HasPrefix(r.Type, "AWS::IAM::") && !slices.Contains([]string{"ConnectorFunctionRole", "SweepScheduleRole", "MalwareScanRole", "MalwareScanPolicy"}, id) {
			t.Errorf("unexpected IAM resource %s (%s): the function role, the sweep's and the scanner's are the only ones", id, r.Type)
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

	got := map[string][]any{}
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
				for _, res := range list(st.Resource) {
					if !slices.ContainsFunc(list(wantRes), func(w any) bool { return reflect.DeepEqual(w, res) }) {
						t.Errorf("statement %q: %s on %s, want only %s", st.Sid, action, show(res), show(wantRes))
					}
					got[action] = append(got[action], res)
				}
				if strings.HasPrefix(action, "kms:") {
					service := "sns"
					if reflect.DeepEqual(list(st.Resource), []any{getAtt("FilesKey", "Arn")}) {
						service = "s3"
					}
					via := st.Condition["StringEquals"]["kms:ViaService"]
					if !reflect.DeepEqual(via, map[string]any{"Fn::Sub": service + ".${AWS::Region}.amazonaws.com"}) {
						t.Errorf("statement %q: %s not limited to use through %s (kms:ViaService = %s)", st.Sid, action, service, show(via))
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
	for action, res := range want {
		for _, r := range list(res) {
			if !slices.ContainsFunc(got[action], func(g any) bool { return reflect.DeepEqual(g, r) }) {
				t.Errorf("role does not allow %s on %s, which the function needs", action, show(r))
			}
		}
	}
	if t.Failed() {
		t.Logf("the actions the function calls: %v", slices.Sorted(maps.Keys(want)))
	}
}

// TestSweepScheduleRole: EventBridge Scheduler, and only it (from this
// account), may assume the sweep's role, which may invoke this function and
// nothing else; the schedule sends exactly {"action":"sweep"}.
func TestSweepScheduleRole(t *testing.T) {
	tmpl := transformed(t, nil)
	var role struct {
		AssumeRolePolicyDocument policyDocument
		ManagedPolicyArns        []any
		Policies                 []struct{ PolicyDocument policyDocument }
	}
	tmpl.resource(t, "SweepScheduleRole", "AWS::IAM::Role", &role)
	trust := role.AssumeRolePolicyDocument.Statement
	if len(trust) != 1 || !reflect.DeepEqual(trust[0].Principal, map[string]any{"Service": "scheduler.amazonaws.com"}) ||
		trust[0].Condition["StringEquals"]["aws:SourceAccount"] == nil {
		t.Errorf("trust policy = %s, want EventBridge Scheduler of this account alone", show(trust))
	}
	if len(role.ManagedPolicyArns) > 0 {
		t.Errorf("managed policies %s", show(role.ManagedPolicyArns))
	}
	var n int
	for _, p := range role.Policies {
		for _, st := range p.PolicyDocument.Statement {
			n++
			if st.Effect != "Allow" || !reflect.DeepEqual(list(st.Action), []any{"lambda:InvokeFunction"}) ||
				!reflect.DeepEqual(st.Resource, getAtt("ConnectorFunction", "Arn")) {
				t.Errorf("statement %s, want lambda:InvokeFunction on the connector function only", show(st))
			}
		}
	}
	if n != 1 {
		t.Errorf("%d statements, want 1", n)
	}
	var sched struct {
		ScheduleExpression any
		Target             struct {
			Arn, RoleArn any
			Input        string
		}
	}
	tmpl.resource(t, "SweepSchedule", "AWS::Scheduler::Schedule", &sched)
	if !reflect.DeepEqual(sched.ScheduleExpression, ref("SweepRate")) || sched.Target.Input != `{"action":"sweep"}` ||
		!reflect.DeepEqual(sched.Target.Arn, getAtt("ConnectorFunction", "Arn")) || !reflect.DeepEqual(sched.Target.RoleArn, getAtt("SweepScheduleRole", "Arn")) {
		t.Errorf("schedule = %s", show(sched))
	}
}

// TestNoSweepScheduleWhenEmpty: the schedule and its role exist only
// under a condition that an empty SweepRate makes false ("none when
// empty"), and the default makes true.
func TestNoSweepScheduleWhenEmpty(t *testing.T) {
	tmpl := transformed(t, nil)
	for _, id := range []string{"SweepSchedule", "SweepScheduleRole"} {
		r, ok := tmpl.Resources[id]
		if !ok {
			t.Fatalf("no %s", id)
		}
		if r.Condition == "" {
			t.Fatalf("%s has no condition: it would exist with an empty SweepRate", id)
		}
		for rate, want := range map[string]bool{"": false, "rate(1 minute)": true} {
			if got := newScope(tmpl, stackValues(map[string]string{"SweepRate": rate})).cond(t, r.Condition); got != want {
				t.Errorf("%s with SweepRate %q: condition %s is %v, want %v", id, rate, r.Condition, got, want)
			}
		}
	}
}
