// Package deploy has no code of its own: its tests hold template.yaml, the
// SAM template at the root of the repository, to what the code expects.
//
// They lint the template with cfn-lint, transform it with aws-sam-translator
// (testdata/transform.py) into the CloudFormation that AWS would run, check
// that output statically (the function role's policy, the routes, CORS, the
// outputs, the alarms, the access log format, tracing, the dashboard), and
// create it as a stack in moto_server, a real AWS emulator, to read back
// through the AWS SDK the table's key schema, the function's environment
// (exactly the variables internal/config reads), the log groups and the
// dashboard, and to put in the alarms and the metric filter moto cannot
// create from a template. They also check that the webhook 401 metric
// filter matches the function's real log line, that testdata/env.json (for
// `sam local invoke --env-vars`) starts the function, and that the tables
// of resources, parameters and outputs in docs/deploying.md and of alarms
// in docs/operations.md match the template.
//
// Where cfn-lint, python3 with aws-sam-translator or moto_server is missing,
// the tests skip with a message, except under CI=true, where they fail.
// `make test` installs them first.
package deploy
