package dynamo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dynamo"
)

const table = "uploads"

func record(key string, version int64) connector.Record {
	return connector.Record{
		Key:     key,
		Version: version,
		Expires: time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC),
		Sealed:  []byte{1, 0xfe, 0, 42, byte(version)},
	}
}

func TestStoreBehaviour(t *testing.T) {
	const key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for _, tt := range []struct {
		name    string
		stored  []connector.Record // created first, in order
		do      func(ctx context.Context, s *dynamo.Store) error
		wantErr error
		want    *connector.Record // what Get returns afterwards; nil: ErrNotFound
	}{
		{
			name:   "create then get",
			stored: []connector.Record{record(key, 1)},
			do:     func(context.Context, *dynamo.Store) error { return nil },
			want:   ptr(record(key, 1)),
		},
		{
			name: "get of a missing key",
			do:   func(context.Context, *dynamo.Store) error { return nil },
		},
		{
			name:    "create over an existing record",
			stored:  []connector.Record{record(key, 1)},
			do:      func(ctx context.Context, s *dynamo.Store) error { return s.Create(ctx, record(key, 7)) },
			wantErr: connector.ErrConflict,
			want:    ptr(record(key, 1)),
		},
		{
			name:   "replace at the stored version",
			stored: []connector.Record{record(key, 1)},
			do:     func(ctx context.Context, s *dynamo.Store) error { return s.Replace(ctx, record(key, 2), 1) },
			want:   ptr(record(key, 2)),
		},
		{
			name:    "replace at a stale version",
			stored:  []connector.Record{record(key, 1)},
			do:      func(ctx context.Context, s *dynamo.Store) error { return s.Replace(ctx, record(key, 3), 2) },
			wantErr: connector.ErrConflict,
			want:    ptr(record(key, 1)),
		},
		{
			name:    "replace of a missing record",
			do:      func(ctx context.Context, s *dynamo.Store) error { return s.Replace(ctx, record(key, 2), 1) },
			wantErr: connector.ErrConflict,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			s := dynamo.New(newFakeTable(), table)
			for _, rec := range tt.stored {
				if err := s.Create(ctx, rec); err != nil {
					t.Fatalf("Create: %v", err)
				}
			}
			if err := tt.do(ctx, s); !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			got, err := s.Get(ctx, key)
			if tt.want == nil {
				if !errors.Is(err, connector.ErrNotFound) {
					t.Fatalf("Get: got %v, want ErrNotFound", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestItemLayout(t *testing.T) {
	fake := newFakeTable()
	s := dynamo.New(fake, table)
	rec := record("abc123", 3)
	if err := s.Create(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(t.Context(), record("abc123", 4), 3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(t.Context(), "abc123"); err != nil {
		t.Fatal(err)
	}

	// The SAM template and the table's TTL setting depend on these names.
	want := map[string]types.AttributeValue{
		"pk":        &types.AttributeValueMemberS{Value: "abc123"},
		"v":         &types.AttributeValueMemberN{Value: "3"},
		"expiresAt": &types.AttributeValueMemberN{Value: "1795334400"},
		"d":         &types.AttributeValueMemberB{Value: rec.Sealed},
	}
	if diff := cmp.Diff(want, fake.puts[0].Item, ignoreSDK); diff != "" {
		t.Errorf("created item (-want +got):\n%s", diff)
	}
	if got := aws.ToString(fake.puts[0].TableName); got != table {
		t.Errorf("create table: got %q, want %q", got, table)
	}
	if got, want := aws.ToString(fake.puts[1].ConditionExpression), "v = :prev"; got != want {
		t.Errorf("replace condition: got %q, want %q", got, want)
	}
	wantPrev := map[string]types.AttributeValue{":prev": &types.AttributeValueMemberN{Value: "3"}}
	if diff := cmp.Diff(wantPrev, fake.puts[1].ExpressionAttributeValues, ignoreSDK); diff != "" {
		t.Errorf("replace values (-want +got):\n%s", diff)
	}
	get := fake.gets[0]
	if !aws.ToBool(get.ConsistentRead) {
		t.Error("Get: ConsistentRead is not true")
	}
	if got := aws.ToString(get.TableName); got != table {
		t.Errorf("get table: got %q, want %q", got, table)
	}
}

var ignoreSDK = cmpopts.IgnoreUnexported(types.AttributeValueMemberS{}, types.AttributeValueMemberN{}, types.AttributeValueMemberB{})

func TestGetMalformedItem(t *testing.T) {
	good := func() map[string]types.AttributeValue {
		return map[string]types.AttributeValue{
			"pk":        &types.AttributeValueMemberS{Value: "k"},
			"v":         &types.AttributeValueMemberN{Value: "1"},
			"expiresAt": &types.AttributeValueMemberN{Value: "1795334400"},
			"d":         &types.AttributeValueMemberB{Value: []byte{1}},
		}
	}
	for _, tt := range []struct {
		name   string
		change func(map[string]types.AttributeValue)
	}{
		{"no version", func(it map[string]types.AttributeValue) { delete(it, "v") }},
		{"version as string", func(it map[string]types.AttributeValue) { it["v"] = &types.AttributeValueMemberS{Value: "1"} }},
		{"fractional version", func(it map[string]types.AttributeValue) { it["v"] = &types.AttributeValueMemberN{Value: "1.5"} }},
		{"no expiry", func(it map[string]types.AttributeValue) { delete(it, "expiresAt") }},
		{"sealed as string", func(it map[string]types.AttributeValue) { it["d"] = &types.AttributeValueMemberS{Value: "x"} }},
		{"key as number", func(it map[string]types.AttributeValue) { it["pk"] = &types.AttributeValueMemberN{Value: "1"} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeTable()
			item := good()
			tt.change(item)
			fake.items["k"] = item
			_, err := dynamo.New(fake, table).Get(t.Context(), "k")
			if err == nil {
				t.Fatal("got no error, want one")
			}
			for _, kind := range kinds {
				if errors.Is(err, kind) {
					t.Errorf("got %v, want an unclassified error", err)
				}
			}
		})
	}
}

// kinds are the domain's error kinds.
var kinds = []error{connector.ErrInvalid, connector.ErrUnauthorized, connector.ErrNotFound, connector.ErrConflict, connector.ErrUnavailable}
