package sqsfiles

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// decodeDelivery reads a message body that is an upload.stored or
// upload.scanned event, keeping its ids only (the deliverer rebuilds the
// rest from the store), and reports whether it is one.
func decodeDelivery(body string) (connector.Event, bool) {
	var ev connector.Event
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		return connector.Event{}, false
	}
	if ev.Type != connector.EventStored && ev.Type != connector.EventScanned {
		return connector.Event{}, false
	}
	return connector.Event{ID: ev.ID, Type: ev.Type, UploadID: ev.UploadID, PackageID: ev.PackageID}, true
}

// deliver hands ev to the file callback and reports whether m is to be
// retried. Without a file callback the event is skipped.
func (h *Handler) deliver(ctx context.Context, m events.SQSMessage, ev connector.Event, receives int, attrs []slog.Attr) bool {
	attrs = append(attrs, slog.Any("event", ev))
	if h.files == nil {
		h.log.LogAttrs(ctx, slog.LevelInfo, "file callback", append(attrs, slog.String("outcome", "skipped"))...)
		return false
	}
	d, err := h.files.Deliver(ctx, ev)
	attrs = append(attrs, slog.Any("delivery", d))
	switch {
	case err == nil:
		h.log.LogAttrs(ctx, slog.LevelInfo, "file callback", append(attrs, slog.String("outcome", "done"))...)
		return false
	case errors.Is(err, connector.ErrInvalid):
		h.log.LogAttrs(ctx, slog.LevelError, "file callback", append(attrs, slog.String("outcome", "dropped"),
			slog.String("error", err.Error()))...)
		return false
	}
	h.failed(ctx, m, "file callback", receives, attrs, err, func() error { return h.files.GiveUpFiles(ctx, ev) })
	return true
}
