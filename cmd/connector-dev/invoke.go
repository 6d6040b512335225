package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// invokeCommand is `connector-dev invoke <event.json>`: run one API Gateway
// event through the handler, as `sam local invoke` does without Docker, and
// print the response JSON the function returns. The event goes through the
// Lambda runtime's own handler wrapper, as raw JSON.
func invokeCommand(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("invoke", e)
	var bf backendFlags
	bf.register(fs, e)
	clientContext := fs.String("client-context", "", "the Lambda client context, as JSON or as the base64 of it that aws lambda invoke --client-context takes\n(an AgentCore Gateway event names its tool there: {\"custom\":{\"bedrockAgentCoreToolName\":\"connector___get_secure_link\"}})")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("invoke takes one event file, such as testdata/events/generateId.json")
	}
	if *clientContext != "" {
		cc, err := parseClientContext(*clientContext)
		if err != nil {
			return err
		}
		ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: "local-invoke", ClientContext: cc})
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	pagePort, err := portDefault(e, envPagePort, 8081)
	if err != nil {
		return err
	}
	b, err := openBackend(ctx, bf.backend, bf.data, fmt.Sprintf("http://127.0.0.1:%d", pagePort), e.getenv, e.stderr)
	if err != nil {
		return err
	}
	defer b.close()
	h, err := wiring.Handler(b.cfg, b.parts, wiring.Platform{Logs: e.stderr})
	if err != nil {
		return err
	}
	out, err := h.Invoke(ctx, raw)
	if err != nil {
		return fmt.Errorf("invoke %s: %w", fs.Arg(0), err)
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n", out)
	return err
}

// parseClientContext reads -client-context: a JSON object, or the base64
// of one as aws lambda invoke --client-context takes it.
func parseClientContext(v string) (lambdacontext.ClientContext, error) {
	var cc lambdacontext.ClientContext
	raw := []byte(strings.TrimSpace(v))
	if len(raw) > 0 && raw[0] != '{' {
		b, err := base64.StdEncoding.DecodeString(string(raw))
		if err != nil {
			return cc, usageErrorf("-client-context is neither a JSON object nor base64: %v", err)
		}
		raw = b
	}
	if err := json.Unmarshal(raw, &cc); err != nil {
		return cc, usageErrorf("-client-context is not a client context: %v", err)
	}
	return cc, nil
}
