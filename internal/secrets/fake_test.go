package secrets_test

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
)

const secretARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:connector-AbCdEf"

// fakeSecret is one secret behind the secrets.API method. Its value is
// text, or binary if binary is set; if err is set, every read fails with
// it. If release is set, each read waits for it to close.
type fakeSecret struct {
	mu      sync.Mutex
	text    string
	binary  []byte
	err     error
	release chan struct{}
	calls   int
	ids     []string
}

func (f *fakeSecret) GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.mu.Lock()
	f.calls++
	f.ids = append(f.ids, aws.ToString(in.SecretId))
	release, text, binary, err := f.release, f.text, f.binary, f.err
	f.mu.Unlock()
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, &smithy.CanceledError{Err: ctx.Err()}
		}
	}
	if err != nil {
		return nil, &smithy.OperationError{ServiceID: "Secrets Manager", OperationName: "GetSecretValue", Err: err}
	}
	out := &secretsmanager.GetSecretValueOutput{ARN: in.SecretId}
	if binary != nil {
		out.SecretBinary = binary
	} else {
		out.SecretString = aws.String(text)
	}
	return out, nil
}

func (f *fakeSecret) set(text string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text, f.err = text, err
}

func (f *fakeSecret) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func newClock() *fakeclock.Clock { return fakeclock.New(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)) }

// keySet is a KeySet with its secrets readable, for comparing and printing
// in tests (connector.Secret prints as [REDACTED]).
type keySet struct{ Validation, Previous, Token string }

func plain(ks connector.KeySet) keySet {
	return keySet{string(ks.ValidationKey), string(ks.PreviousValidationKey), string(ks.APIToken)}
}
