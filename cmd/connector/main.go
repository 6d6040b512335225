// Command connector is the chatbot connector's AWS Lambda function: one
// handler behind API Gateway that hands out upload ids, receives Dropzone
// notifications and returns secure links. Configuration comes from the
// environment (see internal/config); bad variables stop it at start with
// one line naming every one of them.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	if err := run(context.Background(), os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "connector:", err)
		os.Exit(1)
	}
}
