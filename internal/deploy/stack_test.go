package deploy

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
)

const stackName = "chatbot-connector"

// TestStackOnMoto creates the transformed template as a stack in moto_server
// and reads back through the AWS SDK what it made.
//
// moto 5.2.1 creates from a template the table, topics, key, dead-letter
// queue, role, log groups, function and dashboard. It skips, with a warning,
// the types it does not know: AWS::SecretsManager::Secret,
// AWS::ApiGatewayV2::Api and ::Stage, AWS::SNS::Subscription,
// AWS::SQS::QueuePolicy, AWS::S3::BucketPolicy, AWS::CloudWatch::Alarm,
// AWS::Logs::MetricFilter and AWS::GuardDuty::MalwareProtectionPlan (and
// keeps neither a bucket's public access block, lifecycle nor bucket key:
// TestFilesBucket checks those; TestScanPlan checks the plan);
// those are checked statically from the transformed template (TestSecret,
// TestRoutes, TestAccessLogs, TestEvents, TestAlarms, TestAlarmTopic,
// TestWebhookUnauthorizedFilter), and the alarms and the metric filter are
// also put in by the "alarms" step below, through the CloudWatch and Logs
// APIs, with the names the stack gave its resources, as CloudFormation
// would. It also ignores some properties of what it does create (the
// table's TTL and point-in-time recovery, the function's architecture,
// logging and tracing): TestTable, TestFunction and TestTracing check those.
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
	raw := transform(t, nil)
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatalf("decode transformed template: %v", err)
	}
	// moto turns an AWS::NoValue in a list into null (and then fails on it)
	// where CloudFormation drops it: resolve the conditions of the resources
	// first, as CloudFormation would with these parameters.
	var decoded cfnTemplate
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatalf("decode transformed template: %v", err)
	}
	tmpl["Resources"] = resolveConditions(t, newScope(decoded, params), tmpl["Resources"])
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
	for _, id := range []string{"UploadsTable", "EventsTopic", "EventsKey", "EventsDeadLetterQueue", "ConnectorFunctionRole", "ConnectorLogGroup", "ConnectorFunction",
		"AlarmTopic", "HttpApiAccessLogGroup", "Dashboard",
		// moto creates no queue policy, SNS subscription or scheduler
		// schedule from a template: TestHandoffResources checks those in
		// the transformed template.
		"DeliveryQueue", "DeliveryDeadLetterQueue", "DeliveryEventSource", "SweepScheduleRole",
		// Retrieval (FilesBucket=create); moto creates no bucket policy:
		// TestFilesBucket checks it in the transformed template.
		"FilesKey", "FilesBucketStore", "FilesQueue", "FilesDeadLetterQueue", "FilesEventSource", "FilesFunction"} {
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

	checkOperations(t, cfg, decoded, physical)
}

