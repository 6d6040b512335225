package apigw

import (
	"net/http"
	"strings"
)

// cors decides the CORS headers of every answer.
type cors struct {
	any     bool
	origins map[string]bool
}

func newCORS(allowed []string) cors {
	c := cors{origins: make(map[string]bool, len(allowed))}
	for _, o := range allowed {
		if o == "*" {
			c.any = true
		}
		c.origins[strings.ToLower(strings.TrimRight(o, "/"))] = true
	}
	return c
}

// allowed reports whether a request from origin may read the answer.
func (c cors) allowed(origin string) bool {
	return origin != "" && (c.any || c.origins[strings.ToLower(origin)])
}

// preflightHeaders are the request headers a browser may send.
// Mcp-Protocol-Version is what browser-based MCP clients send after the
// handshake; Mcp-Method and Mcp-Name are what 2026-07-28 clients send on
// every request.
const preflightHeaders = "Authorization, Content-Type, X-Api-Key, Mcp-Protocol-Version, Mcp-Method, Mcp-Name"

// apply adds the CORS headers to resp when the request's Origin is allowed.
// Vary: Origin is always set, since the answer depends on it. A preflight
// lists the methods of rt, the route that answered (nil for none).
func (c cors) apply(r request, rt *route, resp *Response) {
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	resp.Headers["Vary"] = "Origin"
	origin := r.headers["origin"]
	if !c.allowed(origin) {
		return
	}
	resp.Headers["Access-Control-Allow-Origin"] = origin
	resp.Headers["Access-Control-Expose-Headers"] = "Retry-After"
	if r.method == http.MethodOptions && resp.StatusCode == http.StatusNoContent && rt != nil {
		resp.Headers["Access-Control-Allow-Methods"] = rt.preflight
		resp.Headers["Access-Control-Allow-Headers"] = preflightHeaders
		resp.Headers["Access-Control-Max-Age"] = "600"
	}
}
