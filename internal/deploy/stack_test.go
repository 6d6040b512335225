package deploy

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
)

const stackName = "chatbot-connector"

// TestStackOnMoto creates the transformed template as a stack in moto_server
// and reads back through the AWS SDK what it made.
//
// moto 5.2.1 creates from a template the table, topic, key, dead-letter
// queue, role, log group and function. It skips, with a warning, the types
// it does not know: AWS::SecretsManager::Secret, AWS::ApiGatewayV2::Api and
// ::Stage, AWS::SNS::Subscription and AWS::SQS::QueuePolicy; those are
// checked statically from the transformed template (TestSecret, TestRoutes,
// TestEvents). It also ignores some properties of what it does create (the
// table's TTL and point-in-time recovery, the function's architecture and
// logging): TestTable and TestFunction check those.
func TestStackOnMoto(t *testing.T) {
	srv := motoserver.Start(t)
	cfg := srv.Config(t)
	ctx := t.Context()

	// The function's code, where `sam deploy` would have uploaded it.
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(codeBucket)}); err != nil {
		t.Fatalf("create code bucket: %v", err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(codeBucket), Key: aws.String(codeKey), Body: bytes.NewReader(dummyZip(t)),
	}); err != nil {
		t.Fatalf("upload code: %v", err)
	}

	var tmpl map[string]any
	if err := json.Unmarshal(transform(t, nil), &tmpl); err != nil {
		t.Fatalf("decode transformed template: %v", err)
	}
	// moto cannot create the secret from a template, and a Ref to a resource
	// it skipped comes out empty: create the secret beside the stack and put
	// its ARN where the template refers to it.
	resources := tmpl["Resources"].(map[string]any)
	secretProps := resources["ConnectorSecret"].(map[string]any)["Properties"].(map[string]any)
	secret, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name:         aws.String(stackName + "-ConnectorSecret"),
		SecretString: aws.String(secretProps["SecretString"].(string)),
	})
	if err != nil {
		t.Fatalf("create secret: %v", err)
	}
	delete(resources, "ConnectorSecret")
	body, err := json.Marshal(replaceRef(tmpl, "ConnectorSecret", *secret.ARN))
	if err != nil {
		t.Fatal(err)
	}

	cfn := cloudformation.NewFromConfig(cfg)
	var cfnParams []cfntypes.Parameter
	for k, v := range params {
		cfnParams = append(cfnParams, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
	}
	if _, err := cfn.CreateStack(ctx, &cloudformation.CreateStackInput{
		StackName:    aws.String(stackName),
		TemplateBody: aws.String(string(body)),
		Parameters:   cfnParams,
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
	}); err != nil {
		t.Fatalf("create stack: %v", err)
	}
	waiter := cloudformation.NewStackCreateCompleteWaiter(cfn, func(o *cloudformation.StackCreateCompleteWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second
	})
	if err := waiter.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)}, time.Minute); err != nil {
		t.Fatalf("stack not created: %v", err)
	}
	res, err := cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stackName)})
	if err != nil {
		t.Fatalf("describe stack resources: %v", err)
	}
	physical := map[string]string{}
	for _, r := range res.StackResources {
		physical[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}
	for _, id := range []string{"UploadsTable", "EventsTopic", "EventsKey", "EventsDeadLetterQueue", "ConnectorFunctionRole", "ConnectorLogGroup", "ConnectorFunction"} {
		if physical[id] == "" {
			t.Errorf("stack has no %s; it has %v", id, slices.Sorted(maps.Keys(physical)))
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	t.Run("table", func(t *testing.T) {
		ddb := dynamodb.NewFromConfig(cfg)
		out, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(physical["UploadsTable"])})
		if err != nil {
			t.Fatalf("describe table: %v", err)
		}
		table := out.Table
		if len(table.KeySchema) != 1 || aws.ToString(table.KeySchema[0].AttributeName) != "pk" || table.KeySchema[0].KeyType != ddbtypes.KeyTypeHash {
			t.Errorf("key schema %s, want pk HASH alone", show(table.KeySchema))
		}
		if len(table.AttributeDefinitions) != 1 || aws.ToString(table.AttributeDefinitions[0].AttributeName) != "pk" ||
			table.AttributeDefinitions[0].AttributeType != ddbtypes.ScalarAttributeTypeS {
			t.Errorf("attribute definitions %s, want pk S alone", show(table.AttributeDefinitions))
		}
		if table.BillingModeSummary == nil || table.BillingModeSummary.BillingMode != ddbtypes.BillingModePayPerRequest {
			t.Errorf("billing mode %s, want PAY_PER_REQUEST", show(table.BillingModeSummary))
		}
		// moto's CloudFormation does not apply TimeToLiveSpecification (the
		// status reads DISABLED); where it does, the attribute must be ours.
		// TestTable checks the template itself.
		ttl, err := ddb.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: table.TableName})
		if err != nil {
			t.Fatalf("describe time to live: %v", err)
		}
		if d := ttl.TimeToLiveDescription; d != nil && d.TimeToLiveStatus == ddbtypes.TimeToLiveStatusEnabled {
			if got := aws.ToString(d.AttributeName); got != "expiresAt" {
				t.Errorf("TTL attribute %q, want expiresAt", got)
			}
		} else {
			t.Logf("moto did not enable TTL from the template (%s); checked statically", show(d))
		}
	})

	t.Run("function", func(t *testing.T) {
		out, err := lambda.NewFromConfig(cfg).GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(physical["ConnectorFunction"])})
		if err != nil {
			t.Fatalf("get function: %v", err)
		}
		fn := out.Configuration
		if got := string(fn.Runtime); got != "provided.al2023" {
			t.Errorf("runtime %q, want provided.al2023", got)
		}
		if got := aws.ToString(fn.Handler); got != "bootstrap" {
			t.Errorf("handler %q, want bootstrap", got)
		}
		if got := aws.ToInt32(fn.Timeout); got != 29 {
			t.Errorf("timeout %d, want 29", got)
		}
		if got := aws.ToInt32(fn.MemorySize); got != 128 {
			t.Errorf("memory %d, want 128", got)
		}
		if got, want := aws.ToString(fn.Role), physical["ConnectorFunctionRole"]; got == "" || !strings.HasSuffix(got, ":role/"+want) {
			t.Errorf("role %q, want the stack's role %q", got, want)
		}
		if fn.Environment == nil {
			t.Fatal("function has no environment")
		}
		vars := fn.Environment.Variables
		if got, want := slices.Sorted(maps.Keys(vars)), slices.Sorted(slices.Values(config.All)); !slices.Equal(got, want) {
			t.Errorf("environment names %v, want exactly config.All %v", got, want)
		}
		for name, want := range map[string]string{
			config.TableName: physical["UploadsTable"],
			config.TopicARN:  physical["EventsTopic"],
			config.SecretARN: *secret.ARN,
		} {
			if got := vars[name]; got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		// The function starts on this environment, with the template's defaults.
		c, err := config.Load(func(name string) string { return vars[name] })
		if err != nil {
			t.Fatalf("the function would not start: %v", err)
		}
		if got, want := c.AllowedOrigins, []string{config.UploadPageOrigin, "https://acme.sendsafely.com"}; !slices.Equal(got, want) {
			t.Errorf("allowed origins %q, want %q", got, want)
		}
		if got := c.Service; got.SendSafelyHost != "acme.sendsafely.com" || got.DropzoneID != "DZ-TEST-1" ||
			got.UploadPageURL != config.DefaultUploadPageURL || got.UploadTTL != config.DefaultUploadTTL ||
			got.LinkTTL != config.DefaultLinkTTL || got.WebhookMaxAge != config.DefaultWebhookMaxAge || got.EventsIncludeLink {
			t.Errorf("service settings %+v, want the parameters and the code's defaults", got)
		}
		if c.SecretCacheTTL != config.DefaultSecretCacheTTL {
			t.Errorf("secret cache TTL %v, want %v", c.SecretCacheTTL, config.DefaultSecretCacheTTL)
		}
	})
}

// dummyZip is a function package with an empty bootstrap: moto stores the
// code but never runs it here.
func dummyZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	if _, err := w.Create("bootstrap"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// replaceRef returns v with every {"Ref": logicalID} replaced by value.
func replaceRef(v any, logicalID string, value any) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 && v["Ref"] == logicalID {
			return value
		}
		for k, e := range v {
			v[k] = replaceRef(e, logicalID, value)
		}
	case []any:
		for i, e := range v {
			v[i] = replaceRef(e, logicalID, value)
		}
	}
	return v
}
