package lambdaentry

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// TestIsAgentEvent and TestGatewayTool moved here from internal/bedrock
// with the predicates they test, unchanged.

func TestIsAgentEvent(t *testing.T) {
	for _, tt := range []struct {
		name, raw string
		want      bool
	}{
		{"function details", `{"messageVersion":"1.0","agent":{"name":"a"},"actionGroup":"g","function":"f"}`, true},
		{"openapi", `{"messageVersion":"1.0","agent":{},"actionGroup":"g","apiPath":"/tools/x"}`, true},
		{"http api event", `{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"POST"}}}`, false},
		{"no agent", `{"messageVersion":"1.0","actionGroup":"g"}`, false},
		{"tool arguments", `{"uploadId":"x","email":"y"}`, false},
		{"array", `[{"messageVersion":"1.0","agent":{},"actionGroup":"g"}]`, false},
		{"not json", `messageVersion agent actionGroup`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := isAgentEvent([]byte(tt.raw)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGatewayTool(t *testing.T) {
	for _, tt := range []struct {
		name   string
		custom map[string]string
		tool   string
		ok     bool
	}{
		{"target prefix", map[string]string{"bedrockAgentCoreToolName": "connector___get_secure_link"}, "get_secure_link", true},
		{"no prefix", map[string]string{"bedrockAgentCoreToolName": "get_secure_link"}, "get_secure_link", true},
		{"other custom keys", map[string]string{"app": "x"}, "", false},
		{"no client context", nil, "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
				ClientContext: lambdacontext.ClientContext{Custom: tt.custom}})
			tool, ok := gatewayTool(ctx)
			if tool != tt.tool || ok != tt.ok {
				t.Errorf("got %q %v, want %q %v", tool, ok, tt.tool, tt.ok)
			}
		})
	}
	if _, ok := gatewayTool(context.Background()); ok {
		t.Error("a context with no Lambda context is taken for a gateway call")
	}
}
