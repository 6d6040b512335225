package sqsdelivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sqsdelivery"
)

const queueURL = "https://sqs.eu-west-2.amazonaws.com/123456789012/deliveries"

var errDown = fmt.Errorf("%w: test: receiver down", connector.ErrUnavailable)

// fakeDeliverer answers each event by its id, and records the ids.
type fakeDeliverer struct {
	mu      sync.Mutex
	answers map[string]error
	got     []string
}

func (f *fakeDeliverer) Deliver(_ context.Context, ev connector.Event) (connector.Delivery, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, ev.ID)
	err := f.answers[ev.ID]
	if err != nil {
		return connector.Delivery{Callback: connector.TargetFailed}, err
	}
	return connector.Delivery{Callback: connector.TargetSent}, nil
}

// fakeSQS records the visibility changes, keyed by receipt handle.
type fakeSQS struct {
	mu  sync.Mutex
	got map[string]int32
	err error
}

func (f *fakeSQS) ChangeMessageVisibility(_ context.Context, in *sqs.ChangeMessageVisibilityInput, _ ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if aws.ToString(in.QueueUrl) != queueURL {
		return nil, fmt.Errorf("queue %q", aws.ToString(in.QueueUrl))
	}
	if f.got == nil {
		f.got = map[string]int32{}
	}
	f.got[aws.ToString(in.ReceiptHandle)] = in.VisibilityTimeout
	return &sqs.ChangeMessageVisibilityOutput{}, f.err
}

// message is an SQS record of the event with id, received receives times.
func message(t *testing.T, id string, receives int) events.SQSMessage {
	t.Helper()
	body, err := json.Marshal(connector.Event{ID: id, Type: connector.EventSubmitted, UploadID: "00000000-0000-4000-8000-000000000001",
		Email: "customer@example.com", PackageID: "P1", SubmittedAt: "2026-11-21T07:59:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	return events.SQSMessage{MessageId: "m-" + id, ReceiptHandle: "rh-" + id, Body: string(body),
		Attributes: map[string]string{"ApproximateReceiveCount": fmt.Sprint(receives)}}
}

func TestHandle(t *testing.T) {
	sched := sqsdelivery.Schedule{Base: time.Minute, Max: 4 * time.Hour, MaxReceives: 14}
	d := &fakeDeliverer{answers: map[string]error{
		"evt_down1": errDown, "evt_down3": errDown, "evt_down9": errDown, "evt_last": errDown,
		"evt_boom": errors.New("unclassified"), "evt_invalid": connector.ErrInvalid,
	}}
	api := &fakeSQS{}
	h, err := sqsdelivery.New(d, api, queueURL, sched, nil)
	if err != nil {
		t.Fatal(err)
	}
	notEvent := events.SQSMessage{MessageId: "m-junk", ReceiptHandle: "rh-junk", Body: "not json"}
	batch := events.SQSEvent{Records: []events.SQSMessage{
		message(t, "evt_ok", 1), message(t, "evt_down1", 1), message(t, "evt_down3", 3),
		message(t, "evt_down9", 9), message(t, "evt_last", 14), message(t, "evt_boom", 2),
		message(t, "evt_invalid", 1), notEvent,
	}}
	resp, err := h.Handle(t.Context(), batch)
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	want := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{
		{ItemIdentifier: "m-evt_down1"}, {ItemIdentifier: "m-evt_down3"}, {ItemIdentifier: "m-evt_down9"},
		{ItemIdentifier: "m-evt_last"}, {ItemIdentifier: "m-evt_boom"},
	}}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	wantVisibility := map[string]int32{
		"rh-evt_down1": 60, "rh-evt_down3": 240, "rh-evt_down9": 4 * 3600,
		"rh-evt_last": 0, // the last attempt: straight to the dead-letter queue
		"rh-evt_boom": 120,
	}
	if diff := cmp.Diff(wantVisibility, api.got); diff != "" {
		t.Errorf("visibility (-want +got):\n%s", diff)
	}
	if len(d.got) != 7 {
		t.Errorf("delivered %d events, want 7 (all but the one that is not an event)", len(d.got))
	}
}

// TestHandleAllDone: when every message is done, the answer is an empty
// list, as the contract shows it: {"batchItemFailures":[]}.
func TestHandleAllDone(t *testing.T) {
	h, err := sqsdelivery.New(&fakeDeliverer{}, &fakeSQS{}, queueURL, sqsdelivery.DefaultSchedule(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := h.Handle(t.Context(), events.SQSEvent{Records: []events.SQSMessage{message(t, "evt_ok", 1)}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(resp)
	if string(got) != `{"batchItemFailures":[]}` {
		t.Errorf("got %s, want {\"batchItemFailures\":[]}", got)
	}
}

// TestHandleRescheduleFails: a message whose visibility cannot be changed
// is still named for retry (it comes back after the queue's timeout).
func TestHandleRescheduleFails(t *testing.T) {
	d := &fakeDeliverer{answers: map[string]error{"evt_down": errDown}}
	h, err := sqsdelivery.New(d, &fakeSQS{err: errors.New("sqs down")}, queueURL, sqsdelivery.DefaultSchedule(), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := h.Handle(t.Context(), events.SQSEvent{Records: []events.SQSMessage{message(t, "evt_down", 1)}})
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "m-evt_down" {
		t.Errorf("got %+v, want m-evt_down to retry", resp.BatchItemFailures)
	}
}

// TestHandleLogsNoSecrets: the log lines name the message and the
// outcome, never the email or the link a message may carry.
func TestHandleLogsNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	d := &fakeDeliverer{answers: map[string]error{"evt_down": errDown}}
	h, err := sqsdelivery.New(d, &fakeSQS{}, queueURL, sqsdelivery.DefaultSchedule(), slog.New(slog.NewJSONHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m := message(t, "evt_down", 1)
	var ev connector.Event
	json.Unmarshal([]byte(m.Body), &ev)
	ev.SecureLink = "https://acme.sendsafely.com/receive/?thread=P1#keyCode=secretkeycode"
	body, _ := json.Marshal(ev)
	m.Body = string(body)
	h.Handle(t.Context(), events.SQSEvent{Records: []events.SQSMessage{m}})
	out := buf.String()
	t.Logf("log: %s", out)
	for _, leak := range []string{"customer@example.com", "secretkeycode", ev.UploadID} {
		if strings.Contains(out, leak) {
			t.Errorf("the log quotes %q", leak)
		}
	}
	for _, want := range []string{`"messageId":"m-evt_down"`, `"outcome":"retry"`, `"retryIn":"1m0s"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s", want)
		}
	}
}

func TestNewChecks(t *testing.T) {
	if _, err := sqsdelivery.New(&fakeDeliverer{}, &fakeSQS{}, "", sqsdelivery.DefaultSchedule(), nil); err == nil {
		t.Error("no queue url: got no error")
	}
	if _, err := sqsdelivery.New(&fakeDeliverer{}, &fakeSQS{}, queueURL, sqsdelivery.Schedule{}, nil); err == nil {
		t.Error("zero schedule: got no error")
	}
}
