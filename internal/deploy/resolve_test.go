package deploy

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// scope evaluates the intrinsic functions of a template that depend on
// parameters and conditions alone, as CloudFormation would for a stack
// created with given parameter values. References to resources are left as
// they are. It knows just the functions the template uses on values the
// tests compare: Ref, Fn::Sub, Fn::If, Fn::Split, Fn::Join and conditions.
type scope struct {
	params     map[string]string
	conditions map[string]any
}

// newScope takes the template's parameter defaults, overridden by given.
func newScope(tmpl cfnTemplate, given map[string]string) scope {
	s := scope{params: map[string]string{"AWS::Region": "us-east-1"}, conditions: tmpl.Conditions}
	for name, p := range tmpl.Parameters {
		if p.Default != nil {
			s.params[name] = fmt.Sprint(p.Default)
		}
	}
	for name, v := range given {
		s.params[name] = v
	}
	return s
}

var subVar = regexp.MustCompile(`\$\{([^}!]+)\}`)

func (s scope) eval(t *testing.T, v any) any {
	t.Helper()
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = s.eval(t, e)
		}
		return out
	case map[string]any:
		if len(v) != 1 {
			out := make(map[string]any, len(v))
			for k, e := range v {
				out[k] = s.eval(t, e)
			}
			return out
		}
		for fn, arg := range v {
			switch fn {
			case "Ref":
				if p, ok := s.params[arg.(string)]; ok {
					return p
				}
				return v
			case "Fn::Sub":
				// The string, or [string, variables]: a variable first, then
				// a parameter or a stand-in.
				str, vars := arg, map[string]any{}
				if a, ok := arg.([]any); ok {
					str, vars = a[0], a[1].(map[string]any)
				}
				return subVar.ReplaceAllStringFunc(str.(string), func(m string) string {
					name := m[2 : len(m)-1]
					if v, ok := vars[name]; ok {
						return fmt.Sprint(s.eval(t, v))
					}
					if p, ok := s.params[name]; ok {
						return p
					}
					return m
				})
			case "Fn::GetAtt":
				a := arg.([]any)
				if p, ok := s.params[fmt.Sprint(a[0])+"."+fmt.Sprint(a[1])]; ok {
					return p
				}
				return v
			case "Fn::If":
				a := arg.([]any)
				if s.cond(t, a[0].(string)) {
					return s.eval(t, a[1])
				}
				return s.eval(t, a[2])
			case "Fn::Split":
				a := arg.([]any)
				var out []any
				for _, part := range strings.Split(s.eval(t, a[1]).(string), a[0].(string)) {
					out = append(out, part)
				}
				return out
			case "Fn::Join":
				a := arg.([]any)
				var parts []string
				for _, e := range s.eval(t, a[1]).([]any) {
					parts = append(parts, fmt.Sprint(e))
				}
				return strings.Join(parts, a[0].(string))
			}
			return map[string]any{fn: s.eval(t, arg)}
		}
	}
	return v
}

// cond reports whether the template's condition name holds.
func (s scope) cond(t *testing.T, name string) bool {
	t.Helper()
	c, ok := s.conditions[name]
	if !ok {
		t.Fatalf("no condition %s", name)
	}
	return s.truth(t, c)
}

func (s scope) truth(t *testing.T, expr any) bool {
	t.Helper()
	m, ok := expr.(map[string]any)
	if !ok || len(m) != 1 {
		t.Fatalf("condition %s is not a function", show(expr))
	}
	for fn, arg := range m {
		switch fn {
		case "Condition":
			return s.cond(t, arg.(string))
		case "Fn::Equals":
			a := arg.([]any)
			return fmt.Sprint(s.eval(t, a[0])) == fmt.Sprint(s.eval(t, a[1]))
		case "Fn::Not":
			return !s.truth(t, arg.([]any)[0])
		case "Fn::Or", "Fn::And":
			all := fn == "Fn::And"
			for _, e := range arg.([]any) {
				if s.truth(t, e) != all {
					return !all
				}
			}
			return all
		}
		t.Fatalf("condition function %s not known to the test", fn)
	}
	return false
}

// stackValues returns params with extra overridden, and stand-ins for what
// Ref returns for the resources the function's environment names.
func stackValues(extra map[string]string) map[string]string {
	v := map[string]string{
		"UploadsTable":     "chatbot-connector-UploadsTable-ABC",
		"EventsTopic":      "arn:aws:sns:us-east-1:123456789012:chatbot-connector-EventsTopic-ABC",
		"ConnectorSecret":  "arn:aws:secretsmanager:us-east-1:123456789012:secret:ConnectorSecret-ABC",
		"DeliveryQueue":    "https://sqs.us-east-1.amazonaws.com/123456789012/chatbot-connector-DeliveryQueue-ABC",
		"FilesBucketStore": "chatbot-connector-filesbucketstore-abc",
		"FilesQueue":       "https://sqs.us-east-1.amazonaws.com/123456789012/chatbot-connector-FilesQueue-ABC",
		"FilesKey.Arn":     "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
	}
	for k, x := range params {
		v[k] = x
	}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

// environment evaluates the function's environment variables in s and
// returns a getenv for config.Load.
func environment(t *testing.T, s scope, vars map[string]any) func(string) string {
	t.Helper()
	env := map[string]string{}
	for name, v := range vars {
		str, ok := s.eval(t, v).(string)
		if !ok {
			t.Fatalf("%s = %s does not evaluate to a string", name, show(v))
		}
		env[name] = str
	}
	return func(name string) string { return env[name] }
}

// resolveConditions returns v with every Fn::If replaced by the branch its
// condition picks in s, and every AWS::NoValue that leaves dropped from its
// list or object, as CloudFormation does when it creates a stack. Everything
// else is left as it is.
func resolveConditions(t *testing.T, s scope, v any) any {
	t.Helper()
	out, _ := resolveIf(t, s, v)
	return out
}

// resolveIf is resolveConditions; ok is false where v resolves to AWS::NoValue.
func resolveIf(t *testing.T, s scope, v any) (out any, ok bool) {
	t.Helper()
	switch v := v.(type) {
	case []any:
		l := []any{}
		for _, e := range v {
			if r, ok := resolveIf(t, s, e); ok {
				l = append(l, r)
			}
		}
		return l, true
	case map[string]any:
		if len(v) == 1 {
			if v["Ref"] == "AWS::NoValue" {
				return nil, false
			}
			if arg, ok := v["Fn::If"].([]any); ok {
				if s.cond(t, arg[0].(string)) {
					return resolveIf(t, s, arg[1])
				}
				return resolveIf(t, s, arg[2])
			}
		}
		m := make(map[string]any, len(v))
		for k, e := range v {
			if r, ok := resolveIf(t, s, e); ok {
				m[k] = r
			}
		}
		return m, true
	}
	return v, true
}
