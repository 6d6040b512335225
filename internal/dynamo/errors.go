package dynamo

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// translate wraps an error of the DynamoDB client with op as context and
// classifies it for the domain:
//   - a failed condition is ErrConflict;
//   - a request DynamoDB or the SDK rejects as malformed is a bug of ours,
//     left unclassified so that the edge answers 500 rather than inviting
//     a retry that cannot succeed;
//   - anything else (throttling, a missing table, transport errors, 5xx,
//     denied access, a canceled context) is ErrUnavailable.
//
// The SDK error stays in the chain for errors.As and for the log.
func translate(op string, err error) error {
	var failed *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &failed):
		return fmt.Errorf("dynamo: %s: %w: %w", op, connector.ErrConflict, err)
	case isOurBug(err):
		return fmt.Errorf("dynamo: %s: %w", op, err)
	default:
		return fmt.Errorf("dynamo: %s: %w: %w", op, connector.ErrUnavailable, err)
	}
}

// isOurBug reports whether err means the request itself was malformed.
func isOurBug(err error) bool {
	var (
		params *smithy.InvalidParamsError
		ser    *smithy.SerializationError
		api    smithy.APIError
	)
	switch {
	case errors.As(err, &params), errors.As(err, &ser):
		return true
	case errors.As(err, &api):
		code := api.ErrorCode()
		return code == "ValidationException" || code == "SerializationException"
	}
	return false
}
