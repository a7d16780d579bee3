package graph

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

func TestIsMutation(t *testing.T) {
	for _, tc := range []struct {
		name, query, op string
		want            bool
	}{
		{"over the token limit", `mutation { ` + strings.Repeat("a: __typename ", 50) + `}`, "", false},
		{"anonymous query", `{ entity(id: "polyu") { id } }`, "", false},
		{"anonymous mutation", `mutation { deleteEntity(id: "x", expectedVersion: 1) }`, "", true},
		{"named mutation", `mutation drop { deleteEntity(id: "x", expectedVersion: 1) }`, "drop", true},
		{"query beside a mutation, query chosen", `query a { __typename } mutation b { __typename }`, "a", false},
		{"query beside a mutation, mutation chosen", `query a { __typename } mutation b { __typename }`, "b", true},
		{"two operations, none chosen", `query a { __typename } mutation b { __typename }`, "", false},
		{"the word in a string", `{ search(query: "mutation") { score } }`, "", false},
		{"does not parse", `mutation {`, "", false},
		{"unknown operation name", `mutation b { __typename }`, "c", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isMutation(tc.query, tc.op, 100); got != tc.want {
				t.Errorf("isMutation(%q, %q) = %v, want %v", tc.query, tc.op, got, tc.want)
			}
		})
	}
}

func TestBodyProblem(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       string // a part of the message; "" when the body is fine
	}{
		{"query only", `{"query": "{ __typename }"}`, ""},
		{"every member", `{"query": "query q($id: ID!) { entity(id: $id) { id } }", "operationName": "q", "variables": {"id": "polyu"}, "extensions": {"x": 1}, "headers": {"A": ["b"]}}`, ""},
		{"null members", `{"query": "{ __typename }", "operationName": null, "variables": null, "extensions": null, "headers": null}`, ""},
		{"no query is left to gqlgen", `{}`, ""},
		{"empty", " \n", "the request body is empty"},
		{"cut short", `{"query": "{ __typename }"`, "not valid JSON: unexpected end of JSON input at byte 26"},
		{"two values", `{"query": "a"} {"query": "b"}`, "not valid JSON: invalid character '{' after top-level value"},
		{"null", `null`, "must be a JSON object, not null"},
		{"array", `[{"query": "{ __typename }"}]`, "must be a JSON object, not an array"},
		{"string", `"{ __typename }"`, "must be a JSON object, not a string"},
		{"number", ` 5`, "must be a JSON object, not a number"},
		{"query a number", `{"query": 5}`, `"query" in the request body must be a string (the GraphQL document), not a number`},
		{"query an object", `{"query": {"a": 1}}`, `"query" in the request body must be a string (the GraphQL document), not an object`},
		{"operation name a boolean", `{"query": "{ a }", "operationName": true}`, `"operationName" in the request body must be a string`},
		{"variables an array", `{"query": "{ a }", "variables": [1]}`, `"variables" in the request body must be an object (the variables' values by name), not an array`},
		{"variables a string", `{"query": "{ a }", "variables": "{\"id\": 1}"}`, `"variables" in the request body must be an object`},
		{"extensions a string", `{"query": "{ a }", "extensions": "x"}`, `"extensions" in the request body must be an object`},
		{"headers a number", `{"query": "{ a }", "headers": 5}`, `"headers" in the request body must be an object`},
		{"headers of strings", `{"query": "{ a }", "headers": {"A": "b"}}`, `"headers" in the request body must map each name to a list of strings`},
		{"member names match as gqlgen's do, any case", `{"Query": 5}`, `"query" in the request body must be a string`},
		{"the last of a repeated member counts", `{"query": "{ a }", "query": 5}`, `"query" in the request body must be a string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := bodyProblem([]byte(tc.body))
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("bodyProblem(%q) = %q, want it to say %q", tc.body, got, tc.want)
			}
			if got != "" && !strings.HasSuffix(got, sendJSON) {
				t.Errorf("bodyProblem(%q) = %q, does not say what to send", tc.body, got)
			}
		})
	}
}

// FuzzBodyProblem checks bodyProblem against gqlgen's own decoding of a POST
// body (transport.jsonDecode): every body it lets through must decode into
// request parameters, or gqlgen would echo it back, or (for null) panic.
func FuzzBodyProblem(f *testing.F) {
	for _, s := range []string{`{"query": "{ a }"}`, `null`, `[1]`, `{"query": 5}`, `{"variables": [1]}`,
		`{"headers": {"A": "b"}}`, `{"query": "a", "variables": {"x": 1.5e400}}`, `{"operationName": null}`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if bodyProblem(body) != "" {
			return
		}
		params := &graphql.RawParams{}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&params); err != nil || params == nil {
			t.Errorf("bodyProblem passed %q, which gqlgen cannot decode (params %v, err %v)", body, params, err)
		}
	})
}

func TestObjectParamProblem(t *testing.T) {
	for _, tc := range []struct{ name, v, want string }{
		{"object", `{"id": "polyu", "n": 5}`, ""},
		{"null", `null`, ""},
		{"array", `[1]`, "the variables parameter must be a JSON object, not an array"},
		{"number", `5`, "the variables parameter must be a JSON object, not a number"},
		{"not JSON", `{id: 1}`, "the variables parameter is not valid JSON: invalid character 'i' looking for beginning of object key string at byte 2"},
		{"cut short", `{"id": "polyu"`, "the variables parameter is not valid JSON: unexpected end of JSON input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := objectParamProblem("variables", tc.v); got != tc.want && (tc.want == "" || !strings.HasPrefix(got, tc.want)) {
				t.Errorf("objectParamProblem(%q) = %q, want %q", tc.v, got, tc.want)
			}
		})
	}
}

// BenchmarkBodyProblem measures the shape check every POST body goes
// through, against the plain validity scan it replaced.
func BenchmarkBodyProblem(b *testing.B) {
	body := []byte(`{"query":"query($id: ID!) { entity(id: $id) { id name kind aliases description } }","variables":{"id":"university-1234"}}`)
	b.Run("bodyProblem", func(b *testing.B) {
		for range b.N {
			if bodyProblem(body) != "" {
				b.Fatal("refused")
			}
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		for range b.N {
			if !json.Valid(body) {
				b.Fatal("invalid")
			}
		}
	})
}
