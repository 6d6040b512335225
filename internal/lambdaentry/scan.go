package lambdaentry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// ScanParser reads a scanner's verdict from an EventBridge event: the
// bucket of the object and the verdict on it. It returns an error wrapping
// connector.ErrInvalid for an event it cannot read or that is no verdict.
type ScanParser func(ctx context.Context, raw []byte) (bucket string, v connector.ScanVerdict, err error)

// Scanner returns the entry's Scan handler: parse reads the event, and a
// verdict on an object of bucket is handed to record (the retriever's
// RecordScan). It writes one log line per event (route "scan", the
// request id, the verdict, the file's ids with the upload hashed, or why
// it was ignored), never the object's key, which holds a conversation id
// and a file name. An event it cannot read, of another bucket, or on an
// object record ignores, is logged and done (delivering it again cannot
// help); a failure of record is a Lambda error, so that EventBridge
// delivers the event again.
func Scanner(parse ScanParser, bucket string, record func(context.Context, connector.ScanVerdict) (connector.ScanResult, error),
	log *slog.Logger) func(context.Context, []byte) error {
	return func(ctx context.Context, raw []byte) error {
		attrs := []any{slog.String("route", "scan")}
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			attrs = append(attrs, slog.String("requestId", lc.AwsRequestID))
		}
		got, v, err := parse(ctx, raw)
		switch {
		case errors.Is(err, connector.ErrInvalid):
			log.WarnContext(ctx, "scan", append(attrs, slog.String("ignored", "not a verdict"), slog.String("error", err.Error()))...)
			return nil
		case err != nil:
			log.ErrorContext(ctx, "scan", append(attrs, slog.String("error", err.Error()))...)
			return fmt.Errorf("scan: %w", err)
		case got != bucket:
			log.WarnContext(ctx, "scan", append(attrs, slog.String("ignored", "another bucket"), slog.String("bucket", got))...)
			return nil
		}
		attrs = append(attrs, slog.String("scan", v.Scan))
		res, err := record(ctx, v)
		attrs = append(attrs, slog.Any("file", res))
		if err != nil {
			log.ErrorContext(ctx, "scan", append(attrs, slog.String("error", err.Error()))...)
			return fmt.Errorf("scan: %w", err)
		}
		if res.Ignored != "" {
			log.WarnContext(ctx, "scan", attrs...)
			return nil
		}
		log.InfoContext(ctx, "scan", attrs...)
		return nil
	}
}
