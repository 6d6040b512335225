package apispec_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSpecValidator runs openapi-spec-validator, an implementation
// independent of kin-openapi, on every form of the document, as `make
// openapi` does on the source. Without the program the test is skipped,
// except under CI=true, where tests never skip silently.
func TestSpecValidator(t *testing.T) {
	bin, err := exec.LookPath("openapi-spec-validator")
	if err != nil {
		msg := "openapi-spec-validator is not installed; `make openapi` installs it"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	src := source(t)
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			b, err := f.derive(src)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "openapi.yaml")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.CommandContext(t.Context(), bin, "--schema", f.schema, "--validation-errors", "all", path).CombinedOutput()
			if err != nil {
				t.Errorf("openapi-spec-validator --schema %s: %v\n%s", f.schema, err, out)
			}
		})
	}
}
