package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// secretJSON is the JSON form of the secret. encoding/json matches the
// names case-insensitively. A field it does not know is refused: a typo
// such as "api_token" must not silently switch authentication off.
type secretJSON struct {
	ValidationKey         string `json:"validationKey"`
	PreviousValidationKey string `json:"previousValidationKey"`
	APIToken              string `json:"apiToken"`
	// Verified mode: all four or none.
	SendSafelyAPIKey    string `json:"sendsafelyApiKey"`
	SendSafelyAPISecret string `json:"sendsafelyApiSecret"`
	TrustedKeyID        string `json:"trustedKeyId"`
	TrustedPrivateKey   string `json:"trustedPrivateKey"`
	CallbackSecret      string `json:"callbackSecret"`
}

// knownFields is what the unknown-field error lists.
const knownFields = "validationKey, previousValidationKey, apiToken, sendsafelyApiKey, sendsafelyApiSecret, trustedKeyId, trustedPrivateKey and callbackSecret"

// parse reads a secret value: the validation key as a plain string, or a
// JSON object (a value that starts with "{"), surrounding white space
// ignored in both, and an empty string field meaning "not set". An empty
// value is an empty KeySet: the operator has not filled the secret in yet.
// JSON that is not an object (an array, a string, a number, null) is
// ErrUnavailable, not a plain key.
// A value that starts with "{" but is not a JSON object of strings, has a
// field other than the known ones, or has some of the four verified-mode
// fields but not all, is ErrUnavailable, since the keys cannot be read as
// meant.
func parse(raw []byte) (connector.KeySet, error) {
	v := bytes.TrimSpace(raw)
	if len(v) > 0 && v[0] != '{' && (v[0] == '[' || json.Valid(v)) {
		// An array, a quoted string, a number or null is a mistake in the
		// secret, not a key: taken as one, every digest would fail.
		return connector.KeySet{}, fmt.Errorf("%w: the secret value is JSON but not an object; give the validation key as plain text, or a JSON object with the field validationKey", connector.ErrUnavailable)
	}
	if len(v) == 0 || v[0] != '{' {
		return connector.KeySet{ValidationKey: connector.Secret(v)}, nil
	}
	var s secretJSON
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			// A field name is not secret; naming it is what lets the
			// operator fix the typo.
			return connector.KeySet{}, fmt.Errorf("%w: the secret has the unknown field %s; the known ones are %s", connector.ErrUnavailable, name, knownFields)
		}
		// Not err itself: a syntax error quotes the offending character,
		// which is part of the secret.
		return connector.KeySet{}, fmt.Errorf("%w: the secret value starts with { but is not a JSON object of strings", connector.ErrUnavailable)
	}
	if _, err := dec.Token(); err != io.EOF {
		return connector.KeySet{}, fmt.Errorf("%w: the secret value has text after its JSON object", connector.ErrUnavailable)
	}
	trusted := connector.TrustedKey{
		APIKey:     connector.Secret(strings.TrimSpace(s.SendSafelyAPIKey)),
		APISecret:  connector.Secret(strings.TrimSpace(s.SendSafelyAPISecret)),
		KeyID:      strings.TrimSpace(s.TrustedKeyID),
		PrivateKey: connector.Secret(strings.TrimSpace(s.TrustedPrivateKey)),
	}
	if missing := missingTrusted(trusted); len(missing) > 0 && len(missing) < 4 {
		// Names only: which fields are set is what the operator needs.
		return connector.KeySet{}, fmt.Errorf("%w: the secret is malformed: it has some of the verified-mode fields but not %s; set all four or none", connector.ErrUnavailable, strings.Join(missing, ", "))
	}
	return connector.KeySet{
		ValidationKey:         connector.Secret(strings.TrimSpace(s.ValidationKey)),
		PreviousValidationKey: connector.Secret(strings.TrimSpace(s.PreviousValidationKey)),
		APIToken:              connector.Secret(strings.TrimSpace(s.APIToken)),
		Trusted:               trusted,
		CallbackSecret:        connector.Secret(strings.TrimSpace(s.CallbackSecret)),
	}, nil
}

// missingTrusted returns the names of the verified-mode fields k lacks.
func missingTrusted(k connector.TrustedKey) []string {
	var missing []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"sendsafelyApiKey", k.APIKey != ""},
		{"sendsafelyApiSecret", k.APISecret != ""},
		{"trustedKeyId", k.KeyID != ""},
		{"trustedPrivateKey", k.PrivateKey != ""},
	} {
		if !f.set {
			missing = append(missing, f.name)
		}
	}
	return missing
}