// checkOperations checks on moto what the stack made for operating it: the
// log groups' retention, the dashboard, and the alarms, put in through the
// CloudWatch API as CloudFormation would (moto cannot create them from a
// template), each watching a resource the stack made and notifying its
// alarm topic.
func checkOperations(t *testing.T, cfg aws.Config, decoded cfnTemplate, physical map[string]string) {
	ctx := t.Context()
	cw := cloudwatch.NewFromConfig(cfg)
	logs := cloudwatchlogs.NewFromConfig(cfg)

	t.Run("hand-off", func(t *testing.T) {
		q := sqs.NewFromConfig(cfg)
		attrs, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(physical["DeliveryQueue"]),
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
		if err != nil {
			t.Fatal(err)
		}
		var redrive struct {
			DeadLetterTargetArn string `json:"deadLetterTargetArn"`
			MaxReceiveCount     any    `json:"maxReceiveCount"`
		}
		if err := json.Unmarshal([]byte(attrs.Attributes["RedrivePolicy"]), &redrive); err != nil {
			t.Fatalf("delivery queue redrive policy %q: %v", attrs.Attributes["RedrivePolicy"], err)
		}
		dlq := physical["DeliveryDeadLetterQueue"]
		if !strings.HasSuffix(redrive.DeadLetterTargetArn, ":"+dlq[strings.LastIndex(dlq, "/")+1:]) || fmt.Sprint(redrive.MaxReceiveCount) != "14" {
			t.Errorf("delivery queue redrive policy = %+v, want the DLQ after 14 receives", redrive)
		}
		esm, err := lambda.NewFromConfig(cfg).ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String(physical["ConnectorFunction"])})
		if err != nil {
			t.Fatal(err)
		}
		if len(esm.EventSourceMappings) != 1 || aws.ToString(esm.EventSourceMappings[0].EventSourceArn) != attrs.Attributes["QueueArn"] {
			t.Errorf("event source mappings = %s, want one from the delivery queue", show(esm.EventSourceMappings))
		}
	})

	t.Run("files", func(t *testing.T) { checkFiles(t, cfg, physical) })
	t.Run("scan", func(t *testing.T) { checkScan(t, cfg, physical) })

	t.Run("log groups", func(t *testing.T) {
		for _, id := range []string{"ConnectorLogGroup", "HttpApiAccessLogGroup"} {
			out, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(physical[id])})
			if err != nil {
				t.Fatalf("describe log groups: %v", err)
			}
			if len(out.LogGroups) != 1 || aws.ToInt32(out.LogGroups[0].RetentionInDays) != 30 {
				t.Errorf("log group %s (%s) = %s, want one, kept 30 days (the default of LogRetentionDays)", id, physical[id], show(out.LogGroups))
			}
		}
	})

	t.Run("dashboard", func(t *testing.T) {
		out, err := cw.GetDashboard(ctx, &cloudwatch.GetDashboardInput{DashboardName: aws.String(physical["Dashboard"])})
		if err != nil {
			t.Fatalf("get dashboard: %v", err)
		}
		var body struct{ Widgets []any }
		if err := json.Unmarshal([]byte(aws.ToString(out.DashboardBody)), &body); err != nil || len(body.Widgets) == 0 {
			t.Fatalf("dashboard body %q: %v, want JSON with widgets", aws.ToString(out.DashboardBody), err)
		}
		if b := aws.ToString(out.DashboardBody); !strings.Contains(b, `"FunctionName", "`+physical["ConnectorFunction"]+`"`) ||
			!strings.Contains(b, `"ChatbotConnector/`+stackName+`", "WebhookUnauthorized"`) {
			t.Errorf("dashboard body does not name the stack's function %s and webhook metric: %s", physical["ConnectorFunction"], b)
		}
	})

	t.Run("alarms", func(t *testing.T) {
		// moto's CloudFormation creates no API: it stands in with an id.
		names := map[string]string{"HttpApi": "api0000001"}
		maps.Copy(names, physical)
		s := newScope(decoded, params)
		queueURL := physical["EventsDeadLetterQueue"]
		resolve := func(v any) string {
			switch v := s.eval(t, v).(type) {
			case string:
				return strings.ReplaceAll(v, "${AWS::StackName}", stackName)
			case map[string]any:
				if id, ok := v["Ref"].(string); ok && names[id] != "" {
					return names[id]
				}
				if reflect.DeepEqual(v, getAtt("EventsDeadLetterQueue", "QueueName")) {
					return queueURL[strings.LastIndex(queueURL, "/")+1:]
				}
				for _, q := range []string{"DeliveryDeadLetterQueue", "FilesDeadLetterQueue"} {
					if reflect.DeepEqual(v, getAtt(q, "QueueName")) {
						u := physical[q]
						return u[strings.LastIndex(u, "/")+1:]
					}
				}
			}
			t.Fatalf("cannot resolve %s", show(v))
			return ""
		}

		var filter struct {
			FilterPattern         string
			MetricTransformations []struct {
				MetricNamespace         any
				MetricName, MetricValue string
			}
		}
		decoded.resource(t, "WebhookUnauthorizedMetricFilter", "AWS::Logs::MetricFilter", &filter)
		mt := filter.MetricTransformations[0]
		if _, err := logs.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{
			LogGroupName:  aws.String(physical["ConnectorLogGroup"]),
			FilterName:    aws.String(stackName + "-WebhookUnauthorizedMetricFilter"),
			FilterPattern: aws.String(filter.FilterPattern),
			MetricTransformations: []logstypes.MetricTransformation{{
				MetricNamespace: aws.String(resolve(mt.MetricNamespace)), MetricName: aws.String(mt.MetricName), MetricValue: aws.String(mt.MetricValue),
			}},
		}); err != nil {
			t.Fatalf("put metric filter: %v", err)
		}

		for id := range wantAlarms {
			var a alarm
			decoded.resource(t, id, "AWS::CloudWatch::Alarm", &a)
			in := &cloudwatch.PutMetricAlarmInput{
				AlarmName:          aws.String(stackName + "-" + id),
				Namespace:          aws.String(resolve(a.Namespace)),
				MetricName:         aws.String(a.MetricName),
				Statistic:          cwtypes.Statistic(a.Statistic),
				Period:             aws.Int32(int32(a.Period)),
				EvaluationPeriods:  aws.Int32(int32(a.EvaluationPeriods)),
				Threshold:          aws.Float64(a.Threshold),
				ComparisonOperator: cwtypes.ComparisonOperator(a.ComparisonOperator),
				TreatMissingData:   aws.String(a.TreatMissingData),
			}
			for _, d := range a.Dimensions {
				in.Dimensions = append(in.Dimensions, cwtypes.Dimension{Name: aws.String(d.Name.(string)), Value: aws.String(resolve(d.Value))})
			}
			for _, x := range a.AlarmActions {
				in.AlarmActions = append(in.AlarmActions, resolve(x))
			}
			for _, x := range a.OKActions {
				in.OKActions = append(in.OKActions, resolve(x))
			}
			if _, err := cw.PutMetricAlarm(ctx, in); err != nil {
				t.Fatalf("put alarm %s: %v", id, err)
			}
		}

		out, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String(stackName + "-")})
		if err != nil {
			t.Fatalf("describe alarms: %v", err)
		}
		if len(out.MetricAlarms) != len(wantAlarms) {
			t.Errorf("%d alarms, want %d", len(out.MetricAlarms), len(wantAlarms))
		}
		topic := physical["AlarmTopic"]
		if _, err := sns.NewFromConfig(cfg).GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)}); err != nil {
			t.Errorf("alarm topic %s: %v", topic, err)
		}
		fn := lambda.NewFromConfig(cfg)
		for _, a := range out.MetricAlarms {
			id := strings.TrimPrefix(aws.ToString(a.AlarmName), stackName+"-")
			if !slices.Equal(a.AlarmActions, []string{topic}) || !slices.Equal(a.OKActions, []string{topic}) {
				t.Errorf("%s notifies %v and %v, want the stack's alarm topic %s", id, a.AlarmActions, a.OKActions, topic)
			}
			// Each dimension names a resource the stack made.
			for _, d := range a.Dimensions {
				name, value := aws.ToString(d.Name), aws.ToString(d.Value)
				var err error
				switch name {
				case "FunctionName":
					_, err = fn.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: d.Value})
				case "QueueName":
					_, err = sqs.NewFromConfig(cfg).GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: d.Value})
				case "ApiId":
					if value != names["HttpApi"] {
						t.Errorf("%s watches API %s, want the stack's", id, value)
					}
				default:
					t.Errorf("%s has dimension %s, which the test does not know", id, name)
				}
				if err != nil {
					t.Errorf("%s watches %s %s, which the stack did not make: %v", id, name, value, err)
				}
			}
		}

		// The webhook alarm watches the metric the filter writes.
		filters, err := logs.DescribeMetricFilters(ctx, &cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(physical["ConnectorLogGroup"])})
		if err != nil {
			t.Fatalf("describe metric filters: %v", err)
		}
		alarms, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{stackName + "-WebhookUnauthorizedAlarm"}})
		if err != nil {
			t.Fatalf("describe alarms: %v", err)
		}
		if len(filters.MetricFilters) != 1 || len(alarms.MetricAlarms) != 1 {
			t.Fatalf("%d metric filters, %d webhook alarms; want one each", len(filters.MetricFilters), len(alarms.MetricAlarms))
		}
		ft, wa := filters.MetricFilters[0].MetricTransformations[0], alarms.MetricAlarms[0]
		if aws.ToString(ft.MetricNamespace) != aws.ToString(wa.Namespace) || aws.ToString(ft.MetricName) != aws.ToString(wa.MetricName) {
			t.Errorf("filter writes %s %s, the alarm watches %s %s", aws.ToString(ft.MetricNamespace), aws.ToString(ft.MetricName), aws.ToString(wa.Namespace), aws.ToString(wa.MetricName))
		}
		if got, want := aws.ToString(wa.Namespace), "ChatbotConnector/"+stackName; got != want {
			t.Errorf("webhook metric namespace %q, want %q", got, want)
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
