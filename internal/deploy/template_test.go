package deploy

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
)

// TestFunction checks what moto does not keep of the function (architecture,
// logging) and that its environment names exactly the variables the code
// reads, the secret by its ARN.
func TestFunction(t *testing.T) {
	tmpl := transformed(t, nil)
	var fn struct {
		Runtime       string
		Handler       string
		Architectures []string
		MemorySize    int
		Timeout       int
		LoggingConfig struct {
			LogFormat string
			LogGroup  any
		}
		Environment struct{ Variables map[string]any }
	}
	r := tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"Runtime", fn.Runtime, "provided.al2023"},
		{"Handler", fn.Handler, "bootstrap"},
		{"Architectures", fn.Architectures, []string{"arm64"}},
		{"MemorySize", fn.MemorySize, 128},
		{"Timeout", fn.Timeout, 29}, // under the HTTP API's 30 s
		{"LoggingConfig.LogFormat", fn.LoggingConfig.LogFormat, "JSON"},
		{"LoggingConfig.LogGroup", fn.LoggingConfig.LogGroup, ref("ConnectorLogGroup")},
		{"Metadata.BuildMethod", r.Metadata["BuildMethod"], "makefile"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("function %s = %s, want %s", c.what, show(c.got), show(c.want))
		}
	}

	if got, want := slices.Sorted(maps.Keys(fn.Environment.Variables)), slices.Sorted(slices.Values(config.All)); !slices.Equal(got, want) {
		t.Errorf("function environment names %v, want exactly config.All %v", got, want)
	}
	for name, want := range map[string]any{
		config.TableName: ref("UploadsTable"),
		config.TopicARN:  ref("EventsTopic"),
		config.SecretARN: ref("ConnectorSecret"), // an ARN, never the value
	} {
		if got := fn.Environment.Variables[name]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %s, want %s", name, show(got), show(want))
		}
	}

	var logs struct{ RetentionInDays any }
	tmpl.resource(t, "ConnectorLogGroup", "AWS::Logs::LogGroup", &logs)
	if want := ref("LogRetentionDays"); !reflect.DeepEqual(logs.RetentionInDays, want) {
		t.Errorf("log group RetentionInDays = %s, want %s", show(logs.RetentionInDays), show(want))
	}
}

// TestTable checks the table the dynamo adapter expects, and what moto does
// not keep of it (TTL, point-in-time recovery, retention).
func TestTable(t *testing.T) {
	tmpl := transformed(t, nil)
	var table struct {
		BillingMode                      string
		AttributeDefinitions             []map[string]string
		KeySchema                        []map[string]string
		TimeToLiveSpecification          map[string]any
		PointInTimeRecoverySpecification map[string]any
		SSESpecification                 map[string]any
		GlobalSecondaryIndexes           []any
		LocalSecondaryIndexes            []any
	}
	r := tmpl.resource(t, "UploadsTable", "AWS::DynamoDB::Table", &table)
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"BillingMode", table.BillingMode, "PAY_PER_REQUEST"},
		{"AttributeDefinitions", table.AttributeDefinitions, []map[string]string{{"AttributeName": "pk", "AttributeType": "S"}}},
		{"KeySchema", table.KeySchema, []map[string]string{{"AttributeName": "pk", "KeyType": "HASH"}}},
		{"TimeToLiveSpecification", table.TimeToLiveSpecification, map[string]any{"AttributeName": "expiresAt", "Enabled": true}},
		{"PointInTimeRecoverySpecification", table.PointInTimeRecoverySpecification, map[string]any{"PointInTimeRecoveryEnabled": true}},
		{"SSESpecification", table.SSESpecification, map[string]any{"SSEEnabled": true}},
		{"indexes", append(table.GlobalSecondaryIndexes, table.LocalSecondaryIndexes...), []any(nil)},
		{"DeletionPolicy", r.DeletionPolicy, "Retain"},
		{"UpdateReplacePolicy", r.UpdateReplacePolicy, "Retain"},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("table %s = %s, want %s", c.what, show(c.got), show(c.want))
		}
	}
}

// httpAPI is the part of the transformed HTTP API the tests read.
type httpAPI struct {
	Body struct {
		Paths map[string]map[string]struct {
			Integration struct {
				URI                  any    `json:"uri"`
				PayloadFormatVersion string `json:"payloadFormatVersion"`
			} `json:"x-amazon-apigateway-integration"`
		} `json:"paths"`
		Cors any `json:"x-amazon-apigateway-cors"`
	}
}

