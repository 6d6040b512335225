package bedrock

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Keys of the Lambda client context that AgentCore Gateway sets.
const (
	// toolNameKey holds "<target>___<tool>".
	toolNameKey = "bedrockAgentCoreToolName"
	// toolSeparator separates the gateway target from the tool's name.
	toolSeparator = "___"
)

// GatewayTool returns the tool an AgentCore Gateway invocation calls, from
// the client context of ctx, and reports whether ctx is such an invocation.
// The target's prefix is removed: "connector___get_secure_link" is
// get_secure_link.
func GatewayTool(ctx context.Context) (string, bool) {
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

// Gateway runs tool with args, the event of an AgentCore Gateway Lambda
// target, which is the tool's arguments as they are. It answers what
// POST /tools/<tool> would put in its body: the output object, or the
// chatbot API's error object; the gateway hands it to the agent as the
// tool's result.
func (h *Handler) Gateway(ctx context.Context, tool string, args json.RawMessage) json.RawMessage {
	return h.call(ctx, tool, args).Body
}
