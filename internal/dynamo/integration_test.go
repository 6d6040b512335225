package dynamo_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/connector/storetest"
	"github.com/sendsafely/chatbot-connector/internal/dynamo"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
)

// TestStoreOnMoto runs the Store against a real DynamoDB API (moto_server)
// through the real SDK client.
func TestStoreOnMoto(t *testing.T) {
	srv := motoserver.Start(t)
	client := dynamodb.NewFromConfig(srv.Config(t))
	ctx := t.Context()
	createTable(t, client, table)
	s := dynamo.New(client, table)
	const key = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"

	if _, err := s.Get(ctx, key); !errors.Is(err, connector.ErrNotFound) {
		t.Fatalf("Get before Create: got %v, want ErrNotFound", err)
	}
	if err := s.Replace(ctx, record(key, 2), 1); !errors.Is(err, connector.ErrConflict) {
		t.Fatalf("Replace before Create: got %v, want ErrConflict", err)
	}
	if err := s.Create(ctx, record(key, 1)); err != nil {
		t.Fatalf("Create: %v", err)
	}
	mustGet(t, s, key, record(key, 1))
	if err := s.Create(ctx, record(key, 1)); !errors.Is(err, connector.ErrConflict) {
		t.Fatalf("second Create: got %v, want ErrConflict", err)
	}
	if err := s.Replace(ctx, record(key, 2), 1); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	mustGet(t, s, key, record(key, 2))
	if err := s.Replace(ctx, record(key, 3), 1); !errors.Is(err, connector.ErrConflict) {
		t.Fatalf("Replace at a stale version: got %v, want ErrConflict", err)
	}
	mustGet(t, s, key, record(key, 2))

	t.Run("missing table", func(t *testing.T) {
		s := dynamo.New(client, "no-such-table")
		if _, err := s.Get(ctx, key); !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("Get: got %v, want ErrUnavailable", err)
		}
		if err := s.Create(ctx, record(key, 1)); !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("Create: got %v, want ErrUnavailable", err)
		}
		if err := s.Replace(ctx, record(key, 2), 1); !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("Replace: got %v, want ErrUnavailable", err)
		}
	})
}

// TestStoreContractOnMoto holds the Store to the contract every store runs
// (connector/storetest), on a real DynamoDB API, like the bolt and memory
// stores.
func TestStoreContractOnMoto(t *testing.T) {
	srv := motoserver.Start(t)
	client := dynamodb.NewFromConfig(srv.Config(t))
	createTable(t, client, table)
	storetest.Contract(t, dynamo.New(client, table))
}

// createTable creates the table as the SAM template declares it.
func createTable(t *testing.T, client *dynamodb.Client, name string) {
	t.Helper()
	_, err := client.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("create table: %v", err)
	}
	_, err = client.UpdateTimeToLive(t.Context(), &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String("expiresAt"), Enabled: aws.Bool(true),
		},
	})
	if err != nil {
		t.Fatalf("enable ttl: %v", err)
	}
}

func mustGet(t *testing.T, s *dynamo.Store, key string, want connector.Record) {
	t.Helper()
	got, err := s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Get (-want +got):\n%s", diff)
	}
}
