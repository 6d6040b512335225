package deploy

import (
	"os/exec"
	"testing"
)

// TestTemplatePassesCfnLint fails on any cfn-lint finding, informational
// ones included, as `make cfnlint` does.
func TestTemplatePassesCfnLint(t *testing.T) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		unavailable(t, "cfn-lint is not installed")
	}
	out, err := exec.CommandContext(t.Context(), bin, "-c", "I", "--", templatePath).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("cfn-lint %s: %v\n%s", templatePath, err, out)
	}
}
