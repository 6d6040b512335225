package deploy

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// filesResources are the resources of retrieval, each with the condition
// it exists under.
var filesResources = map[string]string{
	"FilesFunction": "HasFilesBucket", "FilesKey": "HasFilesBucket", "FilesBucketStore": "CreateFilesBucket",
	"FilesBucketPolicy": "CreateFilesBucket", "FilesQueue": "HasFilesBucket", "FilesDeadLetterQueue": "HasFilesBucket",
	"FilesQueuePolicy": "HasFilesBucket", "FilesSubscription": "HasFilesBucket", "FilesEventSource": "HasFilesBucket",
	"FilesDeadLetterQueueAlarm": "HasFilesBucket",
}

// TestFilesConditions: no bucket, no retrieval resources; an existing
// bucket, all but the stack's own bucket and its policy; create, all.
func TestFilesConditions(t *testing.T) {
	for _, tt := range []struct {
		bucket string
		want   []string
	}{
		{"", nil},
		{"acme-files", []string{"FilesDeadLetterQueue", "FilesDeadLetterQueueAlarm", "FilesEventSource", "FilesFunction", "FilesKey",
			"FilesQueue", "FilesQueuePolicy", "FilesSubscription"}},
		{"create", slices.Sorted(maps.Keys(filesResources))},
	} {
		t.Run("FilesBucket="+tt.bucket, func(t *testing.T) {
			tmpl := transformed(t, map[string]string{"FilesBucket": tt.bucket})
			s := newScope(tmpl, stackValues(map[string]string{"FilesBucket": tt.bucket}))
			var got []string
			for id, cond := range filesResources {
				r, ok := tmpl.Resources[id]
				if !ok || r.Condition != cond {
					t.Errorf("%s: condition %q, want %q", id, r.Condition, cond)
				}
				if s.cond(t, cond) {
					got = append(got, id)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("created %v, want %v", got, tt.want)
			}
		})
	}
}

// TestFilesBucket: the stack's own bucket is encrypted under the stack's
// rotating key with the bucket key, closed to the public, TLS only, and
// expires stored files after FilesRetentionDays and staging after a day.
func TestFilesBucket(t *testing.T) {
	tmpl := transformed(t, nil)
	var key struct {
		EnableKeyRotation bool
		KeyPolicy         policyDocument
	}
	if r := tmpl.resource(t, "FilesKey", "AWS::KMS::Key", &key); !key.EnableKeyRotation || r.DeletionPolicy != "Retain" {
		t.Errorf("files key rotation %v, deletion %q; want rotation on and the key retained", key.EnableKeyRotation, r.DeletionPolicy)
	}
	var bucket struct {
		BucketEncryption struct {
			ServerSideEncryptionConfiguration []struct {
				ServerSideEncryptionByDefault struct {
					SSEAlgorithm   string
					KMSMasterKeyID any
				}
				BucketKeyEnabled bool
			}
		}
		PublicAccessBlockConfiguration map[string]bool
		LifecycleConfiguration         struct {
			Rules []struct {
				Status, Prefix                 string
				ExpirationInDays               any
				AbortIncompleteMultipartUpload struct{ DaysAfterInitiation int }
			}
		}
	}
	r := tmpl.resource(t, "FilesBucketStore", "AWS::S3::Bucket", &bucket)
	if r.DeletionPolicy != "Retain" || r.UpdateReplacePolicy != "Retain" {
		t.Errorf("bucket deletion %q, replacement %q; want both Retain", r.DeletionPolicy, r.UpdateReplacePolicy)
	}
	sse := bucket.BucketEncryption.ServerSideEncryptionConfiguration
	if len(sse) != 1 || sse[0].ServerSideEncryptionByDefault.SSEAlgorithm != "aws:kms" || !sse[0].BucketKeyEnabled ||
		!reflect.DeepEqual(sse[0].ServerSideEncryptionByDefault.KMSMasterKeyID, getAtt("FilesKey", "Arn")) {
		t.Errorf("bucket encryption %s, want aws:kms under FilesKey with the bucket key", show(sse))
	}
	for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
		if !bucket.PublicAccessBlockConfiguration[k] {
			t.Errorf("public access block %s is off", k)
		}
	}
	rules := map[string]string{}
	for _, rule := range bucket.LifecycleConfiguration.Rules {
		if rule.Status != "Enabled" || rule.AbortIncompleteMultipartUpload.DaysAfterInitiation != 1 {
			t.Errorf("lifecycle rule %s: want enabled, aborting incomplete writes after a day", show(rule))
		}
		rules[rule.Prefix] = show(rule.ExpirationInDays)
	}
	if want := map[string]string{"uploads/": show(ref("FilesRetentionDays")), "uploads.staging/": "1"}; !reflect.DeepEqual(rules, want) {
		t.Errorf("expiry by prefix %v, want %v", rules, want)
	}
	// Without scanning (TestScanBucketPolicy checks the policy with it).
	var policy struct{ PolicyDocument policyDocument }
	tmpl.resolved(t, newScope(tmpl, stackValues(map[string]string{"MalwareScan": "false"})), "FilesBucketPolicy", "AWS::S3::BucketPolicy", &policy)
	st := policy.PolicyDocument.Statement
	if len(st) != 1 || st[0].Effect != "Deny" || st[0].Action != "s3:*" || fmt.Sprint(st[0].Condition["Bool"]["aws:SecureTransport"]) != "false" {
		t.Errorf("bucket policy %s, want plain HTTP denied", show(st))
	}
}

