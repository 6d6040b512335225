package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// Environment variables trusted-key reads, so that the API secret need not
// be on the command line (and in shell history).
const (
	envAPIURL    = "SENDSAFELY_API_URL"
	envAPIKey    = "SENDSAFELY_API_KEY"
	envAPISecret = "SENDSAFELY_API_SECRET"
)

// trustedKeyCommand is `connector-dev trusted-key`.
func trustedKeyCommand(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("trusted-key", e)
	var (
		host        = fs.String("host", orDefault(e.getenv(config.SendSafelyHost), ""), "the SendSafely host, such as acme.sendsafely.com [$"+config.SendSafelyHost+"]")
		apiURL      = fs.String("api-url", orDefault(e.getenv(envAPIURL), ""), "the API's base URL (default https://<host>) [$"+envAPIURL+"]")
		apiKey      = fs.String("api-key", "", "the API key of the Dropzone owner [$"+envAPIKey+"]")
		apiSecret   = fs.String("api-secret", "", "its API secret; prefer $"+envAPISecret+" to keep it out of shell history")
		email       = fs.String("email", "", "the email in the key's user id, Trusted Browser <email> (default chatbot-connector@<host>)")
		description = fs.String("description", "Chatbot connector (verified mode)", "the key's description, shown in SendSafely's list of Trusted Browsers")
	)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("trusted-key: unexpected argument %q (connector-dev trusted-key -h shows the flags)", fs.Arg(0))
	}
	if *apiKey == "" {
		*apiKey = strings.TrimSpace(e.getenv(envAPIKey))
	}
	if *apiSecret == "" {
		*apiSecret = strings.TrimSpace(e.getenv(envAPISecret))
	}
	base := *apiURL
	if base == "" && *host != "" {
		base = "https://" + *host
	}
	if err := requireFlags("trusted-key", []requiredFlag{
		{"-host or -api-url", base, "the SendSafely host, such as acme.sendsafely.com"},
		{"-api-key (or $" + envAPIKey + ")", *apiKey, "the Dropzone owner's API key"},
		{"-api-secret (or $" + envAPISecret + ")", *apiSecret, "its API secret; the variable keeps it out of shell history"},
	}); err != nil {
		return err
	}
	if *email == "" {
		*email = "chatbot-connector@" + orDefault(*host, "localhost")
	}

	kp, err := sendsafely.GenerateKeyPair(*email)
	if err != nil {
		return fmt.Errorf("trusted-key: %w", err)
	}
	key := connector.TrustedKey{APIKey: connector.Secret(*apiKey), APISecret: connector.Secret(*apiSecret)}
	c := sendsafely.New(base, sendsafely.WithTimeout(30*time.Second))
	id, err := c.RegisterPublicKey(ctx, key, kp.Public, *description)
	switch {
	case errors.Is(err, sendsafely.ErrAuthenticationFailed):
		return fmt.Errorf("trusted-key: %s refused the API key and secret: check them (a user's API key of the Dropzone owner, from its profile's API Keys); nothing was registered", base)
	case err != nil:
		return fmt.Errorf("trusted-key: register the key at %s: %w", base, err)
	}

	out, err := json.MarshalIndent(map[string]string{
		"sendsafelyApiKey":    *apiKey,
		"sendsafelyApiSecret": *apiSecret,
		"trustedKeyId":        id,
		"trustedPrivateKey":   string(kp.Private),
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("trusted-key: %w", err)
	}
	if _, err := fmt.Fprintf(e.stdout, "%s\n", out); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "registered Trusted Browser key %s at %s; put the fields above into the connector's secret\n", id, base)
	return nil
}
