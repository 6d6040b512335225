// Package dynamo keeps the connector's upload records in one DynamoDB
// table, one item per record, expiring through the table's TTL attribute.
package dynamo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// API is the part of the DynamoDB client that Store calls. *dynamodb.Client
// implements it; tests use a fake.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
}

// Store is a connector.Store on one DynamoDB table whose partition key is
// the string attribute pk and whose TTL attribute is expiresAt.
type Store struct {
	api   API
	table string
}

var _ connector.Store = (*Store)(nil)

// New returns a Store on the named table, reached through api.
func New(api API, table string) *Store {
	return &Store{api: api, table: table}
}

// Get returns the record stored under key, expired or not, read strongly
// consistent. It returns ErrNotFound if there is none and ErrUnavailable if
// DynamoDB cannot be reached or the table does not exist.
func (s *Store) Get(ctx context.Context, key string) (connector.Record, error) {
	out, err := s.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            map[string]types.AttributeValue{attrKey: &types.AttributeValueMemberS{Value: key}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return connector.Record{}, translate("get upload", err)
	}
	if len(out.Item) == 0 {
		return connector.Record{}, fmt.Errorf("dynamo: get upload: %w", connector.ErrNotFound)
	}
	rec, err := decode(out.Item)
	if err != nil {
		return connector.Record{}, fmt.Errorf("dynamo: get upload: %w", err)
	}
	return rec, nil
}

// Create stores rec under rec.Key. It returns ErrConflict if an item
// already exists there and ErrUnavailable if DynamoDB cannot be reached or
// the table does not exist.
func (s *Store) Create(ctx context.Context, rec connector.Record) error {
	_, err := s.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                encode(rec),
		ConditionExpression: aws.String("attribute_not_exists(" + attrKey + ")"),
	})
	if err != nil {
		return translate("create upload", err)
	}
	return nil
}

// Replace stores rec in place of the item under rec.Key whose version is
// prev. It returns ErrConflict if the stored version is not prev or there
// is no item (the condition compares a missing attribute as false), and
// ErrUnavailable if DynamoDB cannot be reached or the table does not exist.
func (s *Store) Replace(ctx context.Context, rec connector.Record, prev int64) error {
	_, err := s.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(s.table),
		Item:                      encode(rec),
		ConditionExpression:       aws.String(attrVersion + " = :prev"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": number(prev)},
	})
	if err != nil {
		return translate("replace upload", err)
	}
	return nil
}

func number(n int64) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
