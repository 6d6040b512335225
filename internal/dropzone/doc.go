// Package dropzone knows the formats of the SendSafely Hosted Dropzone: the
// digest of a submission notification, its signed data, and the secure link.
//
// Some of this rests on inference (see docs/dropzone.md in the team's shared
// notes): the digest is taken to be HMAC-SHA256 under the Dropzone
// Validation Key over the data string as received, and the data to be
// base64url of a JSON object. Everything that would change if that proves
// wrong is in this package, behind connector.Dropzone.
package dropzone

import "github.com/sendsafely/chatbot-connector/internal/connector"

// Codec implements connector.Dropzone.
type Codec struct{}

var _ connector.Dropzone = Codec{}
