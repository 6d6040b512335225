package deploy

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
)

// scanResources are the resources of the malware scan with GuardDuty, all
// under ScanWithGuardDuty.
var scanResources = []string{"MalwareProtectionPlan", "MalwareScanPermission", "MalwareScanPolicy", "MalwareScanRole", "MalwareScanRule"}

// tagResources are the resources of another scanner's tags, all under
// ScanWithOtherScanner.
var tagResources = []string{"MalwareTagPermission", "MalwareTagRule"}

// Stand-ins for what the scan's resources return, beside stackValues'.
const (
	scanRoleArn  = "arn:aws:iam::123456789012:role/chatbot-connector-MalwareScanRole-ABC"
	connectorArn = "arn:aws:lambda:us-east-1:123456789012:function:chatbot-connector-ConnectorFunction-ABC"
	scanRuleArn  = "arn:aws:events:us-east-1:123456789012:rule/chatbot-connector-MalwareScanRule-ABC"
	ownBucket    = "chatbot-connector-filesbucketstore-abc"
)

// scanScope is the stack with FilesBucket bucket and MalwareScan scan, and
// stand-ins for the pseudo parameters and attributes the scan's resources
// name, so that their properties evaluate to plain strings.
func scanScope(tmpl cfnTemplate, bucket, scan string) scope {
	s := newScope(tmpl, stackValues(map[string]string{"FilesBucket": bucket, "MalwareScan": scan}))
	for k, v := range map[string]string{
		"AWS::Partition": "aws", "AWS::AccountId": "123456789012",
		"MalwareScanRole": "chatbot-connector-MalwareScanRole-ABC", "MalwareScanRole.Arn": scanRoleArn,
		"ConnectorFunction.Arn": connectorArn, "MalwareScanRule.Arn": scanRuleArn,
		"FilesBucketStore": ownBucket, "FilesBucketStore.Arn": "arn:aws:s3:::" + ownBucket,
	} {
		s.params[k] = v
	}
	return s
}

// resolved decodes into v the properties of logical id (of type typ), its
// conditions resolved and its values evaluated in s.
func (tmpl cfnTemplate) resolved(t *testing.T, s scope, id, typ string, v any) cfnResource {
	t.Helper()
	var props map[string]any
	r := tmpl.resource(t, id, typ, &props)
	b, err := json.Marshal(s.eval(t, resolveConditions(t, s, props)))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s properties %s: %v", id, b, err)
	}
	return r
}

// TestScanConditions: the scan's resources exist only with MalwareScan=true
// and a files bucket; the function is told so (MALWARE_SCAN), starts on it,
// and gets no tag of another scanner (the defaults: GuardDuty's).
func TestScanConditions(t *testing.T) {
	tmpl := transformed(t, nil)
	for _, id := range scanResources {
		if r, ok := tmpl.Resources[id]; !ok || r.Condition != "ScanWithGuardDuty" {
			t.Errorf("%s: condition %q, want ScanWithGuardDuty", id, r.Condition)
		}
	}
	var fn struct {
		Environment struct{ Variables map[string]any }
	}
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	for _, tt := range []struct {
		scan, bucket string
		want         bool
	}{
		{"false", "create", false},
		{"true", "", false},
		{"true", "acme-files", true},
		{"true", "create", true},
	} {
		t.Run("MalwareScan="+tt.scan+",FilesBucket="+tt.bucket, func(t *testing.T) {
			s := scanScope(tmpl, tt.bucket, tt.scan)
			if got := s.cond(t, "ScanFiles"); got != tt.want {
				t.Errorf("ScanFiles = %v, want %v", got, tt.want)
			}
			cfg, err := config.Load(environment(t, s, fn.Environment.Variables))
			if err != nil {
				t.Fatalf("the function would not start: %v", err)
			}
			if cfg.Scan.On != tt.want || cfg.Scan.Tag != config.DefaultMalwareScanTag || cfg.Scan.CleanValue != config.DefaultMalwareCleanValue {
				t.Errorf("scan configuration %+v, want on %v with GuardDuty's tag", cfg.Scan, tt.want)
			}
		})
	}
}

