package deploy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// alarm is what the tests read of an AWS::CloudWatch::Alarm.
type alarm struct {
	Namespace          any
	MetricName         string
	Dimensions         []struct{ Name, Value any }
	Statistic          string
	Period             int
	EvaluationPeriods  int
	Threshold          float64
	ComparisonOperator string
	TreatMissingData   string
	AlarmActions       []any
	OKActions          []any
}

// webhookMetricNamespace is where WebhookUnauthorizedMetricFilter counts.
var webhookMetricNamespace = map[string]any{"Fn::Sub": "ChatbotConnector/${AWS::StackName}"}

// wantAlarms are the template's alarms: what each watches, and when it
// fires (docs/operations.md, Alarms, says what to do then).
var wantAlarms = map[string]struct {
	namespace any
	metric    string
	dims      map[string]any
	stat      string
	threshold float64
	condition string
}{
	"FunctionErrorsAlarm":          {"AWS/Lambda", "Errors", map[string]any{"FunctionName": ref("ConnectorFunction")}, "Sum", 1, ""},
	"FunctionThrottlesAlarm":       {"AWS/Lambda", "Throttles", map[string]any{"FunctionName": ref("ConnectorFunction")}, "Sum", 1, ""},
	"Api5xxAlarm":                  {"AWS/ApiGateway", "5xx", map[string]any{"ApiId": ref("HttpApi")}, "Sum", 5, ""},
	"WebhookUnauthorizedAlarm":     {webhookMetricNamespace, "WebhookUnauthorized", map[string]any{}, "Sum", 10, ""},
	"EventsDeadLetterQueueAlarm":   {"AWS/SQS", "ApproximateNumberOfMessagesVisible", map[string]any{"QueueName": getAtt("EventsDeadLetterQueue", "QueueName")}, "Maximum", 1, "HasSubscription"},
	"DeliveryDeadLetterQueueAlarm": {"AWS/SQS", "ApproximateNumberOfMessagesVisible", map[string]any{"QueueName": getAtt("DeliveryDeadLetterQueue", "QueueName")}, "Maximum", 1, "HasHandoff"},
	"FilesDeadLetterQueueAlarm":    {"AWS/SQS", "ApproximateNumberOfMessagesVisible", map[string]any{"QueueName": getAtt("FilesDeadLetterQueue", "QueueName")}, "Maximum", 1, "HasFilesBucket"},
}

// TestAlarms checks every alarm of the template, which moto cannot create
// from a template: the metric it watches on which of the stack's resources,
// its threshold over one five-minute period, and that it notifies the alarm
// topic on entering ALARM and on leaving it.
func TestAlarms(t *testing.T) {
	tmpl := transformed(t, nil)
	var ids []string
	for id, r := range tmpl.Resources {
		if r.Type == "AWS::CloudWatch::Alarm" {
			ids = append(ids, id)
		}
	}
	if got, want := slices.Sorted(slices.Values(ids)), slices.Sorted(maps.Keys(wantAlarms)); !slices.Equal(got, want) {
		t.Errorf("alarms %v, want %v", got, want)
	}
	for id, w := range wantAlarms {
		var a alarm
		r := tmpl.resource(t, id, "AWS::CloudWatch::Alarm", &a)
		dims := map[string]any{}
		for _, d := range a.Dimensions {
			dims[d.Name.(string)] = d.Value
		}
		topic := []any{ref("AlarmTopic")}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"Namespace", a.Namespace, w.namespace},
			{"MetricName", a.MetricName, w.metric},
			{"Dimensions", dims, w.dims},
			{"Statistic", a.Statistic, w.stat},
			{"Threshold", a.Threshold, w.threshold},
			{"ComparisonOperator", a.ComparisonOperator, "GreaterThanOrEqualToThreshold"},
			{"Period", a.Period, 300},
			{"EvaluationPeriods", a.EvaluationPeriods, 1},
			{"TreatMissingData", a.TreatMissingData, "notBreaching"},
			{"AlarmActions", a.AlarmActions, topic},
			{"OKActions", a.OKActions, topic},
			{"Condition", r.Condition, w.condition},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%s %s = %s, want %s", id, c.what, show(c.got), show(c.want))
			}
		}
	}
	// The dead-letter queue's alarm exists exactly when the queue does.
	if got, want := tmpl.Resources["EventsDeadLetterQueueAlarm"].Condition, tmpl.Resources["EventsDeadLetterQueue"].Condition; got != want {
		t.Errorf("EventsDeadLetterQueueAlarm condition %q, the queue's %q", got, want)
	}
}

