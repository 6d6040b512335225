package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// forwardFiles makes an embedded backend that retrieves files post each
// ready file to FILE_CALLBACK_URL, when it is set, in-process: deployed,
// the files queue brings upload.stored (or upload.scanned) to the
// function; a local run hands them from its publisher to the same
// connector.Deliverer, signed with the local callback secret. A post that
// fails is logged and not tried again: locally there is no queue.
func (b *backend) forwardFiles(logs io.Writer) error {
	if b.kind != backendEmbedded || !b.cfg.FileCallback.On() {
		return nil
	}
	if b.files == nil {
		return fmt.Errorf("config: %s: needs retrieval, which runs in verified mode (-verified)", config.FileCallbackURL)
	}
	if err := b.useCallbackSecret(); err != nil {
		return err
	}
	c, err := callback.NewFile(b.cfg.FileCallback.URL, callback.Options{AllowLoopbackHTTP: true})
	if err != nil {
		return fmt.Errorf("config: %s: %w", config.FileCallbackURL, err)
	}
	d, err := b.files.svc.Deliverer(connector.Handoff{Files: c, FileMaxSize: b.cfg.FileCallback.MaxSize})
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	prev := b.events.deliver
	b.events.deliver = func(ev connector.Event) {
		if prev != nil {
			prev(ev)
		}
		if ev.Type != connector.EventStored && ev.Type != connector.EventScanned {
			return
		}
		out, err := d.Deliver(context.Background(), ev)
		if err != nil {
			log.Warn("file callback", slog.String("route", "files"), slog.Any("delivery", out),
				slog.String("error", err.Error()), slog.String("note", "not retried in a local run"))
			return
		}
		log.Info("file callback", slog.String("route", "files"), slog.Any("delivery", out))
	}
	return nil
}
