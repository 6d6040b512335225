package secrets

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/doccheck"
)

// configurationDoc is the page with the one table of the secret's fields.
const configurationDoc = "../../docs/configuration.md"

// TestDocumentedFields checks docs/configuration.md's table of the
// secret: it names exactly the fields parse knows (secretJSON's), marks
// each verified-mode field as one of all four or none, and knownFields,
// which the unknown-field error lists, names the same fields.
func TestDocumentedFields(t *testing.T) {
	var fields []string
	st := reflect.TypeFor[secretJSON]()
	for i := range st.NumField() {
		fields = append(fields, st.Field(i).Tag.Get("json"))
	}
	doc, err := doccheck.Read(configurationDoc)
	if err != nil {
		t.Fatal(err)
	}
	section, ok := doc.Section("## The secret")
	if !ok {
		t.Fatalf("%s has no section The secret", configurationDoc)
	}
	rows := section.Table()
	var documented []string
	for name := range rows {
		documented = append(documented, name)
	}
	if got, want := slices.Sorted(slices.Values(documented)), slices.Sorted(slices.Values(fields)); !slices.Equal(got, want) {
		t.Errorf("%s documents the secret's fields %v, want parse's %v", configurationDoc, got, want)
	}
	for _, name := range []string{"sendsafelyApiKey", "sendsafelyApiSecret", "trustedKeyId", "trustedPrivateKey"} {
		if row := rows[name]; len(row) != 3 || !strings.Contains(row[2], "all four or none") {
			t.Errorf("%s row of %s = %q, want 3 cells, the last saying all four or none", configurationDoc, name, row)
		}
	}
	for _, name := range fields {
		if !strings.Contains(knownFields, name) {
			t.Errorf("knownFields lacks %s", name)
		}
	}
}
