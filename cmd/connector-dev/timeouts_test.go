package main

import (
	"testing"
)

// TestServersBoundReading: every server of the dev server (the connector,
// the upload page, the SendSafely stand-in) bounds how long a client may
// take to send its headers and its body, so a slow client cannot hold a
// connection open forever; none bounds the answer (getLink waits).
func TestServersBoundReading(t *testing.T) {
	d := startDevVerified(t, t.TempDir(), nil)
	if len(d.servers) < 2 {
		t.Fatalf("%d servers, want the connector's and the page's at least", len(d.servers))
	}
	for i, s := range d.servers {
		if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout != 0 {
			t.Errorf("server %d: ReadHeaderTimeout %v, ReadTimeout %v, WriteTimeout %v; want both read bounds and no write bound",
				i, s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout)
		}
	}
}
