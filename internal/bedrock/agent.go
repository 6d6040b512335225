package bedrock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// MaxBody bounds a tool's body as a Bedrock Agents answer carries it (a
// JSON string): the whole answer stays under Bedrock's 20 KB with room for
// the envelope. read_file cuts its text to fit and gives nextOffset.
const MaxBody = 18_000

// MessageVersion is the only Bedrock Agents event format there is.
const MessageVersion = "1.0"

// AgentEvent is the Lambda input event of a Bedrock Agents action group.
// An action group defined with an OpenAPI schema sets APIPath, HTTPMethod
// and, for a body, RequestBody; one defined with function details sets
// Function.
type AgentEvent struct {
	MessageVersion string `json:"messageVersion"`
	Agent          struct {
		Name    string `json:"name"`
		ID      string `json:"id"`
		Alias   string `json:"alias"`
		Version string `json:"version"`
	} `json:"agent"`
	InputText               string            `json:"inputText"`
	SessionID               string            `json:"sessionId"`
	ActionGroup             string            `json:"actionGroup"`
	APIPath                 string            `json:"apiPath,omitempty"`
	HTTPMethod              string            `json:"httpMethod,omitempty"`
	Function                string            `json:"function,omitempty"`
	Parameters              []Parameter       `json:"parameters"`
	RequestBody             *RequestBody      `json:"requestBody,omitempty"`
	SessionAttributes       map[string]string `json:"sessionAttributes"`
	PromptSessionAttributes map[string]string `json:"promptSessionAttributes"`
}

// Parameter is one value the agent elicited, always sent as a string with
// the type the schema gave it.
type Parameter struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// RequestBody is the body of an OpenAPI operation, by media type.
type RequestBody struct {
	Content map[string]struct {
		Properties []Parameter `json:"properties"`
	} `json:"content"`
}

// AgentResponse is the answer to an AgentEvent, in the variant of its event.
type AgentResponse struct {
	MessageVersion          string            `json:"messageVersion"`
	Response                any               `json:"response"`
	SessionAttributes       map[string]string `json:"sessionAttributes,omitempty"`
	PromptSessionAttributes map[string]string `json:"promptSessionAttributes,omitempty"`
}

// APIResponse answers an action group defined with an OpenAPI schema: the
// /tools/* route's status and JSON body.
type APIResponse struct {
	ActionGroup    string                 `json:"actionGroup"`
	APIPath        string                 `json:"apiPath"`
	HTTPMethod     string                 `json:"httpMethod"`
	HTTPStatusCode int                    `json:"httpStatusCode"`
	ResponseBody   map[string]ResponseDoc `json:"responseBody"`
}

// FunctionResponse answers an action group defined with function details.
type FunctionResponse struct {
	ActionGroup      string `json:"actionGroup"`
	Function         string `json:"function"`
	FunctionResponse struct {
		// ResponseState is empty on success, REPROMPT when the model can put
		// it right (a bad argument, an unknown upload), FAILURE when the
		// connector or what it depends on failed.
		ResponseState string                 `json:"responseState,omitempty"`
		ResponseBody  map[string]ResponseDoc `json:"responseBody"`
	} `json:"functionResponse"`
}

// ResponseDoc is one response body, as a string.
type ResponseDoc struct {
	Body string `json:"body"`
}

// The response states of a function-details answer.
const (
	StateReprompt = "REPROMPT"
	StateFailure  = "FAILURE"
)

// InvokeAgent answers a Bedrock Agents event as the Lambda runtime
// delivers it, raw JSON in and out. An error means raw is no Bedrock Agents
// event the function can read.
func (h *Handler) InvokeAgent(ctx context.Context, raw []byte) ([]byte, error) {
	var ev AgentEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, fmt.Errorf("bedrock: agents event: %w", err)
	}
	return marshal(h.Agent(ctx, ev))
}

// marshal writes an answer as JSON with "&", "<" and ">" as they are:
// the platforms hand the bodies to the agent as text.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Agent runs the tool the event names and answers in the event's variant.
// An OpenAPI action group names it by apiPath (/tools/<tool>), a function
// action group by function name. The session attributes go back as they
// came, so the agent's session keeps them.
func (h *Handler) Agent(ctx context.Context, ev AgentEvent) AgentResponse {
	ctx = tools.WithSurface(ctx, tools.Surface{MaxBytes: MaxBody})
	resp := AgentResponse{MessageVersion: MessageVersion, SessionAttributes: ev.SessionAttributes,
		PromptSessionAttributes: ev.PromptSessionAttributes}
	if ev.Function != "" || ev.APIPath == "" {
		reply := h.call(ctx, ev.Function, arguments(ev.Parameters))
		fr := FunctionResponse{ActionGroup: ev.ActionGroup, Function: ev.Function}
		fr.FunctionResponse.ResponseBody = map[string]ResponseDoc{"TEXT": {Body: string(reply.Body)}}
		switch {
		case reply.OK():
		case reply.Status >= http.StatusInternalServerError:
			fr.FunctionResponse.ResponseState = StateFailure
		default:
			fr.FunctionResponse.ResponseState = StateReprompt
		}
		resp.Response = fr
		return resp
	}
	var params []Parameter
	params = append(params, ev.Parameters...)
	if ev.RequestBody != nil {
		for mt, c := range ev.RequestBody.Content {
			if strings.HasPrefix(strings.ToLower(mt), "application/json") {
				params = append(params, c.Properties...)
			}
		}
	}
	tool, _ := strings.CutPrefix(strings.TrimRight(ev.APIPath, "/"), "/tools/")
	reply := h.call(ctx, tool, arguments(params))
	resp.Response = APIResponse{ActionGroup: ev.ActionGroup, APIPath: ev.APIPath, HTTPMethod: ev.HTTPMethod,
		HTTPStatusCode: reply.Status, ResponseBody: map[string]ResponseDoc{"application/json": {Body: string(reply.Body)}}}
	return resp
}

// arguments turns parameters into the JSON object a tool takes. A number or
// boolean that parses as one is sent as one; anything else as the string it
// came as, for the tool to accept or refuse with a sentence naming it.
func arguments(params []Parameter) json.RawMessage {
	args := make(map[string]any, len(params))
	for _, p := range params {
		var v any = p.Value
		switch strings.ToLower(p.Type) {
		case "number", "integer":
			var f float64
			if json.Unmarshal([]byte(p.Value), &f) == nil {
				v = json.Number(strings.TrimSpace(p.Value))
			}
		case "boolean":
			var b bool
			if json.Unmarshal([]byte(p.Value), &b) == nil {
				v = b
			}
		}
		args[p.Name] = v
	}
	b, err := json.Marshal(args)
	if err != nil {
		return json.RawMessage("{}")
	}
	return b
}
