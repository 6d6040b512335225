package apigw

import (
	"context"
	"net/http"
	"strings"
)

// route is one row of the route table: where it is, what it accepts, how
// its errors are written and what answers it. Allow, the 404 and 405
// decisions and the CORS preflight's methods all derive from the table,
// so a new route is one more row.
type route struct {
	// path is the route's path, or with prefix set, what the path starts
	// with; the rest is handed to serve.
	path   string
	prefix bool
	// match reports whether the rest of a prefix route's path names
	// something that exists; nil accepts any.
	match func(rest string) bool
	// methods are the methods the route answers, OPTIONS aside: every
	// route answers a CORS preflight.
	methods []string
	// format is the shape of the route's error bodies.
	format errorFormat
	// logAs is how the log line names the route, for a path that carries
	// what must not be logged (a token); empty logs the path.
	logAs string
	// serve answers the request; body is nil for a method without one.
	serve func(h *Handler, ctx context.Context, r *request, rest string, body []byte, line *logLine) Response

	// allow and preflight are derived from methods by newRoutes.
	allow, preflight string
}

// The routes of the connector.
const (
	routeChat    = "/"
	routeWebhook = "/webhook"
	routeMCP     = "/mcp"
	routeTools   = "/tools/" // followed by the tool's name
	routeUpload  = "/u/"     // followed by a collect_files page token
)

// newRoutes returns the route table of h. POST /mcp exists only when h has
// an MCP endpoint.
func newRoutes(h *Handler) []route {
	post := []string{http.MethodPost}
	rs := []route{
		{path: routeChat, methods: post, format: chatErrors, serve: (*Handler).chat},
		{path: routeWebhook, methods: post, format: webhookErrors, serve: (*Handler).webhook},
		{path: routeTools, prefix: true, match: h.isTool, methods: post, format: chatErrors, serve: (*Handler).tool},
		{path: routeUpload, prefix: true, methods: []string{http.MethodGet}, format: chatErrors,
			logAs: "/u/{token}", serve: (*Handler).uploadPage},
	}
	if h.mcp != nil {
		rs = append(rs, route{path: routeMCP, methods: post, format: mcpErrors, serve: (*Handler).serveMCP})
	}
	return derive(rs)
}

// derive sets each route's Allow header and preflight methods from its
// methods, and returns rs.
func derive(rs []route) []route {
	for i := range rs {
		m := strings.Join(rs[i].methods, ", ")
		rs[i].allow = "OPTIONS, " + m
		rs[i].preflight = m + ", OPTIONS"
	}
	return rs
}

// find returns the route of path and the rest of the path after a prefix
// route's, or nil if no route has that path.
func (h *Handler) find(path string) (*route, string) {
	for i := range h.routes {
		rt := &h.routes[i]
		if !rt.prefix {
			if path == rt.path {
				return rt, ""
			}
			continue
		}
		if rest, ok := strings.CutPrefix(path, rt.path); ok && (rt.match == nil || rt.match(rest)) {
			return rt, rest
		}
	}
	return nil, ""
}

// accepts reports whether the route answers method.
func (rt *route) accepts(method string) bool {
	for _, m := range rt.methods {
		if m == method {
			return true
		}
	}
	return false
}

// hasBody reports whether requests of method carry a body the route reads.
func hasBody(method string) bool {
	return method != http.MethodGet && method != http.MethodHead
}
