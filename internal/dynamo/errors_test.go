package dynamo_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dynamo"
)

func TestErrorTranslation(t *testing.T) {
	msg := func(s string) *string { return &s }
	for _, tt := range []struct {
		name string
		err  error // what the client returns, inside an OperationError
		want error // the kind; nil: unclassified
	}{
		{"condition failed", &types.ConditionalCheckFailedException{Message: msg("The conditional request failed")}, connector.ErrConflict},
		{"provisioned throughput", &types.ProvisionedThroughputExceededException{}, connector.ErrUnavailable},
		{"request limit", &types.RequestLimitExceeded{}, connector.ErrUnavailable},
		{"throttling", &types.ThrottlingException{}, connector.ErrUnavailable},
		{"unmodeled throttling", &smithy.GenericAPIError{Code: "ThrottlingException"}, connector.ErrUnavailable},
		{"table missing", &types.ResourceNotFoundException{}, connector.ErrUnavailable},
		{"internal server error", &types.InternalServerError{}, connector.ErrUnavailable},
		{"access denied", &smithy.GenericAPIError{Code: "AccessDeniedException"}, connector.ErrUnavailable},
		{"bad credentials", &smithy.GenericAPIError{Code: "UnrecognizedClientException"}, connector.ErrUnavailable},
		{"http 503", &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{}, Err: &smithy.GenericAPIError{Code: "ServiceUnavailable", Fault: smithy.FaultServer}}}, connector.ErrUnavailable},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, connector.ErrUnavailable},
		{"response not understood", &smithy.DeserializationError{Err: errors.New("unexpected EOF")}, connector.ErrUnavailable},
		{"context canceled", &smithy.CanceledError{Err: context.Canceled}, connector.ErrUnavailable},
		{"deadline exceeded", context.DeadlineExceeded, connector.ErrUnavailable},
		{"validation", &smithy.GenericAPIError{Code: "ValidationException", Fault: smithy.FaultClient}, nil},
		{"serialization by the service", &smithy.GenericAPIError{Code: "SerializationException", Fault: smithy.FaultClient}, nil},
		{"invalid params", &smithy.InvalidParamsError{Context: "PutItemInput"}, nil},
		{"serialization by the client", &smithy.SerializationError{Err: errors.New("bad value")}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeTable()
			fake.err = tt.err
			s := dynamo.New(fake, table)
			ctx := t.Context()
			for op, err := range map[string]error{
				"get":     func() error { _, err := s.Get(ctx, "k"); return err }(),
				"create":  s.Create(ctx, record("k", 1)),
				"replace": s.Replace(ctx, record("k", 2), 1),
			} {
				if err == nil {
					t.Fatalf("%s: got no error", op)
				}
				for _, kind := range kinds {
					if want := kind == tt.want; errors.Is(err, kind) != want {
						t.Errorf("%s: errors.Is(%v, %v) = %t, want %t", op, err, kind, !want, want)
					}
				}
				if !errors.Is(err, tt.err) {
					t.Errorf("%s: got %v, which does not wrap the SDK error", op, err)
				}
				if !strings.HasPrefix(err.Error(), "dynamo: "+op+" upload: ") {
					t.Errorf("%s: got %q, want it to start with %q", op, err, "dynamo: "+op+" upload: ")
				}
			}
		})
	}
}