// TestRoutes checks the HTTP API, which moto cannot create: every route goes
// to the function, and the stage throttles.
func TestRoutes(t *testing.T) {
	tmpl := transformed(t, nil)
	var api httpAPI
	tmpl.resource(t, "HttpApi", "AWS::ApiGatewayV2::Api", &api)
	routes := map[string]string{
		"/":             "post",
		"/webhook":      "post",
		"/mcp":          "post",
		"/tools/{tool}": "post",
		"/$default":     "x-amazon-apigateway-any-method",
	}
	if got, want := slices.Sorted(maps.Keys(api.Body.Paths)), slices.Sorted(maps.Keys(routes)); !slices.Equal(got, want) {
		t.Errorf("API paths %v, want %v", got, want)
	}
	function := map[string]any{"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ConnectorFunction.Arn}/invocations"}
	for path, method := range routes {
		methods := api.Body.Paths[path]
		if len(methods) != 1 {
			t.Errorf("%s has methods %v, want %s alone", path, slices.Sorted(maps.Keys(methods)), method)
		}
		op, ok := methods[method]
		if !ok {
			t.Errorf("no route %s %s", method, path)
			continue
		}
		if !reflect.DeepEqual(op.Integration.URI, function) || op.Integration.PayloadFormatVersion != "2.0" {
			t.Errorf("%s %s goes to %s (payload %q), want the function, payload 2.0", method, path, show(op.Integration.URI), op.Integration.PayloadFormatVersion)
		}
	}

	var stage struct{ DefaultRouteSettings map[string]any }
	tmpl.resource(t, "HttpApiApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage", &stage)
	if want := map[string]any{"ThrottlingRateLimit": ref("ThrottlingRateLimit"), "ThrottlingBurstLimit": ref("ThrottlingBurstLimit")}; !reflect.DeepEqual(stage.DefaultRouteSettings, want) {
		t.Errorf("stage DefaultRouteSettings = %s, want %s", show(stage.DefaultRouteSettings), show(want))
	}
}

// TestCorsMatchesFunction checks that API Gateway, which answers preflights
// and overrides the function's CORS headers, allows the very origins the
// function reads from ALLOWED_ORIGINS, and that the function accepts its
// environment. SAM writes parameter values into the CORS configuration, so
// each case has its own transform.
func TestCorsMatchesFunction(t *testing.T) {
	for _, origins := range []string{"", "https://a.example.com,http://localhost:8080", "*"} {
		t.Run("AllowedOrigins="+origins, func(t *testing.T) {
			extra := map[string]string{"AllowedOrigins": origins}
			tmpl := transformed(t, extra)
			var fn struct {
				Environment struct{ Variables map[string]any }
			}
			tmpl.resource(t, "ConnectorFunction", "AWS::Lambda::Function", &fn)
			var api httpAPI
			tmpl.resource(t, "HttpApi", "AWS::ApiGatewayV2::Api", &api)

			s := newScope(tmpl, stackValues(extra))
			cfg, err := config.Load(environment(t, s, fn.Environment.Variables))
			if err != nil {
				t.Fatalf("the function would not start: %v", err)
			}
			var cors struct {
				AllowOrigins []string `json:"allowOrigins"`
				AllowMethods []string `json:"allowMethods"`
				AllowHeaders []string `json:"allowHeaders"`
			}
			b, _ := json.Marshal(s.eval(t, api.Body.Cors))
			if err := json.Unmarshal(b, &cors); err != nil {
				t.Fatalf("CORS configuration %s: %v", b, err)
			}
			if !slices.Equal(cors.AllowOrigins, cfg.AllowedOrigins) {
				t.Errorf("API Gateway allows origins %q, the function %q", cors.AllowOrigins, cfg.AllowedOrigins)
			}
			if !slices.Contains(cors.AllowMethods, "POST") {
				t.Errorf("CORS allowMethods %q lack POST", cors.AllowMethods)
			}
			for _, h := range []string{"authorization", "content-type", "x-api-key", "mcp-protocol-version", "mcp-method", "mcp-name"} {
				if !slices.Contains(cors.AllowHeaders, h) {
					t.Errorf("CORS allowHeaders %q lack %s", cors.AllowHeaders, h)
				}
			}
		})
	}
}
