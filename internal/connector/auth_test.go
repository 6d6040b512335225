package connector_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestAuthorize(t *testing.T) {
	for _, tt := range []struct {
		name  string
		token connector.Secret
		creds []connector.Secret
		want  error
	}{
		{"no token configured, none given", "", nil, nil},
		{"no token configured, one given", "", []connector.Secret{"anything"}, nil},
		{"right token", "s3cret", []connector.Secret{"s3cret"}, nil},
		{"right token among others", "s3cret", []connector.Secret{"wrong", "s3cret"}, nil},
		{"wrong token", "s3cret", []connector.Secret{"s3cre"}, connector.ErrUnauthorized},
		{"token missing", "s3cret", nil, connector.ErrUnauthorized},
		{"empty credential", "s3cret", []connector.Secret{""}, connector.ErrUnauthorized},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.keys.Set(connector.KeySet{ValidationKey: testKey, APIToken: tt.token})
			if err := e.svc.Authorize(context.Background(), tt.creds...); tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestAuthorizeSecretUnreadable(t *testing.T) {
	e := newEnv(t)
	e.keys.Fail(errors.New("test: access denied"))
	if err := e.svc.Authorize(context.Background()); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable: the token cannot be checked", err)
	}
}