// TestScanRole: GuardDuty's malware protection plans, and only they, assume
// the scanner's role, which may do what AWS documents for Malware
// Protection for S3 and no more, on this bucket's files prefix where AWS
// names objects (never its staging prefix), the files key only through S3;
// the files key's policy lets the role use it through S3.
func TestScanRole(t *testing.T) {
	tmpl := transformed(t, nil)
	for _, bucket := range []string{"create", "acme-files"} {
		t.Run("FilesBucket="+bucket, func(t *testing.T) {
			s := scanScope(tmpl, bucket, "true")
			name := bucket
			if bucket == "create" {
				name = ownBucket
			}
			var role struct {
				AssumeRolePolicyDocument policyDocument
				ManagedPolicyArns        []any
				Policies                 []any
			}
			tmpl.resolved(t, s, "MalwareScanRole", "AWS::IAM::Role", &role)
			trust := role.AssumeRolePolicyDocument.Statement
			if len(trust) != 1 || trust[0].Effect != "Allow" || trust[0].Action != "sts:AssumeRole" ||
				!reflect.DeepEqual(trust[0].Principal, map[string]any{"Service": "malware-protection-plan.guardduty.amazonaws.com"}) {
				t.Errorf("trust policy %s, want GuardDuty's malware protection plans alone", show(trust))
			}
			if len(role.ManagedPolicyArns) > 0 || len(role.Policies) > 0 {
				t.Errorf("role has managed %s or inline %s policies: its permissions are MalwareScanPolicy's", show(role.ManagedPolicyArns), show(role.Policies))
			}

			var policy struct {
				Roles          []any
				PolicyDocument policyDocument
			}
			tmpl.resolved(t, s, "MalwareScanPolicy", "AWS::IAM::Policy", &policy)
			if !slices.Equal(policy.Roles, []any{"chatbot-connector-MalwareScanRole-ABC"}) {
				t.Errorf("policy roles %s, want the scanner's role alone", show(policy.Roles))
			}
			rule := "arn:aws:events:us-east-1:123456789012:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*"
			bucketArn := "arn:aws:s3:::" + name
			want := map[string]string{
				"s3:PutBucketNotification": bucketArn, "s3:GetBucketNotification": bucketArn, "s3:ListBucket": bucketArn,
				"s3:PutObject":        bucketArn + "/malware-protection-resource-validation-object",
				"kms:GenerateDataKey": stackValues(nil)["FilesKey.Arn"], "kms:Decrypt": stackValues(nil)["FilesKey.Arn"],
			}
			for _, a := range []string{"events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets", "events:DescribeRule", "events:ListTargetsByRule"} {
				want[a] = rule
			}
			for _, a := range []string{"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"} {
				want[a] = bucketArn + "/uploads/*"
			}
			got := map[string]string{}
			for _, st := range policy.PolicyDocument.Statement {
				if st.Effect != "Allow" || st.NotAction != nil || st.NotResource != nil || len(list(st.Resource)) != 1 {
					t.Errorf("statement %q: want a plain Allow on one resource, got %s", st.Sid, show(st))
					continue
				}
				for _, a := range list(st.Action) {
					action := a.(string)
					got[action] = st.Resource.(string)
					switch action {
					case "events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets":
						if by := st.Condition["StringLike"]["events:ManagedBy"]; by != "malware-protection-plan.guardduty.amazonaws.com" {
							t.Errorf("statement %q: %s not limited to the rules GuardDuty manages (events:ManagedBy = %s)", st.Sid, action, show(by))
						}
					case "kms:GenerateDataKey", "kms:Decrypt":
						if via := st.Condition["StringEquals"]["kms:ViaService"]; via != "s3.us-east-1.amazonaws.com" {
							t.Errorf("statement %q: %s not limited to use through S3 (kms:ViaService = %s)", st.Sid, action, show(via))
						}
					}
				}
			}
			if !reflect.DeepEqual(got, want) {
				for _, a := range slices.Sorted(maps.Keys(got)) {
					if got[a] != want[a] {
						t.Errorf("policy allows %s on %q, want %q", a, got[a], want[a])
					}
				}
				for _, a := range slices.Sorted(maps.Keys(want)) {
					if _, ok := got[a]; !ok {
						t.Errorf("policy does not allow %s on %q, which GuardDuty needs", a, want[a])
					}
				}
			}

			var key struct{ KeyPolicy policyDocument }
			tmpl.resolved(t, s, "FilesKey", "AWS::KMS::Key", &key)
			var found bool
			for _, st := range key.KeyPolicy.Statement {
				if !reflect.DeepEqual(st.Principal, map[string]any{"AWS": scanRoleArn}) {
					continue
				}
				found = true
				if st.Effect != "Allow" || !reflect.DeepEqual(list(st.Action), []any{"kms:GenerateDataKey", "kms:Decrypt"}) ||
					st.Condition["StringEquals"]["kms:ViaService"] != "s3.us-east-1.amazonaws.com" {
					t.Errorf("key policy statement for the scanner %s, want GenerateDataKey and Decrypt through S3 only", show(st))
				}
			}
			if !found {
				t.Errorf("files key policy %s does not let the scanner's role use the key", show(key.KeyPolicy.Statement))
			}
		})
	}
}

