package deploy

import (
	"reflect"
	"testing"
)

// TestOutputs checks the stack outputs a user needs after deploying.
func TestOutputs(t *testing.T) {
	tmpl := transformed(t, nil)
	api := "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"
	want := map[string]any{
		"ConnectorUrl":      map[string]any{"Fn::Sub": api},
		"McpUrl":            map[string]any{"Fn::Sub": api + "mcp"},
		"WebhookUrl":        map[string]any{"Fn::Sub": api + "webhook"},
		"SecretArn":         ref("ConnectorSecret"),
		"TopicArn":          ref("EventsTopic"),
		"TableName":         ref("UploadsTable"),
		"AlarmTopicArn":     ref("AlarmTopic"),
		"DashboardUrl":      map[string]any{"Fn::Sub": "https://${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#dashboards:name=${Dashboard}"},
		"UploadPagePattern": map[string]any{"Fn::Sub": "${UploadPageUrl}?id=<UploadId>&e=<email>&dz=${DropzoneId}&h=${SendSafelyHost}"},
		"FilesBucketName":   map[string]any{"Fn::If": []any{"CreateFilesBucket", ref("FilesBucketStore"), ref("FilesBucket")}},
	}
	for name, w := range want {
		out, ok := tmpl.Outputs[name]
		if !ok {
			t.Errorf("no output %s", name)
			continue
		}
		if !reflect.DeepEqual(out.Value, w) {
			t.Errorf("output %s = %s, want %s", name, show(out.Value), show(w))
		}
	}
	for name := range tmpl.Outputs {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected output %s", name)
		}
	}

	got := newScope(tmpl, params).eval(t, tmpl.Outputs["UploadPagePattern"].Value)
	if w := "https://files.sendsafely.com/html/cb_upload.htm?id=<UploadId>&e=<email>&dz=DZ-TEST-1&h=acme.sendsafely.com"; got != w {
		t.Errorf("UploadPagePattern = %v, want %v", got, w)
	}
}
