package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// TestDeliveryTakesOnlyIDsFromTheQueue: a message put into the delivery
// queue by someone else cannot choose where a link goes or what the
// callback says: the event is rebuilt from the store, and a message whose
// ids are not a stored submission's delivers nothing.
func TestDeliveryTakesOnlyIDsFromTheQueue(t *testing.T) {
	c := newCloud(t)
	rc, srv := c.callbackReceiver(t)
	c.vars["CALLBACK_URL"] = srv.URL + "/hook"
	c.vars["DELIVERY_QUEUE_URL"] = c.queueURL
	h := c.instance(t)

	st, up := c.chat(t, `{"action":"generateId","email":"customer@example.com","conversationId":"conv-9"}`)
	if st != 200 {
		t.Fatalf("generateId: %d %v", st, up)
	}
	n := notice{uploadID: up["UploadId"].(string), email: "customer@example.com", packageID: "INJ-0001",
		keyCode: "KeyInject-0123456789abcdef", key: itKey, submittedAt: time.Now()}
	if st, err := post(h, n.form()); err != nil || st != 200 {
		t.Fatalf("webhook: %d, %v", st, err)
	}
	out, err := c.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: &c.queueURL, MaxNumberOfMessages: 10})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("queue: %d messages, %v", len(out.Messages), err)
	}
	var real map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.Messages[0].Body)), &real); err != nil {
		t.Fatal(err)
	}
	// deliver hands h one message whose body is the real event changed by
	// edit, and returns what the receiver got.
	deliver := func(t *testing.T, edit map[string]any) []map[string]any {
		t.Helper()
		ev := map[string]any{}
		for k, v := range real {
			ev[k] = v
		}
		for k, v := range edit {
			ev[k] = v
		}
		body, _ := json.Marshal(ev)
		raw, _ := json.Marshal(events.SQSEvent{Records: []events.SQSMessage{{MessageId: "m-1", ReceiptHandle: "rh-1",
			Body: string(body), EventSource: "aws:sqs"}}})
		rc.mu.Lock()
		rc.got = nil
		rc.mu.Unlock()
		answer, err := h.Invoke(context.Background(), raw)
		if err != nil {
			t.Fatalf("SQS batch: %v", err)
		}
		var resp events.SQSEventResponse
		if err := json.Unmarshal(answer, &resp); err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("batch answer %s, %v; want no failures", answer, err)
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return append([]map[string]any(nil), rc.got...)
	}

	attacker := map[string]any{"conversationId": "attacker-conv", "email": "attacker@example.net",
		"submittedAt": "2020-01-01T00:00:00Z", "source": "sendsafely", "dropzoneId": "OTHER"}
	t.Run("real ids, forged fields: delivered as stored", func(t *testing.T) {
		got := deliver(t, attacker)
		if len(got) != 1 {
			t.Fatalf("callbacks: got %d, want 1", len(got))
		}
		ev := got[0]
		for k, want := range map[string]any{"conversationId": "conv-9", "email": "customer@example.com", "source": "webhook",
			"submittedAt": real["submittedAt"], "dropzoneId": real["dropzoneId"], "id": real["id"], "webhook-id": real["id"],
			"secureLink": n.link()} {
			if ev[k] != want {
				t.Errorf("%s: got %v, want %v", k, ev[k], want)
			}
		}
	})
	for _, tt := range []struct {
		name string
		edit map[string]any
	}{
		{"forged event id", map[string]any{"id": "evt_00000000000000000000000000000000"}},
		{"another package", map[string]any{"packageId": "INJ-0002"}},
		{"another upload", map[string]any{"uploadId": "00000000-0000-4000-8000-000000000001"}},
	} {
		t.Run(tt.name+": nothing delivered", func(t *testing.T) {
			edit := map[string]any{}
			for k, v := range attacker {
				edit[k] = v
			}
			for k, v := range tt.edit {
				edit[k] = v
			}
			if got := deliver(t, edit); len(got) != 0 {
				t.Errorf("callbacks: got %v, want none", got)
			}
		})
	}
}