// TestScanPlan: the plan protects the files bucket's prefix, the one the
// function stores under, not its staging prefix, tags what it scans, with
// the scanner's role, once the role's permissions are in place.
func TestScanPlan(t *testing.T) {
	tmpl := transformed(t, nil)
	var fn struct {
		Environment struct{ Variables map[string]any }
	}
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	for _, bucket := range []string{"create", "acme-files"} {
		t.Run("FilesBucket="+bucket, func(t *testing.T) {
			s := scanScope(tmpl, bucket, "true")
			name := bucket
			if bucket == "create" {
				name = ownBucket
			}
			var plan struct {
				Role              string
				ProtectedResource struct {
					S3Bucket struct {
						BucketName     string
						ObjectPrefixes []string
					}
				}
				Actions struct{ Tagging struct{ Status string } }
			}
			r := tmpl.resolved(t, s, "MalwareProtectionPlan", "AWS::GuardDuty::MalwareProtectionPlan", &plan)
			b := plan.ProtectedResource.S3Bucket
			prefix := environment(t, s, fn.Environment.Variables)(config.FilesPrefix)
			if plan.Role != scanRoleArn || b.BucketName != name || !slices.Equal(b.ObjectPrefixes, []string{prefix}) || plan.Actions.Tagging.Status != "ENABLED" {
				t.Errorf("plan %s, want %s's %s alone, tagging on, the scanner's role", show(plan), name, prefix)
			}
			if !slices.Contains(list(r.DependsOn), any("MalwareScanPolicy")) {
				t.Errorf("plan depends on %s, want MalwareScanPolicy: GuardDuty checks the role's permissions", show(r.DependsOn))
			}
		})
	}
}

// TestScanRule: the scan results of this bucket's files prefix, and no
// other event, go to the connector function, which lets this rule alone of
// EventBridge invoke it.
func TestScanRule(t *testing.T) {
	tmpl := transformed(t, nil)
	s := scanScope(tmpl, "create", "true")
	var rule struct {
		EventPattern map[string]any
		Targets      []struct{ Id, Arn string }
	}
	tmpl.resolved(t, s, "MalwareScanRule", "AWS::Events::Rule", &rule)
	want := map[string]any{
		"source":      []any{"aws.guardduty"},
		"detail-type": []any{"GuardDuty Malware Protection Object Scan Result"},
		"detail": map[string]any{"s3ObjectDetails": map[string]any{
			"bucketName": []any{ownBucket},
			"objectKey":  []any{map[string]any{"prefix": "uploads/"}},
		}},
	}
	if !reflect.DeepEqual(rule.EventPattern, want) {
		t.Errorf("event pattern %s, want %s", show(rule.EventPattern), show(want))
	}
	if len(rule.Targets) != 1 || rule.Targets[0].Arn != connectorArn {
		t.Errorf("targets %s, want the connector function alone", show(rule.Targets))
	}
	var perm struct{ Action, FunctionName, Principal, SourceArn string }
	tmpl.resolved(t, s, "MalwareScanPermission", "AWS::Lambda::Permission", &perm)
	if want := (struct{ Action, FunctionName, Principal, SourceArn string }{"lambda:InvokeFunction", connectorArn, "events.amazonaws.com", scanRuleArn}); perm != want {
		t.Errorf("permission %+v, want %+v", perm, want)
	}
}

// TestScanBucketPolicy: with scanning, the stack's own bucket refuses to
// anyone but the scanner the reads of a file of the prefix not tagged clean
// with the tag the function trusts, and still refuses plain HTTP.
func TestScanBucketPolicy(t *testing.T) {
	tmpl := transformed(t, nil)
	var policy struct{ PolicyDocument policyDocument }
	tmpl.resolved(t, scanScope(tmpl, "create", "true"), "FilesBucketPolicy", "AWS::S3::BucketPolicy", &policy)
	st := policy.PolicyDocument.Statement
	if len(st) != 2 || st[0].Sid != "TlsOnly" || st[0].Effect != "Deny" {
		t.Fatalf("bucket policy %s, want the TLS-only deny and the scan's", show(st))
	}
	deny := st[1]
	if deny.Effect != "Deny" || deny.Principal != "*" || deny.Action != "s3:GetObject" || deny.Resource != "arn:aws:s3:::"+ownBucket+"/uploads/*" {
		t.Errorf("scan statement %s, want s3:GetObject on the prefix's objects denied to every principal", show(deny))
	}
	if want := map[string]map[string]any{
		"StringNotEquals": {"s3:ExistingObjectTag/" + config.DefaultMalwareScanTag: config.DefaultMalwareCleanValue},
		"ArnNotEquals":    {"aws:PrincipalArn": scanRoleArn},
	}; !reflect.DeepEqual(deny.Condition, want) {
		t.Errorf("scan statement condition %s, want %s", show(deny.Condition), show(want))
	}
}
