package deploy

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
)

// Stand-ins for another scanner: cdk-serverless-clamscan's tag, and the
// role it reads files with.
const (
	otherTag        = "scan-status"
	otherClean      = "CLEAN"
	otherScannerArn = "arn:aws:iam::123456789012:role/clamscan-ServerlessClamscanRole-XYZ"
	tagRuleArn      = "arn:aws:events:us-east-1:123456789012:rule/chatbot-connector-MalwareTagRule-ABC"
)

// tagScope is scanScope with another scanner's tag, clean value and role.
func tagScope(tmpl cfnTemplate, bucket string) scope {
	s := scanScope(tmpl, bucket, "true")
	s.params["MalwareScanTag"], s.params["MalwareCleanValue"], s.params["MalwareScannerRoleArn"] = otherTag, otherClean, otherScannerArn
	s.params["MalwareTagRule.Arn"] = tagRuleArn
	return s
}

// TestScanTagConditions: GuardDuty's tag (the default) makes GuardDuty's
// resources and not the tag rule's; another scanner's tag the tag rule's
// and none of GuardDuty's; the function is told the tag and its clean
// value, and starts on them.
func TestScanTagConditions(t *testing.T) {
	tmpl := transformed(t, nil)
	for _, id := range tagResources {
		if r, ok := tmpl.Resources[id]; !ok || r.Condition != "ScanWithOtherScanner" {
			t.Errorf("%s: condition %q, want ScanWithOtherScanner", id, r.Condition)
		}
	}
	var fn struct {
		Environment struct{ Variables map[string]any }
	}
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	for _, tt := range []struct {
		name             string
		s                scope
		guardDuty, other bool
		tag, clean       string
	}{
		{"GuardDuty's tag", scanScope(tmpl, "create", "true"), true, false, config.DefaultMalwareScanTag, config.DefaultMalwareCleanValue},
		{"another scanner, own bucket", tagScope(tmpl, "create"), false, true, otherTag, otherClean},
		{"another scanner, existing bucket", tagScope(tmpl, "acme-files"), false, true, otherTag, otherClean},
		{"another scanner, scan off", func() scope { s := tagScope(tmpl, "create"); s.params["MalwareScan"] = "false"; return s }(), false, false, otherTag, otherClean},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if g, o := tt.s.cond(t, "ScanWithGuardDuty"), tt.s.cond(t, "ScanWithOtherScanner"); g != tt.guardDuty || o != tt.other {
				t.Errorf("ScanWithGuardDuty %v, ScanWithOtherScanner %v; want %v, %v", g, o, tt.guardDuty, tt.other)
			}
			cfg, err := config.Load(environment(t, tt.s, fn.Environment.Variables))
			if err != nil {
				t.Fatalf("the function would not start: %v", err)
			}
			if cfg.Scan.Tag != tt.tag || cfg.Scan.CleanValue != tt.clean {
				t.Errorf("scan configuration %+v, want tag %s=%s", cfg.Scan, tt.tag, tt.clean)
			}
		})
	}
}

// TestScanTagRule: with another scanner, S3's "Object Tags Added" events
// of this bucket's files prefix, and no other event, go to the connector
// function, which lets this rule alone of them invoke it.
func TestScanTagRule(t *testing.T) {
	tmpl := transformed(t, nil)
	for _, bucket := range []string{"create", "acme-files"} {
		t.Run("FilesBucket="+bucket, func(t *testing.T) {
			s := tagScope(tmpl, bucket)
			name := bucket
			if bucket == "create" {
				name = ownBucket
			}
			var rule struct {
				EventPattern map[string]any
				Targets      []struct{ Id, Arn string }
			}
			tmpl.resolved(t, s, "MalwareTagRule", "AWS::Events::Rule", &rule)
			want := map[string]any{
				"source":      []any{"aws.s3"},
				"detail-type": []any{"Object Tags Added"},
				"detail": map[string]any{
					"bucket": map[string]any{"name": []any{name}},
					"object": map[string]any{"key": []any{map[string]any{"prefix": "uploads/"}}},
				},
			}
			if !reflect.DeepEqual(rule.EventPattern, want) {
				t.Errorf("event pattern %s, want %s", show(rule.EventPattern), show(want))
			}
			if len(rule.Targets) != 1 || rule.Targets[0].Arn != connectorArn {
				t.Errorf("targets %s, want the connector function alone", show(rule.Targets))
			}
			var perm struct{ Action, FunctionName, Principal, SourceArn string }
			tmpl.resolved(t, s, "MalwareTagPermission", "AWS::Lambda::Permission", &perm)
			if want := (struct{ Action, FunctionName, Principal, SourceArn string }{"lambda:InvokeFunction", connectorArn, "events.amazonaws.com", tagRuleArn}); perm != want {
				t.Errorf("permission %+v, want %+v", perm, want)
			}
		})
	}
}

