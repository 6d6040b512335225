package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// Files of the local Trusted Browser key pair in the data folder: made on
// first run, reused after, readable by the current user only.
const (
	trustedPrivateFile = "trusted-key.asc"
	trustedPublicFile  = "trusted-key.pub.asc"
)

// envSendSafelyPort chooses the SendSafely stand-in's port.
const envSendSafelyPort = "CONNECTOR_SENDSAFELY_PORT"

// localSendSafely is verified mode on a laptop: the SendSafely stand-in
// (internal/sendsafely/sendsafelytest) served on its own port, with the
// local Trusted Browser key registered at it.
type localSendSafely struct {
	ss  *sendsafelytest.Server
	url string // the stand-in's base URL, SENDSAFELY_API_URL
	key connector.TrustedKey
	// keyFile is where the private half is kept.
	keyFile string
}

// startLocalSendSafely makes the stand-in for host, serves it on l, loads
// (or makes) the key pair kept in dataDir and registers its public half
// at the stand-in, through the real client, as connector-dev trusted-key
// registers one at SendSafely. The stand-in keeps its packages and keys in
// memory: every start registers the key anew and gets a new key id.
func startLocalSendSafely(ctx context.Context, l net.Listener, host, dataDir string, serve func(net.Listener, http.Handler)) (*localSendSafely, error) {
	kp, keyFile, err := loadOrCreateKeyPair(dataDir)
	if err != nil {
		return nil, err
	}
	ss := sendsafelytest.New(sendsafelytest.Config{Host: host, APIKey: "local-api-key", APISecret: "local-api-secret"})
	base := "http://" + l.Addr().String()
	serve(l, ss.Handler())
	key := connector.TrustedKey{APIKey: connector.Secret(ss.APIKey()), APISecret: connector.Secret(ss.APISecret()), PrivateKey: kp.Private}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	key.KeyID, err = sendsafely.New(base).RegisterPublicKey(ctx, key, kp.Public, "connector-dev (verified mode)")
	if err != nil {
		return nil, fmt.Errorf("sendsafely stand-in: register the local trusted key: %w", err)
	}
	return &localSendSafely{ss: ss, url: base, key: key, keyFile: keyFile}, nil
}

// loadOrCreateKeyPair returns the Trusted Browser key pair kept in dir,
// making it on first use (RSA 2048, as sendsafely.GenerateKeyPair makes
// them: a second or so). It returns the private half's file.
func loadOrCreateKeyPair(dir string) (sendsafely.KeyPair, string, error) {
	privPath, pubPath := filepath.Join(dir, trustedPrivateFile), filepath.Join(dir, trustedPublicFile)
	priv, perr := os.ReadFile(privPath)
	pub, uerr := os.ReadFile(pubPath)
	switch {
	case perr == nil && uerr == nil && len(priv) > 0 && len(pub) > 0:
		return sendsafely.KeyPair{Public: string(pub), Private: connector.Secret(priv)}, privPath, nil
	case perr != nil && !errors.Is(perr, fs.ErrNotExist), uerr != nil && !errors.Is(uerr, fs.ErrNotExist):
		return sendsafely.KeyPair{}, "", fmt.Errorf("trusted key: %w", errors.Join(perr, uerr))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return sendsafely.KeyPair{}, "", fmt.Errorf("trusted key: %w", err)
	}
	kp, err := sendsafely.GenerateKeyPair("connector-dev@localhost")
	if err != nil {
		return sendsafely.KeyPair{}, "", fmt.Errorf("trusted key: %w", err)
	}
	// The public half last: a pair whose write was cut short is made anew.
	for _, f := range []struct{ path, text string }{{privPath, string(kp.Private)}, {pubPath, kp.Public}} {
		if err := os.WriteFile(f.path, []byte(f.text), 0o600); err != nil {
			return sendsafely.KeyPair{}, "", fmt.Errorf("trusted key: write %s: %w", f.path, err)
		}
	}
	return kp, privPath, nil
}

// useLocalSendSafely turns verified mode on in an embedded backend: the
// keys carry the stand-in's trusted key, SENDSAFELY_API_URL is the
// stand-in and the service reads packages from it with the real client.
func (b *backend) useLocalSendSafely(l *localSendSafely) error {
	if b.mem == nil {
		return errors.New("verified mode with the stand-in needs the embedded backend")
	}
	ks, err := b.mem.Keys(context.Background())
	if err != nil {
		return err
	}
	ks.Trusted = l.key
	b.mem.Set(ks)
	b.cfg.SendSafelyAPIURL = l.url
	b.parts.SendSafely = sendsafely.New(l.url)
	b.local = l
	return nil
}

// sweepLoop calls sweep at every tick until ctx is done: the local
// stand-in for the EventBridge schedule that sends the function
// {"action":"sweep"}. sweep logs its own line.
func sweepLoop(ctx context.Context, tick <-chan time.Time, sweep func(context.Context) error) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			_ = sweep(sctx) // logged by the sweep itself
			cancel()
		}
	}
}
