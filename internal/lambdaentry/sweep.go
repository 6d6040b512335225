package lambdaentry

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// maxWarned bounds how many skipped packages a Sweeper remembers having
// warned about; past it, the oldest is forgotten (and warned about again
// if it is still skipped). A lookback holds far fewer.
const maxWarned = 1024

// Sweeper returns the entry's Sweep handler for sweep (the service's
// Sweep): it runs it and writes its one log line (route "sweep", whether
// verified mode is on, the candidates, what is stored and skipped, the
// request id). A sweep that fails is a Lambda error, so that the
// function's error alarm sees a SendSafely that stays unreachable. A
// package skipped for a keycode that cannot be read is not a failure: it
// gets one warning line, the first time this instance skips it, not in
// every sweep of the lookback.
func Sweeper(sweep func(context.Context) (connector.SweepReport, error), log *slog.Logger) func(context.Context) error {
	var w warned
	return func(ctx context.Context) error {
		rep, err := sweep(ctx)
		base := []any{slog.String("route", "sweep")}
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			base = append(base, slog.String("requestId", lc.AwsRequestID))
		}
		base = slices.Clip(base) // each line below appends to its own copy
		for _, id := range rep.Skipped {
			if w.first(id) {
				log.WarnContext(ctx, "sweep skipped a package", append(base, slog.String("packageId", id),
					slog.String("reason", "its keycode cannot be read with the trusted key"))...)
			}
		}
		attrs := append(base, slog.Bool("verifiedMode", !rep.Off),
			slog.Int("candidates", rep.Candidates), slog.Int("stored", rep.Stored), slog.Int("skipped", len(rep.Skipped)))
		if err != nil {
			log.ErrorContext(ctx, "sweep", append(attrs, slog.String("error", err.Error()))...)
			return fmt.Errorf("sweep: %w", err)
		}
		log.InfoContext(ctx, "sweep", attrs...)
		return nil
	}
}

// warned remembers the last maxWarned package ids warned about.
type warned struct {
	mu    sync.Mutex
	seen  map[string]bool
	order []string
}

// first reports whether id was not warned about yet, and remembers it.
func (w *warned) first(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen[id] {
		return false
	}
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	if len(w.order) >= maxWarned {
		delete(w.seen, w.order[0])
		w.order = w.order[1:]
	}
	w.seen[id] = true
	w.order = append(w.order, id)
	return true
}
