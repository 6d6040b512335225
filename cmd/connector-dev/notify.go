package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// envValidationKey may hold notify's key, to keep it out of shell history.
const envValidationKey = "CONNECTOR_VALIDATION_KEY"

// notifyCommand is `connector-dev notify`: build a notification signed as
// SendSafely's server would sign it and post it to a webhook, as the upload
// page does, then print the answer. It tests a deployed stack before a
// Dropzone is pointed at it.
func notifyCommand(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("notify", e)
	var (
		webhook  = fs.String("url", "", "the connector's webhook URL, such as the stack's WebhookUrl output (required)")
		key      = fs.String("key", "", "the Dropzone Validation Key to sign with (required; or $"+envValidationKey+")")
		uploadID = fs.String("upload-id", "", "the upload id generateId returned (required)")
		email    = fs.String("email", "", "the customer's email address (required)")
		host     = fs.String("host", defaultHost, "the SendSafely host of the secure link (SENDSAFELY_HOST)")
		dz       = fs.String("dropzone", defaultDropzoneID, "the Dropzone id in the signed data (DROPZONE_ID)")
		pkg      = fs.String("package-id", "", "the package id (default: a random one, such as A4Z1-MBLN)")
		origin   = fs.String("origin", "", "an Origin header to send, as a browser would (default: none)")
	)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *key == "" {
		*key = strings.TrimSpace(e.getenv(envValidationKey))
	}
	if err := requireFlags("notify", []requiredFlag{
		{"-url", *webhook, "the connector's webhook, such as http://127.0.0.1:8080/webhook or the stack's WebhookUrl"},
		{"-key", *key, "the Dropzone's Validation Key; give it with -key or, to keep it out of shell history, in $" + envValidationKey +
			" (the local server's is in .data/validation-key)"},
		{"-upload-id", *uploadID, "an UploadId from generateId"},
		{"-email", *email, "the customer's email address the upload is bound to"},
	}); err != nil {
		return err
	}
	if *pkg == "" {
		*pkg = newPackageID()
	}
	sub := dropzone.Payload{UploadID: *uploadID, Email: *email, PackageID: *pkg, PackageCode: newCode(), DropzoneID: *dz, SubmittedAt: submittedAt(time.Now())}
	form := dropzone.Form(sub, []byte(*key), *host, newCode())

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, *webhook, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if *origin != "" {
		req.Header.Set("Origin", *origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("notify: read the answer: %w", err)
	}
	fmt.Fprintf(e.stdout, "package %s\nsecureLink %s\nHTTP %s\n%s\n", sub.PackageID, form.Get("secureLink"), resp.Status, strings.TrimSpace(string(body)))
	switch resp.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusServiceUnavailable:
		// The usual cause, and one a first run meets: notify cannot make a
		// link that opens a real package.
		return errors.New("notify: the webhook answered 503: a connector in verified mode checks every link at SendSafely, " +
			"and notify's link is made-up, so SendSafely cannot confirm it (or SendSafely or the secret is unreachable); " +
			"test notify against a server without verified mode (connector-dev -verified=false, or a secret without the " +
			"verified-mode fields), or upload through the upload page")
	default:
		return errors.New("notify: the webhook did not accept the notification")
	}
}

// requiredFlag is a flag a command cannot run without, and what to give.
type requiredFlag struct{ name, value, what string }

// requireFlags returns a usage error naming every required flag left
// empty, each with what to give, or nil.
func requireFlags(command string, flags []requiredFlag) error {
	var missing []string
	for _, f := range flags {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name+" is required: "+f.what)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return usageErrorf("%s: %s", command, strings.Join(missing, "; "))
}
