package apigw_test

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestInvokeMatchesReflection: the runtime gets the same bytes from
// Handler.Invoke as from aws-lambda-go's reflection over Handle, for every
// event in testdata/events, each on a fresh stack in the same state.
func TestInvokeMatchesReflection(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "events", "*.json"))
	if len(files) == 0 {
		t.Fatal("no events")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			var outs [2][]byte
			for i, wrap := range []func(*stack) lambda.Handler{
				func(s *stack) lambda.Handler { return lambda.NewHandler(s.h.Handle) },
				func(s *stack) lambda.Handler { return s.h },
			} {
				s := newStack(t)
				s.keys.Set(connector.KeySet{ValidationKey: fixtureKey, APIToken: fixtureToken})
				if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
					t.Fatal(err)
				}
				out, err := wrap(s).Invoke(context.Background(), readEvent(t, name))
				if err != nil {
					t.Fatal(err)
				}
				// Upload ids after the first are random: compare them as a placeholder.
				outs[i] = uuidRE.ReplaceAll(bytes.TrimSuffix(out, []byte("\n")), []byte("<uuid>"))
			}
			if !bytes.Equal(outs[0], outs[1]) {
				t.Errorf("reflection:\n%s\nInvoke:\n%s", outs[0], outs[1])
			}
		})
	}
}