// TestAlarmTopic checks where the alarms go: a topic of the stack's, with an
// email subscription exactly when AlarmEmail is set.
func TestAlarmTopic(t *testing.T) {
	tmpl := transformed(t, nil)
	tmpl.resource(t, "AlarmTopic", "AWS::SNS::Topic", nil)
	var sub struct {
		TopicArn, Endpoint any
		Protocol           string
	}
	r := tmpl.resource(t, "AlarmEmailSubscription", "AWS::SNS::Subscription", &sub)
	if sub.Protocol != "email" || !reflect.DeepEqual(sub.Endpoint, ref("AlarmEmail")) || !reflect.DeepEqual(sub.TopicArn, ref("AlarmTopic")) {
		t.Errorf("AlarmEmailSubscription = %s, want email to AlarmEmail on AlarmTopic", r.Properties)
	}
	for _, email := range []string{"", "oncall@example.com"} {
		created := r.Condition != "" && newScope(tmpl, map[string]string{"AlarmEmail": email}).cond(t, r.Condition) || r.Condition == ""
		if want := email != ""; created != want {
			t.Errorf("with AlarmEmail %q, AlarmEmailSubscription is created: %v, want %v", email, created, want)
		}
	}
}

// filterTerm is one `$.field = value` of a JSON metric filter pattern.
var filterTerm = regexp.MustCompile(`^\(?\s*\$\.(\w+)\s*=\s*("[^"]*"|-?[0-9]+)\s*\)?$`)

// TestWebhookUnauthorizedFilter checks that the metric filter behind
// WebhookUnauthorizedAlarm counts what the function really logs: it runs a
// forged notification through the function's handler, built as the
// function builds it from the template's environment, and matches the
// filter's terms against the JSON log line that comes out. The terms are
// field equalities joined by &&, the only form this test understands.
func TestWebhookUnauthorizedFilter(t *testing.T) {
	tmpl := transformed(t, nil)
	var filter struct {
		LogGroupName          any
		FilterPattern         string
		MetricTransformations []struct {
			MetricNamespace any
			MetricName      string
			MetricValue     string
		}
	}
	tmpl.resource(t, "WebhookUnauthorizedMetricFilter", "AWS::Logs::MetricFilter", &filter)
	if !reflect.DeepEqual(filter.LogGroupName, ref("ConnectorLogGroup")) {
		t.Errorf("filter LogGroupName = %s, want the function's log group", show(filter.LogGroupName))
	}
	mt := filter.MetricTransformations
	if len(mt) != 1 || !reflect.DeepEqual(mt[0].MetricNamespace, webhookMetricNamespace) ||
		mt[0].MetricName != "WebhookUnauthorized" || mt[0].MetricValue != "1" {
		t.Errorf("filter MetricTransformations = %s, want 1 per line to WebhookUnauthorized, the alarm's metric", show(mt))
	}

	pattern := strings.TrimSpace(filter.FilterPattern)
	inner, ok := strings.CutPrefix(pattern, "{")
	inner, ok2 := strings.CutSuffix(inner, "}")
	if !ok || !ok2 {
		t.Fatalf("FilterPattern %q is not a JSON pattern", pattern)
	}
	terms := map[string]any{}
	for term := range strings.SplitSeq(inner, "&&") {
		m := filterTerm.FindStringSubmatch(strings.TrimSpace(term))
		if m == nil {
			t.Fatalf("FilterPattern %q: term %q is not $.field = value", pattern, term)
		}
		var v any
		if err := json.Unmarshal([]byte(m[2]), &v); err != nil {
			t.Fatal(err)
		}
		terms[m[1]] = v
	}
	if want := map[string]any{"route": "/webhook", "status": float64(401)}; !reflect.DeepEqual(terms, want) {
		t.Errorf("FilterPattern %q matches %v, want %v", pattern, terms, want)
	}

	lines := logLines(t, tmpl, "webhook-forged.json", "generateId.json")
	matches := func(line map[string]any) bool {
		for k, v := range terms {
			if !reflect.DeepEqual(line[k], v) {
				return false
			}
		}
		return true
	}
	if !matches(lines[0]) {
		t.Errorf("the filter %q does not count the line of a forged notification: %v", pattern, lines[0])
	}
	if matches(lines[1]) {
		t.Errorf("the filter %q counts the line of a generateId: %v", pattern, lines[1])
	}
}

