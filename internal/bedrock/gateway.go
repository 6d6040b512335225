package bedrock

import (
	"context"
	"encoding/json"
)

// Gateway runs tool with args, the event of an AgentCore Gateway Lambda
// target, which is the tool's arguments as they are. It answers what
// POST /tools/<tool> would put in its body: the output object, or the
// chatbot API's error object; the gateway hands it to the agent as the
// tool's result.
func (h *Handler) Gateway(ctx context.Context, tool string, args json.RawMessage) json.RawMessage {
	return h.call(ctx, tool, args).Body
}
