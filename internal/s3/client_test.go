package s3_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/sendsafely/chatbot-connector/internal/s3"
)

// TestStreamOverTLS checks what a part looks like on its way to S3 over
// TLS, from a body that cannot be rewound (as the domain's decrypted
// stream): sent as read, unsigned, without aws-chunked framing, as it is
// to moto over plain http.
func TestStreamOverTLS(t *testing.T) {
	var got struct {
		sha, encoding, trailer string
		body                   []byte
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.sha, got.encoding, got.trailer = r.Header.Get("X-Amz-Content-Sha256"), r.Header.Get("Content-Encoding"), r.Header.Get("X-Amz-Trailer")
		got.body, _ = io.ReadAll(r.Body)
		w.Header().Set("ETag", `"e1"`)
	}))
	defer srv.Close()
	tlsConfig := srv.Client().Transport.(*http.Transport).TLSClientConfig
	st := s3.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint:     aws.String(srv.URL),
		RetryMaxAttempts: 1,
		HTTPClient:       awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.TLSClientConfig = tlsConfig }),
		// The SDK's default when its shared configuration is loaded:
		// a trailing CRC32 on every upload that takes one.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
	}, "files")
	body := bytes.Repeat([]byte("part "), 200_000)
	p, err := st.WritePart(t.Context(), "k", "u", 1, struct{ io.Reader }{bytes.NewReader(body)}, int64(len(body)))
	if err != nil {
		t.Fatalf("WritePart: %v", err)
	}
	if p.ETag != `"e1"` || !bytes.Equal(got.body, body) {
		t.Errorf("WritePart: got ETag %s and %d bytes on the wire, want \"e1\" and %d", p.ETag, len(got.body), len(body))
	}
	if got.sha != "UNSIGNED-PAYLOAD" || got.encoding != "" || got.trailer != "" {
		t.Errorf("headers: got payload hash %q, encoding %q, trailer %q; want UNSIGNED-PAYLOAD and no others", got.sha, got.encoding, got.trailer)
	}
}
