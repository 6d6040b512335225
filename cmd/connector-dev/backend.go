package main

import (
	"context"
	"errors"
	"fmt"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/bolt"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// The backends: where uploads, events and keys live.
const (
	backendEmbedded = "embedded"
	backendAWS      = "aws"
)

// Defaults of a local run, for the function's variables that have none.
const (
	defaultHost       = "acme.sendsafely.com"
	defaultDropzoneID = "local-dropzone"
)

// backend is the configuration and the parts a handler is built from.
type backend struct {
	kind  string
	cfg   config.Config
	parts wiring.Parts
	// dataDir is the embedded backend's data folder.
	dataDir string
	// keyFile is where the embedded backend's validation key is kept; ""
	// on AWS, where it is in the secret.
	keyFile string
	// key is the embedded backend's validation key, printed on start.
	key connector.Secret
	// tokenSet reports whether an API token is required: from
	// CONNECTOR_API_TOKEN (embedded), or the secret as read at start (AWS).
	tokenSet bool
	// keySet and verifiedOn report whether the secret, read at start (AWS),
	// holds a validation key and turns verified mode on.
	keySet, verifiedOn bool
	// mem holds the embedded backend's keys, which verified mode and
	// callbacks add to; nil on AWS.
	mem *memory.Keys
	// events is the embedded backend's publisher; nil on AWS.
	events *linePublisher
	// local is the SendSafely stand-in of verified mode; nil when off.
	local *localSendSafely
	// files is local retrieval (files.go); nil when off.
	files *localFiles
	// callbackSecret signs local callbacks, kept in callbackSecretFile;
	// "" when CALLBACK_URL is not set.
	callbackSecret     connector.Secret
	callbackSecretFile string
	close              func() error
}

// openBackend reads the configuration through getenv, with the local
// defaults below, and opens the parts of kind. Events of the embedded
// backend are written to events.
//
// The defaults: SENDSAFELY_HOST acme.sendsafely.com, DROPZONE_ID
// local-dropzone, UPLOAD_PAGE_URL the stand-in page at pageOrigin, and
// ALLOWED_ORIGINS the function's default plus pageOrigin. Any of them set
// in the environment wins.
func openBackend(ctx context.Context, kind, dataDir, pageOrigin string, getenv func(string) string, events io.Writer) (*backend, error) {
	local := withLocalDefaults(getenv, pageOrigin)
	switch kind {
	case backendEmbedded:
		return openEmbedded(ctx, dataDir, local, withPageOrigin(getenv, pageOrigin), events)
	case backendAWS:
		cfg, err := config.Load(local)
		if err != nil {
			return nil, err
		}
		cfg = withPageOrigin(getenv, pageOrigin)(cfg)
		// The SDK's full chain: profiles, SSO and the rest, as a laptop
		// has them; AWS_REGION and AWS_ENDPOINT_URL are honoured.
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("aws config: %w", err)
		}
		parts, err := wiring.AWS(cfg, awsCfg, nil)
		if err != nil {
			return nil, err
		}
		return &backend{kind: kind, cfg: cfg, parts: parts, close: func() error { return nil }}, nil
	default:
		return nil, fmt.Errorf("backend %q: use %s or %s", kind, backendEmbedded, backendAWS)
	}
}

func openEmbedded(ctx context.Context, dataDir string, getenv func(string) string, origins func(config.Config) config.Config,
	events io.Writer) (*backend, error) {
	cfg, err := config.LoadOptions(getenv)
	if err != nil {
		return nil, err
	}
	cfg = origins(cfg)
	key, keyFile, err := loadOrCreateKey(dataDir)
	if err != nil {
		return nil, err
	}
	store, err := bolt.Open(dataDir)
	if errors.Is(err, bolt.ErrLocked) {
		return nil, fmt.Errorf("%w: another connector-dev is running on the data folder %s; stop it, or give this one a folder of its own with -data or %s",
			err, dataDir, envData)
	}
	if err != nil {
		return nil, err
	}
	// What DynamoDB's TTL would have deleted while the server was down.
	if _, err := store.Prune(ctx, time.Now()); err != nil {
		_ = store.Close()
		return nil, err
	}
	token := connector.Secret(strings.TrimSpace(getenv(envAPIToken)))
	keys := memory.NewKeys(connector.KeySet{ValidationKey: key, APIToken: token})
	pub := newLinePublisher(events)
	return &backend{
		kind: backendEmbedded,
		cfg:  cfg,
		parts: wiring.Parts{
			Store:     store,
			Publisher: pub,
			Keys:      keys,
		},
		mem:      keys,
		events:   pub,
		dataDir:  dataDir,
		keyFile:  keyFile,
		key:      key,
		tokenSet: token != "",
		close:    store.Close,
	}, nil
}

// withLocalDefaults returns getenv with the defaults of a local run, but
// for ALLOWED_ORIGINS (see withPageOrigin).
func withLocalDefaults(getenv func(string) string, pageOrigin string) func(string) string {
	defaults := map[string]string{
		config.SendSafelyHost: defaultHost,
		config.DropzoneID:     defaultDropzoneID,
		config.UploadPageURL:  pageOrigin + pagePath,
	}
	return func(name string) string {
		if v := getenv(name); strings.TrimSpace(v) != "" {
			return v
		}
		return defaults[name]
	}
}

// readSecret reads the secret on AWS once at start, so that a secret that
// cannot be read, or is malformed, stops the start with what is wrong
// rather than the first request, and the banner can say what it holds.
// The embedded backend's keys are local: nothing to read.
func (b *backend) readSecret(ctx context.Context) error {
	if b.kind != backendAWS {
		return nil
	}
	ks, err := b.parts.Keys.Keys(ctx)
	if err != nil {
		return fmt.Errorf("secret %s: %w", b.cfg.SecretARN, err)
	}
	b.keySet, b.tokenSet, b.verifiedOn = ks.ValidationKey != "", ks.APIToken != "", ks.Trusted.Enabled()
	return nil
}

// withPageOrigin returns what completes a loaded configuration when
// ALLOWED_ORIGINS is not set in getenv: the function's default (the hosted
// page's origin and the SendSafely host's) plus pageOrigin, the stand-in's.
// It is added after loading, as the function's own default is, so a wrong
// SENDSAFELY_HOST is reported once, not again as an origin made from it.
func withPageOrigin(getenv func(string) string, pageOrigin string) func(config.Config) config.Config {
	return func(cfg config.Config) config.Config {
		if strings.TrimSpace(getenv(config.AllowedOrigins)) == "" {
			cfg.AllowedOrigins = append(slices.Clip(cfg.AllowedOrigins), pageOrigin)
		}
		return cfg
	}
}

// validationKey returns the current validation key from the backend's
// keys: the local one, or the secret's on AWS.
func (b *backend) validationKey(ctx context.Context) ([]byte, error) {
	ks, err := b.parts.Keys.Keys(ctx)
	if err != nil {
		return nil, err
	}
	if ks.ValidationKey == "" {
		return nil, errors.New("no validation key is set")
	}
	return []byte(ks.ValidationKey), nil
}
