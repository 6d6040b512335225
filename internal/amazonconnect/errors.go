package amazonconnect

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// translate classifies an error of the Amazon Connect client for the
// domain, with op as context:
//   - ResourceNotFoundException (no such contact or instance) is ErrGone:
//     the contact will not appear later, so retrying is pointless;
//   - InvalidParameterException and InvalidRequestException are
//     ErrInvalid: Amazon Connect refuses this very request, and will again;
//   - anything else (throttling, 5xx, AccessDeniedException, which an
//     operator can fix within the retry budget, ConflictException,
//     InvalidActiveRegionException, transport errors, a canceled context)
//     is ErrUnavailable.
//
// The SDK's error text is left out, because a service message could echo
// the request, and the request holds the link: the error names the error
// code or HTTP status, or the transport failure, only.
func translate(op string, err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		code := api.ErrorCode()
		switch code {
		case "ResourceNotFoundException":
			return fmt.Errorf("amazonconnect: %s: %s: %w", op, code, connector.ErrGone)
		case "InvalidParameterException", "InvalidRequestException":
			return fmt.Errorf("amazonconnect: %s: %w: %s", op, connector.ErrInvalid, code)
		}
		return fmt.Errorf("amazonconnect: %s: %w: %s%s", op, connector.ErrUnavailable, code, status(err))
	}
	return fmt.Errorf("amazonconnect: %s: %w: %s", op, connector.ErrUnavailable, transportReason(err))
}

// status returns " (HTTP n)" when err carries the response's status.
func status(err error) string {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return fmt.Sprintf(" (HTTP %d)", re.HTTPStatusCode())
	}
	return ""
}

// transportReason says why no answer came, without quoting the request.
func transportReason(err error) string {
	var (
		op       *net.OpError
		attempts *retry.MaxAttemptsError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &op):
		return op.Op + ": " + op.Err.Error()
	case errors.As(err, &attempts):
		return fmt.Sprintf("gave up after %d attempts", attempts.Attempt)
	}
	return "no answer"
}
