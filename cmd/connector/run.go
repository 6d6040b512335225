package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/google/uuid"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/dynamo"
	"github.com/sendsafely/chatbot-connector/internal/secrets"
	"github.com/sendsafely/chatbot-connector/internal/sns"
)

// run loads the configuration, wires the handler once (warm invocations
// reuse its clients) and hands it to the Lambda runtime.
func run(ctx context.Context, getenv func(string) string) error {
	h, err := newHandler(ctx, platform{getenv: getenv, logs: os.Stdout})
	if err != nil {
		return err
	}
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
	awsOptions []func(*awsconfig.LoadOptions) error
}

// newHandler builds the handler from the environment. It makes no network
// call: SDK clients resolve credentials and the secret is read on first use.
func newHandler(ctx context.Context, p platform) (*apigw.Handler, error) {
	cfg, err := config.Load(p.getenv)
	if err != nil {
		return nil, err
	}
	if p.now == nil {
		p.now = time.Now
	}
	// The SDK honours AWS_REGION and AWS_ENDPOINT_URL, so the same binary
	// runs against AWS or an emulator.
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, p.awsOptions...)
	if err != nil {
		return nil, fmt.Errorf("aws config: %w", err)
	}
	return wire(cfg, awsCfg, p)
}

// wire connects the adapters to the service and the service to the edge.
func wire(cfg config.Config, awsCfg aws.Config, p platform) (*apigw.Handler, error) {
	svc, err := connector.New(cfg.Service, connector.Deps{
		Store:     dynamo.New(dynamodb.NewFromConfig(awsCfg), cfg.TableName),
		Publisher: sns.New(awssns.NewFromConfig(awsCfg), cfg.TopicARN),
		Keys:      secrets.New(secretsmanager.NewFromConfig(awsCfg), cfg.SecretARN, cfg.SecretCacheTTL, secrets.WithClock(p.now)),
		Dropzone:  dropzone.Codec{},
		NewID:     newUploadID,
		Now:       p.now,
		Sleep:     p.sleep,
	})
	if err != nil {
		return nil, err
	}
	return apigw.New(svc, apigw.Options{
		AllowedOrigins: cfg.AllowedOrigins,
		Logger:         slog.New(slog.NewJSONHandler(p.logs, nil)),
		Now:            p.now,
	}), nil
}

// newUploadID returns a random (version 4) UUID.
func newUploadID() (string, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}
