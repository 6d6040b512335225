package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// secretJSON is the JSON form of the secret. encoding/json matches the
// names case-insensitively and ignores fields it does not know.
type secretJSON struct {
	ValidationKey         string `json:"validationKey"`
	PreviousValidationKey string `json:"previousValidationKey"`
	APIToken              string `json:"apiToken"`
}

// parse reads a secret value: the validation key as a plain string, or a
// JSON object (a value that starts with "{"), surrounding white space
// ignored in both. An empty value is an empty KeySet: the operator has not
// filled the secret in yet. A value that starts with "{" but is not a JSON
// object of strings is ErrUnavailable, since the keys cannot be read.
func parse(raw []byte) (connector.KeySet, error) {
	v := bytes.TrimSpace(raw)
	if len(v) == 0 || v[0] != '{' {
		return connector.KeySet{ValidationKey: connector.Secret(v)}, nil
	}
	var s secretJSON
	if err := json.Unmarshal(v, &s); err != nil {
		// Not err itself: a syntax error quotes the offending character,
		// which is part of the secret.
		return connector.KeySet{}, fmt.Errorf("%w: the secret value starts with { but is not a JSON object of strings", connector.ErrUnavailable)
	}
	return connector.KeySet{
		ValidationKey:         connector.Secret(strings.TrimSpace(s.ValidationKey)),
		PreviousValidationKey: connector.Secret(strings.TrimSpace(s.PreviousValidationKey)),
		APIToken:              connector.Secret(strings.TrimSpace(s.APIToken)),
	}, nil
}
