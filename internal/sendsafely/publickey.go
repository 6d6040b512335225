package sendsafely

import (
	"context"
	"fmt"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// RegisterPublicKey registers armoredPublic as a Trusted Browser key of
// the account whose API key and secret key holds
// (PUT /api/v2.0/public-key/), and returns its id, the trustedKeyId of the
// secret. SendSafely encrypts to it the keycodes of packages finalized
// from then on. Only key.APIKey and key.APISecret are used. It returns
// ErrUnavailable as the other calls do, a refusal of the credentials
// included.
func (c *Client) RegisterPublicKey(ctx context.Context, key connector.TrustedKey, armoredPublic, description string) (string, error) {
	in := struct {
		PublicKey   string `json:"publicKey"`
		Description string `json:"description"`
	}{armoredPublic, description}
	var a struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, key, "register public key", "PUT", "/api/v2.0/public-key/", "", in, &a); err != nil {
		return "", err
	}
	if a.ID == "" {
		return "", fmt.Errorf("sendsafely: register public key: %w: the answer has no id", connector.ErrUnavailable)
	}
	return a.ID, nil
}
