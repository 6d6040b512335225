// Package wiring connects the connector's parts: adapters to the service,
// the service to the API edge. Both commands build their handler here, the
// Lambda function and the local server, so a local run answers with the
// very handler that is deployed. Like cmd/, it may know every package; no
// package but a command imports it.
package wiring

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/google/uuid"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/dynamo"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/secrets"
	"github.com/sendsafely/chatbot-connector/internal/sns"
)

// Parts are the adapters behind the service's ports.
type Parts struct {
	Store     connector.Store
	Publisher connector.Publisher
	Keys      connector.Keys
}

// Platform is what the handler takes from its surroundings; tests swap the
// clock and the log sink.
type Platform struct {
	// Logs receives one JSON line per request.
	Logs io.Writer
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Sleep waits as connector.Deps' Sleep does; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Bounds of every AWS call. The service bounds each request as a whole
// (connector.DefaultRequestBound); these bound each attempt within it, so a
// connection that hangs is abandoned and retried on another in time, and
// the SDK's retries stay inside the request's bound.
const (
	awsAttemptTimeout = 3 * time.Second
	awsMaxAttempts    = 3
)

// AWS returns the parts on AWS named by cfg: the DynamoDB table, the SNS
// topic and the Secrets Manager secret, the secret cached on the clock now
// (nil: time.Now). Every call is bounded: see awsAttemptTimeout.
func AWS(cfg config.Config, awsCfg aws.Config, now func() time.Time) Parts {
	if now == nil {
		now = time.Now
	}
	awsCfg.HTTPClient = awshttp.NewBuildableClient().WithTimeout(awsAttemptTimeout)
	awsCfg.RetryMaxAttempts = awsMaxAttempts
	return Parts{
		Store:     dynamo.New(dynamodb.NewFromConfig(awsCfg), cfg.TableName),
		Publisher: sns.New(awssns.NewFromConfig(awsCfg), cfg.TopicARN),
		Keys:      secrets.New(secretsmanager.NewFromConfig(awsCfg), cfg.SecretARN, cfg.SecretCacheTTL, secrets.WithClock(now)),
	}
}

// Handler connects parts to the service and the service to the edges: the
// HTTP routes (with MCP on /mcp), Bedrock Agents and AgentCore Gateway.
func Handler(cfg config.Config, parts Parts, p Platform) (*lambdaentry.Entry, error) {
	svc, err := connector.New(cfg.Service, connector.Deps{
		Store:     parts.Store,
		Publisher: parts.Publisher,
		Keys:      parts.Keys,
		Dropzone:  dropzone.Codec{},
		NewID:     NewUploadID,
		Now:       p.Now,
		Sleep:     p.Sleep,
	})
	if err != nil {
		return nil, err
	}
	logs := p.Logs
	if logs == nil {
		logs = io.Discard
	}
	return NewEntry(svc, apigw.Options{
		AllowedOrigins: cfg.AllowedOrigins,
		Logger:         slog.New(slog.NewJSONHandler(logs, nil)),
		Now:            p.Now,
	})
}

// NewUploadID returns a random (version 4) UUID.
func NewUploadID() (string, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}
