package main

import (
	"context"
	"fmt"
	"os"

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
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("invoke takes one event file, such as testdata/events/generateId.json")
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
