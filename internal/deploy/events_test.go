package deploy

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestEvents checks what moto does not create or keep of the events side:
// the topic's key, and the optional subscriptions with their dead-letter
// queue, each there exactly when its parameter is set.
func TestEvents(t *testing.T) {
	tmpl := transformed(t, nil)

	var topic struct{ KmsMasterKeyId any }
	tmpl.resource(t, "EventsTopic", "AWS::SNS::Topic", &topic)
	if want := ref("EventsKey"); !reflect.DeepEqual(topic.KmsMasterKeyId, want) {
		t.Errorf("topic KmsMasterKeyId = %s, want %s", show(topic.KmsMasterKeyId), show(want))
	}
	var key struct{ EnableKeyRotation bool }
	tmpl.resource(t, "EventsKey", "AWS::KMS::Key", &key)
	if !key.EnableKeyRotation {
		t.Error("events key rotation is off")
	}

	var queue struct{ KmsMasterKeyId any }
	dlq := tmpl.resource(t, "EventsDeadLetterQueue", "AWS::SQS::Queue", &queue)
	if want := ref("EventsKey"); !reflect.DeepEqual(queue.KmsMasterKeyId, want) {
		t.Errorf("dead-letter queue KmsMasterKeyId = %s, want %s", show(queue.KmsMasterKeyId), show(want))
	}
	var qp struct {
		Queues         []any
		PolicyDocument policyDocument
	}
	qpr := tmpl.resource(t, "EventsDeadLetterQueuePolicy", "AWS::SQS::QueuePolicy", &qp)
	wantStatement := statement{
		Sid:       "TopicSendsUndeliverable",
		Effect:    "Allow",
		Principal: map[string]any{"Service": "sns.amazonaws.com"},
		Action:    "sqs:SendMessage",
		Resource:  getAtt("EventsDeadLetterQueue", "Arn"),
		Condition: map[string]map[string]any{"ArnEquals": {"aws:SourceArn": ref("EventsTopic")}},
	}
	if len(qp.PolicyDocument.Statement) != 1 || !reflect.DeepEqual(qp.PolicyDocument.Statement[0], wantStatement) {
		t.Errorf("dead-letter queue policy = %s, want only %s", show(qp.PolicyDocument.Statement), show(wantStatement))
	}
	if want := []any{ref("EventsDeadLetterQueue")}; !reflect.DeepEqual(qp.Queues, want) {
		t.Errorf("queue policy Queues = %s, want %s", show(qp.Queues), show(want))
	}

	for _, c := range []struct {
		id, protocol, endpoint string
	}{
		{"EmailSubscription", "email", "NotificationEmail"},
		{"HttpsSubscription", "https", "NotificationHttpsUrl"},
	} {
		var sub struct {
			TopicArn, Endpoint any
			Protocol           string
			RedrivePolicy      map[string]any
		}
		r := tmpl.resource(t, c.id, "AWS::SNS::Subscription", &sub)
		want := map[string]any{"deadLetterTargetArn": getAtt("EventsDeadLetterQueue", "Arn")}
		if sub.Protocol != c.protocol || !reflect.DeepEqual(sub.Endpoint, ref(c.endpoint)) ||
			!reflect.DeepEqual(sub.TopicArn, ref("EventsTopic")) || !reflect.DeepEqual(sub.RedrivePolicy, want) {
			t.Errorf("%s = %s, want %s to %s on the topic, redriven to the dead-letter queue", c.id, r.Properties, c.protocol, c.endpoint)
		}

		// Created exactly when its parameter is set; the queue with either.
		for _, set := range []bool{false, true} {
			given := map[string]string{"NotificationEmail": "", "NotificationHttpsUrl": ""}
			if set {
				given[c.endpoint] = params[c.endpoint]
			}
			s := newScope(tmpl, given)
			for _, res := range []struct {
				id string
				r  cfnResource
			}{{c.id, r}, {"EventsDeadLetterQueue", dlq}, {"EventsDeadLetterQueuePolicy", qpr}} {
				created := res.r.Condition == "" || s.cond(t, res.r.Condition)
				if created != set {
					t.Errorf("with %s %q, %s is created: %v, want %v", c.endpoint, given[c.endpoint], res.id, created, set)
				}
			}
		}
	}
}

// TestSecret checks the secret moto cannot create from a template: it holds
// the placeholder the function understands, to be filled in after deploying.
func TestSecret(t *testing.T) {
	tmpl := transformed(t, nil)
	var secret struct {
		SecretString         string
		GenerateSecretString any
	}
	tmpl.resource(t, "ConnectorSecret", "AWS::SecretsManager::Secret", &secret)
	var fields map[string]string
	if err := json.Unmarshal([]byte(secret.SecretString), &fields); err != nil {
		t.Fatalf("SecretString %q is not JSON: %v", secret.SecretString, err)
	}
	want := map[string]string{"validationKey": "", "previousValidationKey": "", "apiToken": ""}
	if !reflect.DeepEqual(fields, want) || secret.GenerateSecretString != nil {
		t.Errorf("secret = %s, want the empty placeholder %s", show(secret), show(want))
	}
}
