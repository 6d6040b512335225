package s3

import (
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// NewFromConfig returns a Store on bucket with an S3 client made from cfg,
// for the wiring. Making it costs no network call and no file read (about
// 40 µs).
//
// The client's HTTP attempts have no overall timeout, whatever cfg sets: a
// part streams its body as the caller produces it (decrypted parts as they
// arrive), which no fixed attempt bound fits; the caller's context bounds
// them. What does fit is bounded: connecting, the TLS handshake (cfg's
// transport, or the SDK's defaults) and the wait for the answer's headers
// once the body is sent (responseTimeout: S3 answers a long copy or
// completion at once and keeps the connection alive while it works).
//
// Bodies are sent as they are read, unsigned (UNSIGNED-PAYLOAD: TLS
// protects them on the way) and with no checksum of the SDK's own: the
// SDK could otherwise stream a body it cannot rewind only as aws-chunked
// with a trailing checksum, and then only over TLS, which no emulator
// here speaks; this way the request tested on moto is the one sent to S3.
// The file's integrity is the domain's: it verifies every part's
// decryption and records the file's SHA-256.
//
// An endpoint of its own (AWS_ENDPOINT_URL, an emulator) is addressed
// path-style (http://host/bucket/key), as emulators require.
func NewFromConfig(cfg aws.Config, bucket string, opts ...Option) *Store {
	b, ok := cfg.HTTPClient.(*awshttp.BuildableClient)
	if !ok {
		b = awshttp.NewBuildableClient()
	}
	cfg.HTTPClient = b.WithTimeout(0).WithTransportOptions(func(tr *http.Transport) {
		tr.ResponseHeaderTimeout = responseTimeout
	})
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
		// A ranged GET has no checksum to validate; the SDK would say so
		// in a plain-text line on stderr for every Open at an offset.
		o.DisableLogOutputChecksumValidationSkipped = true
		if aws.ToString(o.BaseEndpoint) != "" {
			o.UsePathStyle = true
		}
	})
	return New(client, s3.NewPresignClient(client), bucket, opts...)
}

// responseTimeout bounds the wait for an answer's headers once a request
// is sent.
const responseTimeout = 30 * time.Second
