package sendsafelytest

import "net/http"

// cors answers the CORS preflight of an API call and lets every answer
// be read cross-origin, as SendSafely's API does for browser clients.
// SendSafely's Node.js SDK needs it too: it sends its calls with jQuery
// over jsdom's XMLHttpRequest, which enforces CORS from an opaque origin
// and preflights every call (custom ss-* headers). A preflight is not
// signed: it is answered before the signature is checked.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
			if asked := r.Header.Get("Access-Control-Request-Headers"); asked != "" {
				h.Set("Access-Control-Allow-Headers", asked)
			}
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