// logLines runs each file of testdata/events through the function's handler,
// configured from the template's environment with parts in memory, and
// returns the JSON log line each writes.
func logLines(t *testing.T, tmpl cfnTemplate, events ...string) []map[string]any {
	t.Helper()
	var fn struct {
		Environment struct{ Variables map[string]any }
	}
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	cfg, err := config.Load(environment(t, newScope(tmpl, stackValues(nil)), fn.Environment.Variables))
	if err != nil {
		t.Fatalf("the function would not start: %v", err)
	}
	var logs bytes.Buffer
	parts := wiring.Parts{
		Store:     &memory.Store{},
		Publisher: &memory.Publisher{},
		Keys:      memory.NewKeys(connector.KeySet{ValidationKey: "local-test-validation-key"}),
	}
	entry, err := wiring.Handler(cfg, parts, wiring.Platform{Logs: &logs})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, name := range events {
		payload, err := os.ReadFile("../../testdata/events/" + name)
		if err != nil {
			t.Fatal(err)
		}
		logs.Reset()
		if _, err := entry.Invoke(t.Context(), payload); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sc := bufio.NewScanner(&logs)
		var line map[string]any
		for n := 0; sc.Scan(); n++ {
			if n > 0 {
				t.Fatalf("%s wrote more than one log line: %s", name, logs.String())
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				t.Fatalf("%s: log line %q is not JSON: %v", name, sc.Text(), err)
			}
		}
		if line == nil {
			t.Fatalf("%s wrote no log line", name)
		}
		out = append(out, line)
	}
	return out
}

// accessLogVariables are the only $context variables the access log may
// hold: none of them carries a path (which may hold a token), a query
// string, a header, a user agent or an IP address.
var accessLogVariables = []string{
	"requestId", "requestTime", "routeKey", "status", "responseLength", "responseLatency",
	"integrationStatus", "integrationLatency", "integrationErrorMessage", "error.message",
}

var contextVariable = regexp.MustCompile(`^\$context\.([A-Za-z.]+)$`)

// TestAccessLogs checks the HTTP API's access logs, which moto cannot
// create: one JSON object per request, whose every field is one of
// accessLogVariables, into a log group of the stack's with the function's
// retention.
func TestAccessLogs(t *testing.T) {
	tmpl := transformed(t, nil)
	var stage struct {
		AccessLogSettings struct {
			DestinationArn any
			Format         string
		}
	}
	tmpl.resource(t, "HttpApiApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage", &stage)
	if want := getAtt("HttpApiAccessLogGroup", "Arn"); !reflect.DeepEqual(stage.AccessLogSettings.DestinationArn, want) {
		t.Errorf("access logs go to %s, want %s", show(stage.AccessLogSettings.DestinationArn), show(want))
	}
	var format map[string]string
	if err := json.Unmarshal([]byte(stage.AccessLogSettings.Format), &format); err != nil {
		t.Fatalf("access log format %q is not a JSON object of strings: %v", stage.AccessLogSettings.Format, err)
	}
	used := map[string]bool{}
	for field, v := range format {
		m := contextVariable.FindStringSubmatch(v)
		if m == nil || !slices.Contains(accessLogVariables, m[1]) {
			t.Errorf("access log field %s = %q, want one of $context.%v", field, v, accessLogVariables)
			continue
		}
		used[m[1]] = true
	}
	for _, v := range []string{"requestId", "requestTime", "routeKey", "status", "responseLength", "integrationLatency"} {
		if !used[v] {
			t.Errorf("access log format %q lacks $context.%s", stage.AccessLogSettings.Format, v)
		}
	}

	var group struct{ RetentionInDays any }
	r := tmpl.resource(t, "HttpApiAccessLogGroup", "AWS::Logs::LogGroup", &group)
	if want := ref("LogRetentionDays"); !reflect.DeepEqual(group.RetentionInDays, want) {
		t.Errorf("access log group RetentionInDays = %s, want %s", show(group.RetentionInDays), show(want))
	}
	if r.DeletionPolicy != "Delete" {
		t.Errorf("access log group DeletionPolicy %q, want Delete: by its format it holds nothing personal", r.DeletionPolicy)
	}
}

// TestTracing checks the Tracing switch: off by default, and Active turns
// on the function's X-Ray tracing (TestFunctionRoleIsLeastPrivilege checks
// the role's permission to write traces).
func TestTracing(t *testing.T) {
	for _, c := range []struct {
		tracing string
		want    any
	}{
		{"", nil},
		{"Disabled", nil},
		{"Active", map[string]any{"Mode": "Active"}},
	} {
		t.Run("Tracing="+c.tracing, func(t *testing.T) {
			var extra map[string]string
			if c.tracing != "" {
				extra = map[string]string{"Tracing": c.tracing}
			}
			tmpl := transformed(t, extra)
			var fn struct{ TracingConfig any }
			tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
			var got any
			if fn.TracingConfig != nil {
				got = newScope(tmpl, extra).eval(t, fn.TracingConfig)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("function TracingConfig = %s, want %s", show(got), show(c.want))
			}
		})
	}
}

