package apigw

import (
	"encoding/base64"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// credentials returns every API token the request presents: a Bearer
// token, an x-api-key header, or the password of HTTP Basic (for platforms
// that can send no custom header; the user name is ignored).
func credentials(headers map[string]string) []connector.Secret {
	var out []connector.Secret
	if auth := strings.TrimSpace(headers["authorization"]); auth != "" {
		scheme, rest, _ := strings.Cut(auth, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToLower(scheme) {
		case "bearer":
			out = append(out, connector.Secret(rest))
		case "basic":
			if raw, err := base64.StdEncoding.DecodeString(rest); err == nil {
				if _, pass, ok := strings.Cut(string(raw), ":"); ok {
					out = append(out, connector.Secret(pass))
				}
			}
		}
	}
	if key := strings.TrimSpace(headers["x-api-key"]); key != "" {
		out = append(out, connector.Secret(key))
	}
	return out
}
