// Command hello is the smallest aws-lambda-go function, built like the
// connector: the cold-start reference reported in docs/performance.md, the
// cost of a Go process and the runtime loop with no AWS client at all.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context, json.RawMessage) (string, error) { return "hello", nil })
}