// TestDashboard checks the dashboard's body: with the stack's names filled
// in it is JSON, and it shows the function's invocations, errors, throttles
// and duration, the API's requests, 4xx and 5xx, and the webhook's 401s.
func TestDashboard(t *testing.T) {
	tmpl := transformed(t, nil)
	var dash struct{ DashboardBody map[string][]any }
	tmpl.resource(t, "Dashboard", "AWS::CloudWatch::Dashboard", &dash)
	sub := dash.DashboardBody["Fn::Sub"]
	if len(sub) != 2 {
		t.Fatalf("DashboardBody = %s, want Fn::Sub with a body and its variables", show(dash.DashboardBody))
	}
	body, _ := sub[0].(string)
	vars, _ := sub[1].(map[string]any)
	if !reflect.DeepEqual(vars["Namespace"], webhookMetricNamespace) {
		t.Errorf("dashboard Namespace = %s, want the webhook metric's %s", show(vars["Namespace"]), show(webhookMetricNamespace))
	}
	names := map[string]string{
		"AWS::Region":       "us-east-1",
		"ConnectorFunction": "fn-physical",
		"HttpApi":           "api-physical",
		"Namespace":         "ns-physical",
	}
	body = subVar.ReplaceAllStringFunc(body, func(m string) string {
		v, ok := names[m[2:len(m)-1]]
		if !ok {
			t.Errorf("dashboard body names ${%s}, which the test does not know", m[2:len(m)-1])
		}
		return v
	})
	var board struct {
		Widgets []struct {
			Properties struct {
				Metrics [][]any
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &board); err != nil {
		t.Fatalf("dashboard body is not JSON: %v\n%s", err, body)
	}
	shown := map[string]bool{}
	for _, w := range board.Widgets {
		var prev []string
		for _, row := range w.Properties.Metrics {
			var full []string
			for i, e := range row {
				switch s, _ := e.(string); {
				case s == "...":
					full = append(full, prev[len(full):]...)
				case s == "." && i < len(prev):
					full = append(full, prev[i])
				case s != "":
					full = append(full, s)
				}
			}
			prev = full
			shown[strings.Join(full, " ")] = true
		}
	}
	for _, want := range []string{
		"AWS/Lambda Invocations FunctionName fn-physical",
		"AWS/Lambda Errors FunctionName fn-physical",
		"AWS/Lambda Throttles FunctionName fn-physical",
		"AWS/Lambda Duration FunctionName fn-physical",
		"AWS/ApiGateway Count ApiId api-physical",
		"AWS/ApiGateway 4xx ApiId api-physical",
		"AWS/ApiGateway 5xx ApiId api-physical",
		"ns-physical WebhookUnauthorized",
	} {
		if !shown[want] {
			t.Errorf("dashboard does not show %q; it shows %v", want, slices.Sorted(maps.Keys(shown)))
		}
	}
}

// TestHandoffResources checks what moto cannot create from a template: the
// delivery queue's subscription takes upload.submitted events raw, only
// from this stack's topic, and the event source mapping reports partial
// batch failures, which internal/sqsdelivery answers with.
func TestHandoffResources(t *testing.T) {
	tmpl := transformed(t, nil)
	var sub struct {
		TopicArn, Endpoint any
		Protocol           string
		RawMessageDelivery any
		FilterPolicy       map[string]any
	}
	tmpl.resource(t, "DeliverySubscription", "AWS::SNS::Subscription", &sub)
	if !reflect.DeepEqual(sub.TopicArn, ref("EventsTopic")) || sub.Protocol != "sqs" || fmt.Sprint(sub.RawMessageDelivery) != "true" ||
		!reflect.DeepEqual(sub.Endpoint, getAtt("DeliveryQueue", "Arn")) || fmt.Sprint(sub.FilterPolicy["type"]) != "[upload.submitted]" {
		t.Errorf("delivery subscription = %s", show(sub))
	}
	var esm struct {
		EventSourceArn        any
		FunctionResponseTypes []string
	}
	tmpl.resource(t, "DeliveryEventSource", "AWS::Lambda::EventSourceMapping", &esm)
	if !reflect.DeepEqual(esm.EventSourceArn, getAtt("DeliveryQueue", "Arn")) || !slices.Equal(esm.FunctionResponseTypes, []string{"ReportBatchItemFailures"}) {
		t.Errorf("event source mapping = %s", show(esm))
	}
	var policy struct {
		PolicyDocument policyDocument
	}
	tmpl.resource(t, "DeliveryQueuePolicy", "AWS::SQS::QueuePolicy", &policy)
	st := policy.PolicyDocument.Statement
	if len(st) != 1 || st[0].Action != "sqs:SendMessage" || !reflect.DeepEqual(st[0].Condition["ArnEquals"]["aws:SourceArn"], ref("EventsTopic")) {
		t.Errorf("delivery queue policy = %s, want the events topic alone to send", show(st))
	}
}
