// Package bedrock answers the agent tools to Amazon Bedrock: Bedrock Agents
// action groups (both the OpenAPI-schema and the function-details kind) and
// AgentCore Gateway Lambda targets. Both invoke the function directly,
// authorised by IAM, with events of their own shapes; this package tells
// those shapes apart from an HTTP event, turns them into tool calls and the
// replies back into the shapes each platform reads.
package bedrock

import (
	"context"
	"encoding/json"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Caller runs the agent tools: apigw.Tools is one.
type Caller interface {
	// CallTool runs the tool called name with the JSON object args and
	// answers as POST /tools/<name> would.
	CallTool(ctx context.Context, name string, args json.RawMessage) tools.Reply
}

// Handler answers Bedrock Agents and AgentCore Gateway invocations.
type Handler struct {
	c Caller
}

// New returns a Handler that runs the tools through c.
func New(c Caller) *Handler { return &Handler{c: c} }
