package lambdaentry

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Sweeper returns the entry's Sweep handler for sweep (the service's
// Sweep): it runs it and writes its one log line (route "sweep", whether
// verified mode is on, the candidates and what is stored, the request id).
// A sweep that fails is a Lambda error, so that the function's error alarm
// sees a SendSafely that stays unreachable.
func Sweeper(sweep func(context.Context) (connector.SweepReport, error), log *slog.Logger) func(context.Context) error {
	return func(ctx context.Context) error {
		rep, err := sweep(ctx)
		attrs := []any{slog.String("route", "sweep"), slog.Bool("verifiedMode", !rep.Off),
			slog.Int("candidates", rep.Candidates), slog.Int("stored", rep.Stored)}
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			attrs = append(attrs, slog.String("requestId", lc.AwsRequestID))
		}
		if err != nil {
			log.ErrorContext(ctx, "sweep", append(attrs, slog.String("error", err.Error()))...)
			return fmt.Errorf("sweep: %w", err)
		}
		log.InfoContext(ctx, "sweep", attrs...)
		return nil
	}
}
