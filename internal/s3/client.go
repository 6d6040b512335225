package s3

import (
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// NewFromConfig returns a Store on bucket with an S3 client made from cfg,
// for the wiring. Making it costs no network call and no file read.
//
// The client's HTTP attempts have no overall timeout, whatever cfg sets: a
// part streams its body as the caller produces it (decrypted parts as they
// arrive), which no fixed attempt bound fits; the caller's context bounds
// them. What does fit is bounded: connecting, the TLS handshake (the SDK's
// defaults) and the wait for the answer's headers once the body is sent
// (responseTimeout: S3 answers a long copy or completion at once and
// keeps the connection alive while it works). An endpoint of its own (AWS_ENDPOINT_URL, an emulator) is
// addressed path-style (http://host/bucket/key), as emulators require; a
// plain-http one is sent payloads unsigned and without checksums, since the
// SDK streams a body it cannot rewind only over TLS (with a trailing
// checksum, as it does on AWS).
func NewFromConfig(cfg aws.Config, bucket string, opts ...Option) *Store {
	cfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.ResponseHeaderTimeout = responseTimeout
	})
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// A ranged GET has no checksum to validate; the SDK would say so
		// in a plain-text line on stderr for every Open at an offset.
		o.DisableLogOutputChecksumValidationSkipped = true
		ep := aws.ToString(o.BaseEndpoint)
		if ep == "" {
			return
		}
		o.UsePathStyle = true
		if strings.HasPrefix(strings.ToLower(ep), "http://") {
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
		}
	})
	return New(client, s3.NewPresignClient(client), bucket, opts...)
}

// responseTimeout bounds the wait for an answer's headers once a request
// is sent.
const responseTimeout = 30 * time.Second
