package s3

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// translate wraps an error of the S3 client with op as context and
// classifies it for the domain (nil stays nil):
//   - a missing object or upload (NoSuchKey, NotFound, NoSuchUpload) is
//     ErrNotFound;
//   - parts S3 will not assemble (one but the last under 5 MiB, one not
//     written, out of order, none at all) or an argument it refuses is
//     ErrInvalid: the caller's request cannot succeed as it is;
//   - a request the SDK cannot build is a bug of ours, left unclassified
//     so that the edge answers 500 rather than inviting a retry;
//   - anything else (throttling, 5xx, transport errors, a missing bucket,
//     denied access, a canceled context) is ErrUnavailable.
//
// The SDK error stays in the chain for errors.As and for the log, the
// URL of a request that failed on the way cut from its text: the URL
// holds the key, a file name.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	err = withoutURL(err)
	var (
		params *smithy.InvalidParamsError
		ser    *smithy.SerializationError
		api    smithy.APIError
	)
	switch {
	case errors.As(err, &params), errors.As(err, &ser):
		return fmt.Errorf("s3: %s: %w", op, err)
	case errors.As(err, &api):
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound", "NoSuchUpload":
			return fmt.Errorf("s3: %s: %w: %w", op, connector.ErrNotFound, err)
		case "EntityTooSmall", "EntityTooLarge", "InvalidPart", "InvalidPartOrder", "MalformedXML",
			"InvalidArgument", "InvalidRequest", "KeyTooLongError":
			return fmt.Errorf("s3: %s: %w: %w", op, connector.ErrInvalid, err)
		}
	}
	return fmt.Errorf("s3: %s: %w: %w", op, connector.ErrUnavailable, err)
}

// isNotFound reports whether err is classified ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, connector.ErrNotFound) }

// withoutURL returns err with the URL of the *url.Error in its chain cut
// from its text.
func withoutURL(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) || ue.URL == "" {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), strconv.Quote(ue.URL), `"<url>"`)
	return redacted{err: err, msg: strings.ReplaceAll(msg, ue.URL, "<url>")}
}

// redacted is err with another text.
type redacted struct {
	err error
	msg string
}

func (r redacted) Error() string { return r.msg }
func (r redacted) Unwrap() error { return r.err }
