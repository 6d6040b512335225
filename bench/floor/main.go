// Command floor is the cold-start floor of docs/performance.md: a Go
// function that makes exactly the AWS calls a first generateId must make,
// reading the secret and one conditional PutItem, and nothing else (no
// configuration checks, no validation, no sealing, no log line). Its SDK
// clients are built as the connector builds them, once, before the first
// invocation, from the same environment.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/sendsafely/chatbot-connector/internal/awsenv"
)

// response is the part of an API Gateway response the floor fills in.
type response struct {
	StatusCode int    `json:"statusCode"`
	Body       string `json:"body"`
}

func main() {
	ctx := context.Background()
	cfg, err := awsenv.Config(os.Getenv) // as the connector configures its clients
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	sm := secretsmanager.NewFromConfig(cfg)
	ddb := dynamodb.NewFromConfig(cfg)
	table, secretID := os.Getenv("TABLE_NAME"), os.Getenv("SECRET_ARN")
	var secret *string
	lambda.StartWithOptions(func(ctx context.Context, _ any) (response, error) {
		if secret == nil {
			out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &secretID})
			if err != nil {
				return response{}, err
			}
			secret = out.SecretString
		}
		key, blob := make([]byte, 32), make([]byte, 128)
		_, _ = rand.Read(key)
		_, _ = rand.Read(blob)
		_, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: &table,
			Item: map[string]types.AttributeValue{
				"pk":        &types.AttributeValueMemberS{Value: hex.EncodeToString(key)},
				"v":         &types.AttributeValueMemberN{Value: "1"},
				"expiresAt": &types.AttributeValueMemberN{Value: strconv.FormatInt(time.Now().Add(24*time.Hour).Unix(), 10)},
				"d":         &types.AttributeValueMemberB{Value: blob},
			},
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		})
		if err != nil {
			return response{}, err
		}
		return response{StatusCode: 200, Body: `{"Result":"Success"}`}, nil
	}, lambda.WithContext(ctx))
}
