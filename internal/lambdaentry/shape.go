package lambdaentry

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The shapes an event can have, as Entry sorts them.

// Keys of the Lambda client context that AgentCore Gateway sets.
const (
	// toolNameKey holds "<target>___<tool>".
	toolNameKey = "bedrockAgentCoreToolName"
	// toolSeparator separates the gateway target from the tool's name.
	toolSeparator = "___"
)

// gatewayTool returns the tool an AgentCore Gateway invocation calls, from
// the client context of ctx, and reports whether ctx is such an invocation.
// The target's prefix is removed: "connector___get_secure_link" is
// get_secure_link.
func gatewayTool(ctx context.Context) (string, bool) {
	lc, ok := lambdacontext.FromContext(ctx)
	if !ok {
		return "", false
	}
	name, ok := lc.ClientContext.Custom[toolNameKey]
	if !ok || name == "" {
		return "", false
	}
	if _, tool, found := strings.Cut(name, toolSeparator); found {
		return tool, true
	}
	return name, true
}

// isAgentEvent reports whether raw has the shape of a Bedrock Agents event:
// an object with messageVersion, agent and actionGroup, which no HTTP event
// carries.
func isAgentEvent(raw []byte) bool {
	var probe struct {
		MessageVersion *string          `json:"messageVersion"`
		Agent          *json.RawMessage `json:"agent"`
		ActionGroup    *string          `json:"actionGroup"`
	}
	// Every HTTP request passes here: a byte search rules almost all of
	// them out before a full parse. Inside a JSON string (an HTTP body) the
	// key would read \"actionGroup\", which does not match.
	if !bytes.Contains(raw, []byte(`"actionGroup"`)) || !bytes.Contains(raw, []byte(`"messageVersion"`)) {
		return false
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) || json.Unmarshal(raw, &probe) != nil {
		return false
	}
	return probe.MessageVersion != nil && probe.Agent != nil && probe.ActionGroup != nil
}

// isSQS reports whether raw is an SQS batch: an object whose Records all
// come from "aws:sqs". A string of an HTTP body cannot match: its quotes
// are escaped.
func isSQS(raw []byte) bool {
	if !bytes.Contains(raw, []byte(`"aws:sqs"`)) || !bytes.Contains(raw, []byte(`"Records"`)) {
		return false
	}
	var probe struct {
		Records []struct {
			EventSource string `json:"eventSource"`
		} `json:"Records"`
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) || json.Unmarshal(raw, &probe) != nil || len(probe.Records) == 0 {
		return false
	}
	for _, r := range probe.Records {
		if r.EventSource != "aws:sqs" {
			return false
		}
	}
	return true
}

// isSweep reports whether raw is the scheduler's {"action":"sweep"}.
func isSweep(raw []byte) bool {
	if !bytes.Contains(raw, []byte(`"sweep"`)) {
		return false
	}
	var probe struct {
		Action *string `json:"action"`
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) || json.Unmarshal(raw, &probe) != nil {
		return false
	}
	return probe.Action != nil && *probe.Action == "sweep"
}

// isEventBridge reports whether raw is an event EventBridge delivers: an
// object with source, detail-type and an object detail. An HTTP body
// cannot match: its quotes are escaped.
func isEventBridge(raw []byte) bool {
	if !bytes.Contains(raw, []byte(`"detail-type"`)) || !bytes.Contains(raw, []byte(`"detail"`)) {
		return false
	}
	var probe struct {
		Source     *string         `json:"source"`
		DetailType *string         `json:"detail-type"`
		Detail     json.RawMessage `json:"detail"`
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) || json.Unmarshal(raw, &probe) != nil {
		return false
	}
	return probe.Source != nil && probe.DetailType != nil && bytes.HasPrefix(bytes.TrimSpace(probe.Detail), []byte("{"))
}

// isHTTP reports whether raw has the shape of an API Gateway (REST or HTTP
// API) or Function URL event: an object with requestContext (every kind)
// or httpMethod (REST). The keys are looked for as bytes, as every HTTP
// request passes here; inside a JSON string they would read
// \"requestContext\" and not match.
func isHTTP(raw []byte) bool {
	if !bytes.HasPrefix(bytes.TrimLeft(raw, " \t\r\n"), []byte("{")) {
		return false
	}
	return bytes.Contains(raw, []byte(`"requestContext"`)) || bytes.Contains(raw, []byte(`"httpMethod"`))
}
