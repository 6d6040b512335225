package sns_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
	"github.com/sendsafely/chatbot-connector/internal/sns"
)

// TestPublishOnMoto publishes through the real SNS client to moto_server
// and reads the event back from an SQS queue subscribed to the topic, as a
// subscriber would.
func TestPublishOnMoto(t *testing.T) {
	srv := motoserver.Start(t)
	cfg := srv.Config(t)
	topics, queues := awssns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	ctx := t.Context()

	topic, err := topics.CreateTopic(ctx, &awssns.CreateTopicInput{Name: aws.String("events")})
	if err != nil {
		t.Fatalf("create topic: %v", err)
	}
	queueURL := subscribeQueue(t, topics, queues, aws.ToString(topic.TopicArn), "all", "")
	// A subscriber that wants only unmatched submissions filters on the
	// type attribute, and so must not see this one.
	unmatchedURL := subscribeQueue(t, topics, queues, aws.ToString(topic.TopicArn), "unmatched",
		`{"type":["upload.unmatched"]}`)

	if err := sns.New(topics, aws.ToString(topic.TopicArn)).Publish(ctx, submitted); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	out, err := queues.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl:              aws.String(queueURL),
		MaxNumberOfMessages:   10,
		MessageAttributeNames: []string{"All"},
		WaitTimeSeconds:       5,
	})
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	if len(out.Messages) != 1 {
		t.Fatalf("got %d messages, want 1", len(out.Messages))
	}
	msg := out.Messages[0]
	var got connector.Event
	if err := json.Unmarshal([]byte(aws.ToString(msg.Body)), &got); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if diff := cmp.Diff(submitted, got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	attr := msg.MessageAttributes["type"]
	if got := aws.ToString(attr.StringValue); got != connector.EventSubmitted {
		t.Errorf("type attribute: got %q, want %q", got, connector.EventSubmitted)
	}
	if got := aws.ToString(attr.DataType); got != "String" {
		t.Errorf("type attribute DataType: got %q, want String", got)
	}

	filtered, err := queues.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(unmatchedURL)})
	if err != nil {
		t.Fatalf("receive filtered: %v", err)
	}
	if len(filtered.Messages) != 0 {
		t.Errorf("the filtered queue got %d messages, want 0", len(filtered.Messages))
	}

	t.Run("deleted topic", func(t *testing.T) {
		if _, err := topics.DeleteTopic(ctx, &awssns.DeleteTopicInput{TopicArn: topic.TopicArn}); err != nil {
			t.Fatalf("delete topic: %v", err)
		}
		err := sns.New(topics, aws.ToString(topic.TopicArn)).Publish(ctx, submitted)
		if !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("got %v, want ErrUnavailable", err)
		}
	})
}

// subscribeQueue creates an SQS queue, subscribes it to topicARN with raw
// delivery (the body is the message itself, and message attributes become
// SQS message attributes) and filterPolicy if not empty, and returns its URL.
func subscribeQueue(t *testing.T, topics *awssns.Client, queues *sqs.Client, topicARN, name, filterPolicy string) string {
	t.Helper()
	ctx := t.Context()
	q, err := queues.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatalf("create queue: %v", err)
	}
	attrs, err := queues.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       q.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatalf("queue attributes: %v", err)
	}
	subAttrs := map[string]string{"RawMessageDelivery": "true"}
	if filterPolicy != "" {
		subAttrs["FilterPolicy"] = filterPolicy
	}
	_, err = topics.Subscribe(ctx, &awssns.SubscribeInput{
		TopicArn:   aws.String(topicARN),
		Protocol:   aws.String("sqs"),
		Endpoint:   aws.String(attrs.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]),
		Attributes: subAttrs,
	})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	return aws.ToString(q.QueueUrl)
}
