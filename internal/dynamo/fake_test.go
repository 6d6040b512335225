package dynamo_test

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// fakeTable is an in-memory table behind the dynamo.API methods. It knows
// the two condition expressions the Store writes with and answers any
// other as DynamoDB answers a malformed request. If err is set, every call
// fails with it instead, wrapped as the SDK wraps its errors.
type fakeTable struct {
	mu    sync.Mutex
	items map[string]map[string]types.AttributeValue
	err   error
	gets  []*dynamodb.GetItemInput
	puts  []*dynamodb.PutItemInput
}

func newFakeTable() *fakeTable {
	return &fakeTable{items: map[string]map[string]types.AttributeValue{}}
}

func (f *fakeTable) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets = append(f.gets, in)
	if f.err != nil {
		return nil, opError("GetItem", f.err)
	}
	pk, ok := in.Key["pk"].(*types.AttributeValueMemberS)
	if !ok || len(in.Key) != 1 {
		return nil, opError("GetItem", validation("The provided key element does not match the schema"))
	}
	return &dynamodb.GetItemOutput{Item: f.items[pk.Value]}, nil
}

func (f *fakeTable) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.puts = append(f.puts, in)
	if f.err != nil {
		return nil, opError("PutItem", f.err)
	}
	pk, ok := in.Item["pk"].(*types.AttributeValueMemberS)
	if !ok {
		return nil, opError("PutItem", validation("One or more parameter values were invalid: Missing the key pk in the item"))
	}
	old, exists := f.items[pk.Value]
	var pass bool
	switch aws.ToString(in.ConditionExpression) {
	case "":
		pass = true
	case "attribute_not_exists(pk)":
		pass = !exists
	case "v = :prev":
		v, _ := old["v"].(*types.AttributeValueMemberN)
		prev, _ := in.ExpressionAttributeValues[":prev"].(*types.AttributeValueMemberN)
		pass = exists && v != nil && prev != nil && v.Value == prev.Value
	default:
		return nil, opError("PutItem", validation("Invalid ConditionExpression"))
	}
	if !pass {
		return nil, opError("PutItem", &types.ConditionalCheckFailedException{Message: aws.String("The conditional request failed")})
	}
	f.items[pk.Value] = in.Item
	return &dynamodb.PutItemOutput{}, nil
}

// opError wraps err as the SDK client returns errors.
func opError(op string, err error) error {
	return &smithy.OperationError{ServiceID: "DynamoDB", OperationName: op, Err: err}
}

func validation(msg string) error {
	return &smithy.GenericAPIError{Code: "ValidationException", Message: msg, Fault: smithy.FaultClient}
}