// TestFilesQueue: the files queue takes upload.submitted raw from this
// stack's topic, retries as the code's schedule expects, drives the files
// function one job at a time with partial batch failures, and the files
// function runs the connector's code with its configuration.
func TestFilesQueue(t *testing.T) {
	tmpl := transformed(t, nil)
	var queue struct {
		SqsManagedSseEnabled bool
		VisibilityTimeout    int
		RedrivePolicy        struct {
			DeadLetterTargetArn any `json:"deadLetterTargetArn"`
			MaxReceiveCount     int `json:"maxReceiveCount"`
		}
	}
	tmpl.resource(t, "FilesQueue", "AWS::SQS::Queue", &queue)
	var fn struct {
		MemorySize, Timeout int
		Role                any
		Environment         struct{ Variables map[string]any }
	}
	tmpl.resource(t, "FilesFunction", "AWS::Lambda::Function", &fn)
	if !queue.SqsManagedSseEnabled || queue.RedrivePolicy.MaxReceiveCount != wiring.FilesSchedule().MaxReceives ||
		!reflect.DeepEqual(queue.RedrivePolicy.DeadLetterTargetArn, getAtt("FilesDeadLetterQueue", "Arn")) || queue.VisibilityTimeout <= fn.Timeout {
		t.Errorf("files queue %s, want SSE-SQS, %d receives to the dead-letter queue, visibility beyond the function's %d s",
			show(queue), wiring.FilesSchedule().MaxReceives, fn.Timeout)
	}
	var connector struct {
		Environment struct{ Variables map[string]any }
	}
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &connector)
	// The connector's environment and the collector's goal of the files
	// function (wiring.FilesGCPercent), as a Lambda variable is a string.
	env := maps.Clone(connector.Environment.Variables)
	env["GOGC"] = strconv.Itoa(wiring.FilesGCPercent)
	if fn.MemorySize != 1024 || fn.Timeout != 900 || !reflect.DeepEqual(fn.Role, getAtt("ConnectorFunctionRole", "Arn")) ||
		!reflect.DeepEqual(fn.Environment.Variables, env) {
		t.Errorf("files function %s, want 1024 MB, 900 s, the connector's role and environment with GOGC=%d", show(fn), wiring.FilesGCPercent)
	}
	var sub struct {
		TopicArn, Endpoint any
		Protocol           string
		RawMessageDelivery any
		FilterPolicy       any
	}
	tmpl.resource(t, "FilesSubscription", "AWS::SNS::Subscription", &sub)
	if !reflect.DeepEqual(sub.TopicArn, ref("EventsTopic")) || sub.Protocol != "sqs" || fmt.Sprint(sub.RawMessageDelivery) != "true" ||
		!reflect.DeepEqual(sub.Endpoint, getAtt("FilesQueue", "Arn")) {
		t.Errorf("files subscription = %s", show(sub))
	}
	var esm struct {
		FunctionName, EventSourceArn any
		BatchSize                    int
		FunctionResponseTypes        []string
	}
	tmpl.resource(t, "FilesEventSource", "AWS::Lambda::EventSourceMapping", &esm)
	if !reflect.DeepEqual(esm.EventSourceArn, getAtt("FilesQueue", "Arn")) || !reflect.DeepEqual(esm.FunctionName, ref("FilesFunction")) ||
		esm.BatchSize != 1 || !slices.Equal(esm.FunctionResponseTypes, []string{"ReportBatchItemFailures"}) {
		t.Errorf("files event source mapping = %s", show(esm))
	}
	var policy struct{ PolicyDocument policyDocument }
	tmpl.resource(t, "FilesQueuePolicy", "AWS::SQS::QueuePolicy", &policy)
	st := policy.PolicyDocument.Statement
	if len(st) != 1 || st[0].Action != "sqs:SendMessage" || !reflect.DeepEqual(st[0].Condition["ArnEquals"]["aws:SourceArn"], ref("EventsTopic")) {
		t.Errorf("files queue policy = %s, want the events topic alone to send", show(st))
	}
}
