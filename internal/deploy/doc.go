// Package deploy has no code of its own: its tests hold template.yaml, the
// SAM template at the root of the repository, to what the code expects.
//
// They lint the template with cfn-lint, transform it with aws-sam-translator
// (testdata/transform.py) into the CloudFormation that AWS would run, check
// that output statically (the function role's policy, the routes, CORS, the
// outputs), and create it as a stack in moto_server, a real AWS emulator, to
// read back through the AWS SDK the table's key schema and the function's
// environment, which must be exactly the variables internal/config reads.
//
// Where cfn-lint, python3 with aws-sam-translator or moto_server is missing,
// the tests skip with a message, except under CI=true, where they fail.
// `make test` installs them first.
package deploy
