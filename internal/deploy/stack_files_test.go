package deploy

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// checkFiles checks on moto what the stack made for retrieval: the files
// function, its queue's redrive and event source mapping, and the bucket's encryption, public access block and
// lifecycle where moto applied them from the template (TestFilesBucket
// checks the template itself, and the key's rotation, for which this
// module has no KMS client).
func checkFiles(t *testing.T, cfg aws.Config, physical map[string]string) {
	ctx := t.Context()
	fn, err := lambda.NewFromConfig(cfg).GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(physical["FilesFunction"])})
	if err != nil {
		t.Fatalf("get files function: %v", err)
	}
	if c := fn.Configuration; aws.ToInt32(c.Timeout) != 900 || aws.ToInt32(c.MemorySize) != 1024 || c.Environment == nil ||
		c.Environment.Variables["FILES_PREFIX"] != "uploads/" || c.Environment.Variables["FILES_BUCKET"] != physical["FilesBucketStore"] {
		t.Errorf("files function %s, want 900 s, 1024 MB, the stack's bucket", show(c))
	}

	attrs, err := sqs.NewFromConfig(cfg).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(physical["FilesQueue"]),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	var redrive struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		MaxReceiveCount     any    `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(attrs.Attributes["RedrivePolicy"]), &redrive); err != nil {
		t.Fatalf("files queue redrive policy %q: %v", attrs.Attributes["RedrivePolicy"], err)
	}
	dlq := physical["FilesDeadLetterQueue"]
	if !strings.HasSuffix(redrive.DeadLetterTargetArn, ":"+dlq[strings.LastIndex(dlq, "/")+1:]) || fmt.Sprint(redrive.MaxReceiveCount) != "14" ||
		attrs.Attributes["VisibilityTimeout"] != "960" {
		t.Errorf("files queue %v, want the DLQ after 14 receives and a visibility of 960 s", attrs.Attributes)
	}
	esm, err := lambda.NewFromConfig(cfg).ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String(physical["FilesFunction"])})
	if err != nil {
		t.Fatal(err)
	}
	if len(esm.EventSourceMappings) != 1 || aws.ToString(esm.EventSourceMappings[0].EventSourceArn) != attrs.Attributes["QueueArn"] ||
		aws.ToInt32(esm.EventSourceMappings[0].BatchSize) != 1 {
		t.Errorf("files event source mappings = %s, want one from the files queue, one job at a time", show(esm.EventSourceMappings))
	}

	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := aws.String(physical["FilesBucketStore"])
	if enc, err := s3c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bucket}); err != nil {
		t.Logf("moto keeps no encryption from the template (%v); checked statically", err)
	} else if r := enc.ServerSideEncryptionConfiguration.Rules; len(r) != 1 || r[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != s3types.ServerSideEncryptionAwsKms ||
		!strings.HasSuffix(aws.ToString(r[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID), physical["FilesKey"]) {
		t.Errorf("bucket encryption %s, want aws:kms under the stack's files key %s", show(r), physical["FilesKey"])
	} else if !aws.ToBool(r[0].BucketKeyEnabled) {
		// moto 5.2.1 drops BucketKeyEnabled from a template's bucket.
		t.Logf("moto keeps no bucket key from the template; checked statically")
	}
	if pab, err := s3c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: bucket}); err != nil {
		t.Logf("moto keeps no public access block from the template (%v); checked statically", err)
	} else if c := pab.PublicAccessBlockConfiguration; !aws.ToBool(c.BlockPublicAcls) || !aws.ToBool(c.BlockPublicPolicy) ||
		!aws.ToBool(c.IgnorePublicAcls) || !aws.ToBool(c.RestrictPublicBuckets) {
		t.Errorf("public access block %s, want all on", show(c))
	}
	if lc, err := s3c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: bucket}); err != nil {
		t.Logf("moto keeps no lifecycle from the template (%v); checked statically", err)
	} else if len(lc.Rules) != 2 {
		t.Errorf("lifecycle rules %s, want the stored files' and staging's", show(lc.Rules))
	}
}
