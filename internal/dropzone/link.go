package dropzone

import (
	"net/url"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// ParseLink splits a secure link,
// https://<host>/receive/?thread=<packageId>&packageCode=<code>#keyCode=<key>,
// into the parts the service cross-checks. The key code may be spelled
// keycode. A parameter given twice is refused rather than guessed at. It
// returns connector.ErrInvalid if link is not such a URL.
func (Codec) ParseLink(link connector.Link) (connector.LinkParts, error) {
	u, err := url.Parse(string(link))
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink is not a URL.")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink's query cannot be parsed.")
	}
	frag, err := url.ParseQuery(u.EscapedFragment())
	if err != nil {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink's fragment cannot be parsed.")
	}
	if len(q["thread"]) > 1 || len(q["packageCode"]) > 1 || len(frag["keyCode"])+len(frag["keycode"]) > 1 {
		return connector.LinkParts{}, connector.Errorf(connector.ErrInvalid, "The secureLink repeats a parameter.")
	}
	return connector.LinkParts{
		Scheme:      u.Scheme,
		Host:        u.Host,
		Path:        u.Path,
		Thread:      q.Get("thread"),
		PackageCode: connector.Secret(q.Get("packageCode")),
		HasKeyCode:  frag.Get("keyCode") != "" || frag.Get("keycode") != "",
	}, nil
}
