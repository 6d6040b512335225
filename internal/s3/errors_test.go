package s3_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/s3"
)

// s3Error is an error body as S3 sends it.
func s3Error(code string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>` + code + `</Code><Message>m</Message><RequestId>r</RequestId><HostId>h</HostId></Error>`
}

// TestErrorsOnTheWire holds the Store's classification of S3's answers to
// what S3 sends (status and XML error body), served by a small server of
// ours: among them what moto_server gets wrong (an unknown upload) and
// what it never sends (throttling, a 200 carrying an error).
func TestErrorsOnTheWire(t *testing.T) {
	parts := []connector.ObjectPart{{Number: 1, ETag: `"e"`, Size: 1}}
	ops := map[string]func(st *s3.Store) error{
		"Begin": func(st *s3.Store) error { _, err := st.Begin(t.Context(), "k"); return err },
		"WritePart": func(st *s3.Store) error {
			_, err := st.WritePart(t.Context(), "k", "u", 1, bytes.NewReader([]byte("x")), 1)
			return err
		},
		"Finish":  func(st *s3.Store) error { return st.Finish(t.Context(), "k", "u", parts) },
		"Abort":   func(st *s3.Store) error { return st.Abort(t.Context(), "k", "u") },
		"Stat":    func(st *s3.Store) error { _, err := st.Stat(t.Context(), "k"); return err },
		"Open":    func(st *s3.Store) error { _, _, err := st.Open(t.Context(), "k", 0); return err },
		"Delete":  func(st *s3.Store) error { return st.Delete(t.Context(), "k") },
		"Promote": func(st *s3.Store) error { return st.Promote(t.Context(), "s", "k", connector.ObjectMeta{}) },
	}
	for _, tt := range []struct {
		op     string
		status int
		code   string // S3's error code in the body; none: no body
		want   error
	}{
		{"WritePart", 404, "NoSuchUpload", connector.ErrNotFound},
		{"Finish", 404, "NoSuchUpload", connector.ErrNotFound},
		{"Abort", 404, "NoSuchUpload", nil},
		{"Finish", 400, "EntityTooSmall", connector.ErrInvalid},
		{"Finish", 400, "InvalidPart", connector.ErrInvalid},
		{"Finish", 200, "InternalError", connector.ErrUnavailable},
		{"Stat", 404, "", connector.ErrNotFound},
		{"Open", 404, "NoSuchKey", connector.ErrNotFound},
		{"Promote", 404, "", connector.ErrNotFound},
		{"Delete", 404, "NoSuchKey", nil},
		{"Begin", 503, "SlowDown", connector.ErrUnavailable},
		{"Begin", 500, "InternalError", connector.ErrUnavailable},
		{"Begin", 403, "AccessDenied", connector.ErrUnavailable},
		{"Begin", 404, "NoSuchBucket", connector.ErrUnavailable},
		{"Stat", 503, "", connector.ErrUnavailable},
	} {
		t.Run(tt.op+" "+strconv.Itoa(tt.status)+" "+tt.code, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(tt.status)
				if r.Method != http.MethodHead && tt.code != "" {
					_, _ = w.Write([]byte(s3Error(tt.code)))
				}
			}))
			defer srv.Close()
			err := ops[tt.op](onServer(srv.URL))
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.op, err, tt.want)
			}
		})
	}
	t.Run("no server", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close()
		_, err := onServer(srv.URL).Begin(t.Context(), "folder/private-name.pdf")
		if !errors.Is(err, connector.ErrUnavailable) || strings.Contains(err.Error(), "private-name") {
			t.Errorf("Begin: got %v, want ErrUnavailable naming no file", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := onServer("http://127.0.0.1:1").Stat(ctx, "k"); !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("Stat: got %v, want ErrUnavailable", err)
		}
	})
}

// TestPresignValidity: S3 takes a presigned URL valid 1 second to 7 days.
func TestPresignValidity(t *testing.T) {
	st := onServer("http://127.0.0.1:1")
	for _, tt := range []struct {
		ttl  time.Duration
		want error
	}{{0, connector.ErrInvalid}, {time.Second, nil}, {7 * 24 * time.Hour, nil}, {7*24*time.Hour + time.Second, connector.ErrInvalid}} {
		if _, err := st.Presign(t.Context(), "k", tt.ttl); tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Presign for %v: got %v, want %v", tt.ttl, err, tt.want)
		}
	}
}

// onServer returns a Store whose S3 is at url, tried once per call.
func onServer(url string) *s3.Store {
	return s3.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint:     aws.String(url),
		RetryMaxAttempts: 1,
	}, "files")
}
