package bedrock

import (
	"context"
	"encoding/json"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// GatewayMaxBody bounds a tool's answer to an AgentCore Gateway Lambda
// target. The answer is the function's response payload, which Lambda
// caps at 6 MB for a synchronous invocation; the gateway states no lower
// bound of its own, and hands the answer to the agent as text. read_file
// cuts its text to fit and gives nextOffset (within maxChars, at most
// 100,000 characters, it always fits); images go as a description and the
// download link, never as content.
const GatewayMaxBody = 6_000_000

// Gateway runs tool with args, the event of an AgentCore Gateway Lambda
// target, which is the tool's arguments as they are. It answers what
// POST /tools/<tool> would put in its body: the output object, or the
// chatbot API's error object; the gateway hands it to the agent as the
// tool's result.
func (h *Handler) Gateway(ctx context.Context, tool string, args json.RawMessage) json.RawMessage {
	ctx = tools.WithSurface(ctx, tools.Surface{MaxBytes: GatewayMaxBody})
	return h.call(ctx, tool, args).Body
}
