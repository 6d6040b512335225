// Package wiring connects the connector's parts: adapters to the service,
// the service to the API edge. Both commands build their handler here, the
// Lambda function and the local server, so a local run answers with the
// very handler that is deployed. Like cmd/, it may know every package; no
// package but a command imports it.
package wiring

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"

	"github.com/sendsafely/chatbot-connector/internal/amazonconnect"
	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/content"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/dynamo"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/secrets"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sns"
	"github.com/sendsafely/chatbot-connector/internal/sqsdelivery"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Parts are the adapters behind the service's ports.
type Parts struct {
	Store     connector.Store
	Publisher connector.Publisher
	Keys      connector.Keys
	// SendSafely reads packages when the secret turns verified mode on.
	SendSafely connector.SendSafely
	// Renderer renders stored files for read_file (internal/content); nil:
	// read_file answers that content cannot be rendered here, with the
	// download link.
	Renderer connector.Renderer
	// Stored is the store read_file reads when retrieval runs outside
	// the handler (connector-dev's in-process retrieval); nil: Files.Objects.
	Stored connector.ObjectStore
	// Handoff delivers events to a callback receiver and Amazon Connect;
	// both targets nil when neither is configured.
	Handoff connector.Handoff
	// Queue extends the visibility of delivery messages to retry them;
	// nil when there is no delivery queue (SQS batches are then refused).
	Queue sqsdelivery.API
	// QueueURL is the delivery queue's URL.
	QueueURL string
	// Files are the parts of retrieval (files.go); zero when it is off.
	Files Files
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
// the SDK's retries stay inside the request's bound. SNS is the exception
// (unboundedAttempts): retrying a Publish that may have gone out would
// publish twice.
const (
	awsAttemptTimeout = 3 * time.Second
	awsMaxAttempts    = 3
)

// unboundedAttempts lifts the attempt timeout from the SNS client. A
// Publish abandoned as slow may still have been delivered, and the SDK
// would then send it again: one event published twice in what the caller
// sees as success. An attempt there lasts until the request's own bound
// (connector.DefaultRequestBound) instead, after which nothing is retried.
func unboundedAttempts(o *awssns.Options) { o.HTTPClient = awshttp.NewBuildableClient() }

// AWS returns the parts on AWS named by cfg: the DynamoDB table, the SNS
// topic and the Secrets Manager secret, the secret cached on the clock now
// (nil: time.Now); the SendSafely client; and the hand-off targets and
// delivery queue the configuration names. Every AWS call is bounded: see
// awsAttemptTimeout. It makes no network call.
func AWS(cfg config.Config, awsCfg aws.Config, now func() time.Time) (Parts, error) {
	if now == nil {
		now = time.Now
	}
	awsCfg.HTTPClient = awshttp.NewBuildableClient().WithTimeout(awsAttemptTimeout)
	awsCfg.RetryMaxAttempts = awsMaxAttempts
	ss := sendsafely.New(cfg.SendSafelyAPIURL)
	parts := Parts{
		Store:      dynamo.New(dynamodb.NewFromConfig(awsCfg), cfg.TableName),
		Publisher:  sns.New(awssns.NewFromConfig(awsCfg, unboundedAttempts), cfg.TopicARN),
		Keys:       secrets.New(secretsmanager.NewFromConfig(awsCfg), cfg.SecretARN, cfg.SecretCacheTTL, secrets.WithClock(now)),
		SendSafely: ss,
		QueueURL:   cfg.DeliveryQueueURL,
	}
	if cfg.ConnectInstanceARN != "" {
		parts.Handoff.Contacts = amazonconnect.New(connect.NewFromConfig(awsCfg))
		parts.Handoff.ConnectInstanceARN = cfg.ConnectInstanceARN
	}
	if cfg.DeliveryQueueURL != "" {
		parts.Queue = awssqs.NewFromConfig(awsCfg)
	}
	files, err := awsFiles(cfg, awsCfg, ss)
	if err != nil {
		return Parts{}, err
	}
	parts.Files = files
	if files.Objects != nil {
		// read_file renders what retrieval stored, within the limits
		// that fit the 128 MB function (internal/content).
		parts.Renderer = content.New(content.Limits{})
	}
	if cfg.CallbackURL != "" {
		// The configuration allows plain http to a loopback receiver
		// only (local runs and tests); anything else is https.
		c, err := callback.New(cfg.CallbackURL, callback.Options{AllowLoopbackHTTP: true})
		if err != nil {
			return Parts{}, fmt.Errorf("config: %s: %w", config.CallbackURL, err)
		}
		parts.Handoff.Callbacks = c
	}
	return parts, nil
}

// Service returns the connector service over parts, as Handler connects
// it: a local run's retrieval and hand-off use it too, so that every
// service of a process is made of the same parts in the same way.
func Service(cfg config.Config, parts Parts, p Platform) (*connector.Service, error) {
	return connector.New(cfg.Service, connector.Deps{
		Store:      parts.Store,
		Publisher:  parts.Publisher,
		Keys:       parts.Keys,
		Dropzone:   dropzone.Codec{},
		SendSafely: parts.SendSafely,
		Objects:    cmp.Or[connector.ObjectStore](parts.Files.Objects, parts.Stored),
		Renderer:   parts.Renderer,
		NewID:      NewUploadID,
		Now:        p.Now,
		Sleep:      p.Sleep,
	})
}

// Handler connects parts to the service and the service to the edges: the
// HTTP routes (with MCP on /mcp), Bedrock Agents and AgentCore Gateway.
func Handler(cfg config.Config, parts Parts, p Platform) (*lambdaentry.Entry, error) {
	svc, err := Service(cfg, parts, p)
	if err != nil {
		return nil, err
	}
	logs := p.Logs
	if logs == nil {
		logs = io.Discard
	}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	entry, err := NewEntry(svc, apigw.Options{
		AllowedOrigins: cfg.AllowedOrigins,
		Logger:         logger,
		Now:            p.Now,
	}, tools.Options{OmitLinks: !cfg.ToolsIncludeLink})
	if err != nil {
		return nil, err
	}
	entry.Sweep = lambdaentry.Sweeper(svc.Sweep, logger)
	if parts.Queue != nil {
		d, err := svc.Deliverer(parts.Handoff)
		if err != nil {
			return nil, fmt.Errorf("config: %s: %w", config.ConnectInstance, err)
		}
		h, err := sqsdelivery.New(d, parts.Queue, parts.QueueURL, sqsdelivery.DefaultSchedule(), logger)
		if err != nil {
			return nil, err
		}
		entry.SQS = h.Handle
	}
	if err := retrieval(entry, svc, cfg, parts.Files, logger); err != nil {
		return nil, err
	}
	return entry, nil
}

// NewUploadID returns a random (version 4) UUID.
func NewUploadID() (string, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}
