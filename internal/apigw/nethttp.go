package apigw

import (
	"bytes"
	"context"
	"net/http"
	"strings"
)

// serveHTTP runs an http.Handler on the request as if it had come over
// HTTP, and returns what the handler wrote. API Gateway and Function URLs
// buffer the answer, so the whole body is collected first; a handler that
// streams is answered when it returns.
func serveHTTP(ctx context.Context, hd http.Handler, r *request, body []byte) Response {
	req, err := http.NewRequestWithContext(ctx, r.method, "https://connector"+r.path, bytes.NewReader(body))
	if err != nil {
		return errorResponse(chatErrors, err)
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	if host := r.headers["host"]; host != "" {
		req.Host = host
	}
	rec := &recorder{header: http.Header{}}
	hd.ServeHTTP(rec, req)
	resp := Response{StatusCode: rec.status, Headers: map[string]string{}, Body: rec.body.String()}
	if resp.StatusCode == 0 {
		resp.StatusCode = http.StatusOK
	}
	for k, vs := range rec.header {
		if !hopByHop[k] {
			resp.Headers[k] = strings.Join(vs, ", ")
		}
	}
	if _, ok := resp.Headers["Cache-Control"]; !ok {
		resp.Headers["Cache-Control"] = "no-store"
	}
	resp.Headers["X-Content-Type-Options"] = "nosniff"
	return resp
}

// hopByHop are the headers of one connection, which API Gateway sets
// itself and a handler's answer must not carry.
var hopByHop = map[string]bool{"Connection": true, "Keep-Alive": true, "Transfer-Encoding": true, "Upgrade": true}

// recorder is the http.ResponseWriter of serveHTTP. Flush does nothing:
// there is no connection to flush to.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

func (w *recorder) Flush() {}
