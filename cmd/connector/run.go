package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/sendsafely/chatbot-connector/internal/awsenv"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// run loads the configuration, wires the handler once (warm invocations
// reuse its clients) and hands it to the Lambda runtime.
func run(ctx context.Context, getenv func(string) string) error {
	h, err := newHandler(ctx, platform{getenv: getenv, logs: os.Stdout})
	if err != nil {
		return err
	}
	// The entry is a lambda.Handler itself (raw JSON in and out), so the
	// runtime skips aws-lambda-go's reflection.
	lambda.StartWithOptions(h, lambda.WithContext(ctx))
	return nil
}

// platform is what the function takes from its surroundings; tests swap
// the clock and the log sink, and may add to the AWS SDK's configuration
// (a middleware that counts calls, for one).
type platform struct {
	getenv     func(string) string
	logs       io.Writer
	now        func() time.Time                                 // nil: time.Now
	sleep      func(ctx context.Context, d time.Duration) error // nil: a real timer
	awsOptions []func(*aws.Config)
}

// newHandler builds the handler from the environment, on AWS (the SDK's
// settings too: see internal/awsenv). It makes no network call: the secret
// is read on first use.
func newHandler(ctx context.Context, p platform) (*lambdaentry.Entry, error) {
	// Both are read before either error is returned, so one start names
	// everything there is to fix, on one line (one CloudWatch entry).
	cfg, cfgErr := config.Load(p.getenv)
	awsCfg, awsErr := awsenv.Config(p.getenv)
	switch {
	case cfgErr != nil && awsErr != nil:
		return nil, fmt.Errorf("%w; %w", cfgErr, awsErr)
	case cfgErr != nil:
		return nil, cfgErr
	case awsErr != nil:
		return nil, awsErr
	}
	for _, opt := range p.awsOptions {
		opt(&awsCfg)
	}
	parts, err := wiring.AWS(cfg, awsCfg, p.now)
	if err != nil {
		return nil, err
	}
	return wiring.Handler(cfg, parts, wiring.Platform{Logs: p.logs, Now: p.now, Sleep: p.sleep})
}
