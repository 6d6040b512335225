package deploy

import (
	"encoding/json"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
)

// envVarsPath is the file docs/deploying.md's `sam local invoke --env-vars` names.
const envVarsPath = "../../testdata/env.json"

// TestSamLocalEnvVars checks testdata/env.json, the values `sam local
// invoke --env-vars` gives the function in place of the template's (SAM
// resolves a Ref to a resource into its logical id, which is not an ARN):
// it names the template's function, sets every variable the function reads
// and no other (SAM CLI passes only the variables the template declares),
// the function starts on them, and the optional ones are the template's
// defaults.
func TestSamLocalEnvVars(t *testing.T) {
	b, err := os.ReadFile(envVarsPath)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]map[string]string
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatalf("%s is not an object of functions' variables: %v", envVarsPath, err)
	}
	if got, want := slices.Sorted(maps.Keys(file)), []string{"ConnectorFunction"}; !slices.Equal(got, want) {
		t.Fatalf("%s names functions %v, want %v", envVarsPath, got, want)
	}
	vars := file["ConnectorFunction"]

	tmpl := transformed(t, nil)
	var fn struct {
		Environment struct{ Variables map[string]any }
	}
	tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	if got, want := slices.Sorted(maps.Keys(vars)), slices.Sorted(maps.Keys(fn.Environment.Variables)); !slices.Equal(got, want) {
		t.Errorf("%s sets %v, want exactly the template's variables %v", envVarsPath, got, want)
	}

	if _, err := config.Load(func(name string) string { return vars[name] }); err != nil {
		t.Fatalf("the function would not start on %s: %v", envVarsPath, err)
	}

	// The variables a parameter with a default sets: as deployed with the
	// host and Dropzone id of the file.
	deployed := environment(t, newScope(tmpl, stackValues(map[string]string{
		"SendSafelyHost": vars[config.SendSafelyHost],
		"DropzoneId":     vars[config.DropzoneID],
		// The template's defaults: no hand-off (the shared test values
		// turn it on).
		"CallbackUrl":        "",
		"ConnectInstanceArn": "",
		"FilesBucket":        "",
		"MalwareScan":        "false",
	})), fn.Environment.Variables)
	for _, name := range config.All {
		if slices.Contains(config.Required, name) {
			continue
		}
		if got, want := vars[name], deployed(name); got != want {
			t.Errorf("%s %s = %q, want the template's default %q", envVarsPath, name, got, want)
		}
	}
}
