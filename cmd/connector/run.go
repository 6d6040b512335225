package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// run loads the configuration, wires the handler once (warm invocations
// reuse its clients) and hands it to the Lambda runtime.
func run(ctx context.Context, getenv func(string) string) error {
	h, err := newHandler(ctx, platform{getenv: getenv, logs: os.Stdout})
	if err != nil {
		return err
	}
	// Links keep their "&" as it is in every answer: AgentCore hands the
	// answer to the agent as text.
	lambda.StartWithOptions(h.Invoke, lambda.WithContext(ctx), lambda.WithSetEscapeHTML(false))
	return nil
}

// platform is what the function takes from its surroundings; tests swap
// the clock and the log sink.
type platform struct {
	getenv func(string) string
	logs   io.Writer
	now    func() time.Time                                 // nil: time.Now
	sleep  func(ctx context.Context, d time.Duration) error // nil: a real timer
}

// newHandler builds the handler from the environment, on AWS. It makes no
// network call: SDK clients resolve credentials and the secret is read on
// first use.
func newHandler(ctx context.Context, p platform) (*wiring.Entry, error) {
	cfg, err := config.Load(p.getenv)
	if err != nil {
		return nil, err
	}
	awsCfg, err := wiring.LoadAWS(ctx)
	if err != nil {
		return nil, err
	}
	return wiring.Handler(cfg, wiring.AWS(cfg, awsCfg, p.now), wiring.Platform{Logs: p.logs, Now: p.now, Sleep: p.sleep})
}
