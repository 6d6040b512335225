// Package lambdaentry is the function's one Lambda handler: it sorts the
// raw events the function is invoked with by their shape and hands each to
// its handler, so one deployment serves API Gateway and Function URLs,
// Bedrock Agents, AgentCore Gateway, SQS batches, the scheduler's sweep and
// EventBridge's malware scan results with no setting to choose between them. It knows the shapes only: the
// handlers are fields, set by internal/wiring, and it imports no adapter.
package lambdaentry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// HTTP answers API Gateway and Function URL events, raw JSON in and out,
// and serves net/http for local runs: apigw.Handler is one.
type HTTP interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
	http.Handler
}

// Entry is the function's one handler. Each field handles one shape of
// event; a nil field means the function does not take that shape, and such
// an event, like one of no known shape, is logged and answered with a
// Lambda error.
type Entry struct {
	// HTTP answers API Gateway (REST and HTTP API) and Function URL events.
	HTTP HTTP
	// Agents answers a Bedrock Agents action group event, raw JSON in and
	// out.
	Agents func(ctx context.Context, raw []byte) ([]byte, error)
	// Gateway answers an AgentCore Gateway Lambda target's invocation: the
	// tool named in the client context, with the event as its arguments.
	Gateway func(ctx context.Context, tool string, args json.RawMessage) json.RawMessage
	// SQS handles a batch of SQS messages of the delivery queue, reporting
	// the ones that failed.
	SQS func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error)
	// Files handles the messages of the files queue (retrieval), named by
	// FilesQueue, as SQS does the others.
	Files func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error)
	// FilesQueue is the files queue's name: the last part of its URL and
	// of its ARN, which each record's eventSourceARN names.
	FilesQueue string
	// Sweep runs the scheduled sweep, invoked with {"action":"sweep"}.
	Sweep func(ctx context.Context) error
	// Scan handles an EventBridge event (source, detail-type and detail):
	// a malware scanner's verdict on a stored file (Scanner). An error
	// means the event is to be delivered again.
	Scan func(ctx context.Context, raw []byte) error
	// Log receives a line for each event the entry cannot hand on; nil
	// discards.
	Log *slog.Logger
}

// ErrUnknownEvent means the event has no shape the function takes, or the
// shape's handler is not set.
var ErrUnknownEvent = errors.New("lambdaentry: unknown event")

// sweepDone is the answer to a sweep or an EventBridge event: neither
// the scheduler nor EventBridge reads it.
var sweepDone = []byte(`{"result":"success"}`)

// Invoke answers one event as the Lambda runtime delivers it, raw JSON in
// and out, which makes *Entry a lambda.Handler. It tells the shapes apart
// in this order: an AgentCore Gateway invocation (the tool's name in the
// client context, its arguments as the event), a Bedrock Agents event
// (messageVersion, agent and actionGroup), an SQS batch, the sweep, an
// EventBridge event, an HTTP event. Anything else is an error, logged once
// here: a function that is invoked with what it cannot read is
// misconfigured, and should fail loudly rather than answer an HTTP 405
// nobody reads.
func (e *Entry) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if tool, ok := gatewayTool(ctx); ok {
		if e.Gateway == nil {
			return e.refuse(ctx, "agentcore")
		}
		// The answer is already JSON, written by the tool runner.
		return e.Gateway(ctx, tool, payload), nil
	}
	switch {
	case isAgentEvent(payload):
		if e.Agents == nil {
			return e.refuse(ctx, "bedrock-agents")
		}
		return e.Agents(ctx, payload)
	case isSQS(payload):
		return e.sqs(ctx, payload)
	case isSweep(payload):
		if e.Sweep == nil {
			return e.refuse(ctx, "sweep")
		}
		if err := e.Sweep(ctx); err != nil {
			return nil, err
		}
		return sweepDone, nil
	case isEventBridge(payload):
		if e.Scan == nil {
			return e.refuse(ctx, "eventbridge")
		}
		if err := e.Scan(ctx, payload); err != nil {
			return nil, err
		}
		return sweepDone, nil
	case isHTTP(payload):
		if e.HTTP == nil {
			return e.refuse(ctx, "http")
		}
		out, err := e.HTTP.Invoke(ctx, payload)
		if err != nil {
			return nil, fmt.Errorf("lambdaentry: http event: %w", err)
		}
		return out, nil
	}
	return e.refuse(ctx, "unknown")
}

// refuse logs an event the entry cannot hand on and returns the Lambda
// error. The line names the shape, never the event's content, which may
// hold an email or a link.
func (e *Entry) refuse(ctx context.Context, shape string) ([]byte, error) {
	log := e.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var requestID string
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		requestID = lc.AwsRequestID
	}
	err := fmt.Errorf("%w: shape %s has no handler", ErrUnknownEvent, shape)
	if shape == "unknown" {
		err = fmt.Errorf("%w: no known shape (HTTP, Bedrock Agents, AgentCore Gateway, SQS, sweep or EventBridge)", ErrUnknownEvent)
	}
	log.LogAttrs(ctx, slog.LevelError, "event", slog.String("requestId", requestID), slog.String("route", "invoke"),
		slog.String("shape", shape), slog.String("error", err.Error()))
	return nil, err
}
