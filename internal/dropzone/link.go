package dropzone

import (
	"net/url"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// ParseLink splits a secure link,
// https://<host>/receive/?thread=<packageId>&packageCode=<code>#keyCode=<key>,
// into the parts the service cross-checks. The path is returned as written,
// percent-encoding and all, so that "/%72eceive/" is not taken for
// "/receive/"; the key code too, which may be spelled keycode and must be
// the fragment's only parameter. A parameter given twice is refused rather
// than guessed at. It returns connector.ErrInvalid if link is not such a URL.
func (Codec) ParseLink(link connector.Link) (connector.LinkParts, error) {
	u, err := url.Parse(string(link))
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink is not a URL.")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink's query cannot be parsed.")
	}
	if len(q["thread"]) > 1 || len(q["packageCode"]) > 1 {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink repeats a parameter.")
	}
	frag := u.EscapedFragment()
	if strings.ContainsAny(frag, "&;") {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink's fragment holds more than the keyCode.")
	}
	var keyCode string
	if name, v, ok := strings.Cut(frag, "="); ok && (name == "keyCode" || name == "keycode") {
		keyCode = v
	}
	return connector.LinkParts{
		Scheme:      u.Scheme,
		Host:        u.Host,
		Path:        u.EscapedPath(),
		Thread:      q.Get("thread"),
		PackageCode: connector.Secret(q.Get("packageCode")),
		KeyCode:     connector.Secret(keyCode),
	}, nil
}

// Link returns the secure link of a package on host, as SendSafely writes
// it: https://<host>/receive/?thread=<packageId>&packageCode=<code>#keyCode=<key>.
func (Codec) Link(host, packageID string, packageCode, keyCode connector.Secret) connector.Link {
	return connector.Link(Link(host, packageID, string(packageCode), string(keyCode)))
}
