// Package sns publishes the connector's events to one SNS topic.
package sns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TypeAttribute is the message attribute that carries the event's type,
// for subscription filter policies.
const TypeAttribute = "type"

// API is the part of the SNS client that Publisher calls. *sns.Client
// implements it; tests use a fake.
type API interface {
	Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// Publisher is a connector.Publisher on one SNS topic.
type Publisher struct {
	api      API
	topicARN string
}

var _ connector.Publisher = (*Publisher)(nil)

// New returns a Publisher to the topic topicARN, reached through api.
func New(api API, topicARN string) *Publisher {
	return &Publisher{api: api, topicARN: topicARN}
}

// Publish sends ev as a JSON message, with ev.Type as the message
// attribute "type". It returns ErrUnavailable whenever SNS fails, whatever
// the reason; then the event may or may not have been sent. An event with
// no type is a bug of the caller's, an unclassified error.
func (p *Publisher) Publish(ctx context.Context, ev connector.Event) error {
	if ev.Type == "" {
		return errors.New("sns: publish: event has no type")
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("sns: publish %s: encode: %w", ev.Type, err)
	}
	_, err = p.api.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(p.topicARN),
		Message:  aws.String(string(body)),
		MessageAttributes: map[string]types.MessageAttributeValue{
			TypeAttribute: {DataType: aws.String("String"), StringValue: aws.String(ev.Type)},
		},
	})
	if err != nil {
		return fmt.Errorf("sns: publish %s: %w: %w", ev.Type, connector.ErrUnavailable, err)
	}
	return nil
}
