package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// callbackSecretFile keeps the local callback signing secret in the data
// folder.
const callbackSecretFile = "callback-secret"

// deliveryBound bounds one local delivery: the callback's own 10 s and
// the store and key reads around it.
const deliveryBound = 15 * time.Second

// deliverCallbacks makes an embedded backend hand each upload.submitted
// to CALLBACK_URL, when it is set, in-process: the deployed function gets
// the event from its delivery queue, a local run from its publisher, with
// the same connector.Deliverer. The signing secret is kept in the data
// folder (made on first use with callback.NewSecret). A delivery that
// fails is logged and not tried again: locally there is no queue to retry
// from.
func (b *backend) deliverCallbacks(logs io.Writer) error {
	if b.kind != backendEmbedded || b.cfg.CallbackURL == "" {
		return nil
	}
	if err := b.useCallbackSecret(); err != nil {
		return err
	}
	c, err := callback.New(b.cfg.CallbackURL, callback.Options{AllowLoopbackHTTP: true})
	if err != nil {
		return fmt.Errorf("config: %s: %w", config.CallbackURL, err)
	}
	// The service over the same parts, as the function's SQS handler has
	// it: a Deliverer only reads the store and the keys.
	svc, err := wiring.Service(b.cfg, b.parts, wiring.Platform{})
	if err != nil {
		return err
	}
	d, err := svc.Deliverer(connector.Handoff{Callbacks: c})
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	b.events.deliver = func(ev connector.Event) {
		ctx, cancel := context.WithTimeout(context.Background(), deliveryBound)
		defer cancel()
		out, err := d.Deliver(ctx, ev)
		if err != nil {
			log.Warn("delivery", slog.String("route", "delivery"), slog.Any("delivery", out),
				slog.String("error", err.Error()), slog.String("note", "not retried in a local run"))
			return
		}
		log.Info("delivery", slog.String("route", "delivery"), slog.Any("delivery", out))
	}
	return nil
}

// useCallbackSecret makes the local callback secret (kept in the data
// folder, made on first use) the embedded keys' callbackSecret, once: the
// link callback and the file callback sign with it.
func (b *backend) useCallbackSecret() error {
	if b.callbackSecret != "" {
		return nil
	}
	secret, file, err := loadOrCreateCallbackSecret(b.dataDir)
	if err != nil {
		return err
	}
	ks, err := b.mem.Keys(context.Background())
	if err != nil {
		return err
	}
	ks.CallbackSecret = secret
	b.mem.Set(ks)
	b.callbackSecret, b.callbackSecretFile = secret, file
	return nil
}

// loadOrCreateCallbackSecret returns the callback secret kept in dir,
// making it on first use, readable by the current user only.
func loadOrCreateCallbackSecret(dir string) (connector.Secret, string, error) {
	path := filepath.Join(dir, callbackSecretFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil && strings.TrimSpace(string(b)) != "":
		return connector.Secret(strings.TrimSpace(string(b))), path, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", "", fmt.Errorf("callback secret: %w", err)
	}
	secret, err := callback.NewSecret()
	if err != nil {
		return "", "", fmt.Errorf("callback secret: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("callback secret: %w", err)
	}
	if err := os.WriteFile(path, []byte(string(secret)+"\n"), 0o600); err != nil {
		return "", "", fmt.Errorf("callback secret: %w", err)
	}
	return secret, path, nil
}

// callbackSecretCommand is `connector-dev callback-secret`: print a fresh
// Standard Webhooks signing secret for the connector's secret
// (callbackSecret) and the callback receiver.
func callbackSecretCommand(_ context.Context, args []string, e env) error {
	fs := newFlagSet("callback-secret", e)
	asJSON := fs.Bool("json", false, "print {\"callbackSecret\":\"whsec_…\"}, to merge into the secret's JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("callback-secret takes no arguments, got %q", fs.Args())
	}
	secret, err := callback.NewSecret()
	if err != nil {
		return fmt.Errorf("callback-secret: %w", err)
	}
	if *asJSON {
		b, err := json.Marshal(map[string]string{"callbackSecret": string(secret)})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	}
	_, err = fmt.Fprintln(e.stdout, string(secret))
	return err
}