// TestScanTagBucket: the stack's own bucket sends its events to
// EventBridge with another scanner only (GuardDuty's plan turns that on
// itself, and without scanning nothing listens).
func TestScanTagBucket(t *testing.T) {
	tmpl := transformed(t, nil)
	for _, tt := range []struct {
		name string
		s    scope
		want bool
	}{
		{"another scanner", tagScope(tmpl, "create"), true},
		{"GuardDuty", scanScope(tmpl, "create", "true"), false},
		{"no scan", scanScope(tmpl, "create", "false"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var bucket struct {
				NotificationConfiguration *struct {
					EventBridgeConfiguration struct{ EventBridgeEnabled any }
				}
			}
			tmpl.resolved(t, tt.s, "FilesBucketStore", "AWS::S3::Bucket", &bucket)
			n := bucket.NotificationConfiguration
			if got := n != nil && n.EventBridgeConfiguration.EventBridgeEnabled == true; got != tt.want || (n != nil && !got) {
				t.Errorf("notification configuration %s, want EventBridge on: %v", show(n), tt.want)
			}
		})
	}
}

// TestScanTagBucketPolicy: with another scanner, the stack's own bucket
// refuses to anyone but that scanner's role the reads of a file of the
// prefix not tagged clean with its tag, and still refuses plain HTTP; the
// template refuses another scanner on its own bucket without that role.
func TestScanTagBucketPolicy(t *testing.T) {
	tmpl := transformed(t, nil)
	var policy struct{ PolicyDocument any }
	tmpl.resolved(t, tagScope(tmpl, "create"), "FilesBucketPolicy", "AWS::S3::BucketPolicy", &policy)
	str, ok := policy.PolicyDocument.(string)
	if !ok {
		t.Fatalf("policy document %s, want the JSON string that names the scanner's tag", show(policy.PolicyDocument))
	}
	var doc policyDocument
	if err := json.Unmarshal([]byte(str), &doc); err != nil {
		t.Fatalf("policy document %q: %v", str, err)
	}
	st := doc.Statement
	if len(st) != 2 || st[0].Sid != "TlsOnly" || st[0].Effect != "Deny" || st[0].Action != "s3:*" ||
		st[0].Condition["Bool"]["aws:SecureTransport"] != "false" ||
		!reflect.DeepEqual(list(st[0].Resource), []any{"arn:aws:s3:::" + ownBucket, "arn:aws:s3:::" + ownBucket + "/*"}) {
		t.Fatalf("bucket policy %s, want the TLS-only deny and the scan's", show(st))
	}
	deny := st[1]
	if deny.Effect != "Deny" || deny.Principal != "*" || deny.Action != "s3:GetObject" || deny.Resource != "arn:aws:s3:::"+ownBucket+"/uploads/*" {
		t.Errorf("scan statement %s, want s3:GetObject on the prefix's objects denied to every principal", show(deny))
	}
	if want := map[string]map[string]any{
		"StringNotEquals": {"s3:ExistingObjectTag/" + otherTag: otherClean},
		"ArnNotEquals":    {"aws:PrincipalArn": otherScannerArn},
	}; !reflect.DeepEqual(deny.Condition, want) {
		t.Errorf("scan statement condition %s, want %s", show(deny.Condition), show(want))
	}
}

// TestScanTagRequiresRole: the template's rules refuse another scanner's
// tag on the stack's own bucket without the scanner's role (the bucket
// policy would deny the scanner its reads), and nothing else.
func TestScanTagRequiresRole(t *testing.T) {
	tmpl := transformed(t, nil)
	rule, ok := tmpl.Rules["OtherScannerNamesItsRole"]
	if !ok {
		t.Fatalf("rules %s: no OtherScannerNamesItsRole", show(tmpl.Rules))
	}
	for _, tt := range []struct {
		name   string
		edit   map[string]string
		refuse bool
	}{
		{"another scanner with its role", nil, false},
		{"another scanner without its role", map[string]string{"MalwareScannerRoleArn": ""}, true},
		{"another scanner on an existing bucket", map[string]string{"MalwareScannerRoleArn": "", "FilesBucket": "acme-files"}, false},
		{"GuardDuty", map[string]string{"MalwareScannerRoleArn": "", "MalwareScanTag": config.DefaultMalwareScanTag}, false},
		{"no scan", map[string]string{"MalwareScannerRoleArn": "", "MalwareScan": "false"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tagScope(tmpl, "create")
			for k, v := range tt.edit {
				s.params[k] = v
			}
			refused := false
			if s.truth(t, rule.RuleCondition) {
				for _, a := range rule.Assertions {
					refused = refused || !s.truth(t, a.Assert)
				}
			}
			if refused != tt.refuse {
				t.Errorf("refused %v, want %v", refused, tt.refuse)
			}
		})
	}
}
