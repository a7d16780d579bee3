package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/neo4jtest"
)

// limitsServer serves newMux over the shared test store with cfg changed by edit.
func limitsServer(t *testing.T, edit func(*config)) *httptest.Server {
	t.Helper()
	st := neo4jtest.Store(t)
	for _, k := range []string{"MAX_BODY_BYTES", "COMPLEXITY_LIMIT", "DEPTH_LIMIT", "INTROSPECTION", "PLAYGROUND",
		"CORS_ORIGINS", "REQUEST_TIMEOUT", "AUTH_TOKENS", "AUTH_TOKEN_FILE", "ANONYMOUS_READS"} {
		t.Setenv(k, "")
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	h, err := newMux(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

type limitsResponse struct {
	status int
	header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func limitsDo(t *testing.T, req *http.Request) limitsResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := limitsResponse{status: resp.StatusCode, header: resp.Header}
	if len(body) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/") {
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("status %d, body is not JSON: %s", resp.StatusCode, body)
		}
	}
	return out
}

func limitsPost(t *testing.T, base, body string) limitsResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return limitsDo(t, req)
}

func jsonQuery(q string) string {
	b, _ := json.Marshal(map[string]string{"query": q})
	return string(b)
}

// Every HTTP-level limit answers with an error that says what to change.
func TestHTTPLimits(t *testing.T) {
	srv := limitsServer(t, func(c *config) { c.MaxBodyBytes = 4 << 10 })
	// A syntactically valid query just over the body limit.
	big := jsonQuery("{ entity(id: \"polyu\") { id } }" + strings.Repeat(" ", 5<<10))

	t.Run("body size", func(t *testing.T) {
		r := limitsPost(t, srv.URL, big)
		if r.status != http.StatusRequestEntityTooLarge || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" ||
			!strings.Contains(r.Errors[0].Message, "at most 4096 bytes") {
			t.Errorf("status %d, errors %+v", r.status, r.Errors)
		}
	})
	t.Run("body size without a length", func(t *testing.T) {
		// Chunked: no Content-Length, so the limit applies while reading.
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", io.MultiReader(strings.NewReader(big)))
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = -1
		r := limitsDo(t, req)
		if r.status != http.StatusRequestEntityTooLarge || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" {
			t.Errorf("status %d, errors %+v", r.status, r.Errors)
		}
	})
	t.Run("enum variables must match exactly", func(t *testing.T) {
		body := `{"query": "query($t: [RelationshipType!]) { subgraph(ids: [\"polyu\"], relationshipTypes: $t) { truncated } }", "variables": {"t": ["hosts"]}}`
		r := limitsPost(t, srv.URL, body)
		if r.status != http.StatusUnprocessableEntity || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" ||
			!strings.Contains(r.Errors[0].Message, "did you mean HOSTS?") {
			t.Errorf("status %d, errors %+v; want 422 GRAPHQL_VALIDATION_FAILED suggesting HOSTS (it was INTERNAL)", r.status, r.Errors)
		}
	})
	t.Run("form posts have no transport", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(url.Values{"query": {"{ schemaInfo { kinds { kind } } }"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := limitsDo(t, req)
		if r.status != http.StatusUnsupportedMediaType || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_REQUEST" ||
			!strings.Contains(r.Errors[0].Message, "application/json") || len(r.Data) > 0 && string(r.Data) != "null" {
			t.Errorf("form post: status %d, data %s, errors %+v", r.status, r.Data, r.Errors)
		}
	})
	t.Run("bodies gqlgen cannot decode say what is wrong", func(t *testing.T) {
		for _, tc := range []struct{ body, want string }{
			{`{"query": "{ __typename }"`, "not valid JSON: unexpected end of JSON input at byte 26"},
			{`{query: "{ __typename }"}`, "not valid JSON: invalid character 'q' looking for beginning of object key string at byte 2"},
			{` `, "the request body is empty"},
			// JSON of the wrong shape: gqlgen echoed these back under a
			// validation code, and null made it panic (INTERNAL).
			{`null`, "the request body must be a JSON object, not null"},
			{`[{"query": "{ __typename }"}]`, "the request body must be a JSON object, not an array"},
			{`{"query": 5}`, `"query" in the request body must be a string (the GraphQL document), not a number`},
			{`{"query": "{ __typename }", "variables": ["polyu"]}`, `"variables" in the request body must be an object (the variables' values by name), not an array`},
		} {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			r := limitsDo(t, req)
			if r.status != http.StatusBadRequest || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_REQUEST" ||
				!strings.Contains(r.Errors[0].Message, tc.want) || strings.Contains(r.Errors[0].Message, "__typename") {
				t.Errorf("body %q: status %d, errors %+v; want 400 BAD_REQUEST saying %q, body not echoed", tc.body, r.status, r.Errors, tc.want)
			}
		}
	})
	t.Run("GET parameters gqlgen cannot decode say what is wrong", func(t *testing.T) {
		for _, tc := range []struct{ query, want string }{
			{"query=" + url.QueryEscape("{ __typename }") + "&variables=" + url.QueryEscape(`["polyu"]`), "the variables parameter must be a JSON object, not an array"},
			{"query=" + url.QueryEscape("{ __typename }") + "&variables=" + url.QueryEscape(`{id: 1}`), "the variables parameter is not valid JSON"},
			{"query=" + url.QueryEscape("{ __typename }") + "&extensions=5", "the extensions parameter must be a JSON object, not a number"},
			{"query=%zz", "the URL's query string does not parse"},
		} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?"+tc.query, nil)
			r := limitsDo(t, req)
			if r.status != http.StatusBadRequest || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_REQUEST" ||
				!strings.Contains(r.Errors[0].Message, tc.want) {
				t.Errorf("GET ?%s: status %d, errors %+v; want 400 BAD_REQUEST saying %q", tc.query, r.status, r.Errors, tc.want)
			}
		}
		// null variables are no variables.
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?variables=null&query="+url.QueryEscape("{ __typename }"), nil)
		if r := limitsDo(t, req); r.status != http.StatusOK || len(r.Errors) > 0 {
			t.Errorf("GET with null variables: status %d, errors %+v", r.status, r.Errors)
		}
	})
	t.Run("other methods are refused with Allow", func(t *testing.T) {
		for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
			req, _ := http.NewRequest(m, srv.URL+"/graphql", strings.NewReader(`{"query": "{ __typename }"}`))
			req.Header.Set("Content-Type", "application/json")
			r := limitsDo(t, req)
			if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, POST, OPTIONS" ||
				len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_REQUEST" || !strings.Contains(r.Errors[0].Message, m) {
				t.Errorf("%s: status %d, Allow %q, errors %+v", m, r.status, r.header.Get("Allow"), r.Errors)
			}
		}
	})
	t.Run("no mutations over GET", func(t *testing.T) {
		q := url.QueryEscape(`mutation { deleteEntity(id: "polyu", expectedVersion: 1, change: {source: "s", quote: "q"}) { id } }`)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?query="+q, nil)
		r := limitsDo(t, req)
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != http.MethodPost || len(r.Errors) == 0 ||
			r.Errors[0].Extensions["code"] != "BAD_REQUEST" || len(r.Data) > 0 && string(r.Data) != "null" {
			t.Errorf("GET mutation: status %d, Allow %q, data %s, errors %+v", r.status, r.header.Get("Allow"), r.Data, r.Errors)
		}
		// A document with a query and a mutation may run its query over GET.
		q = url.QueryEscape(`query a { __typename } mutation b { deleteEntity(id: "polyu", expectedVersion: 1, change: {source: "s", quote: "q"}) }`)
		req, _ = http.NewRequest(http.MethodGet, srv.URL+"/graphql?operationName=a&query="+q, nil)
		if r := limitsDo(t, req); r.status != http.StatusOK || len(r.Errors) > 0 || !strings.Contains(string(r.Data), "Query") {
			t.Errorf("GET query beside a mutation: status %d, data %s, errors %+v", r.status, r.Data, r.Errors)
		}
	})
	t.Run("tokens", func(t *testing.T) {
		srv := limitsServer(t, nil)
		r := limitsPost(t, srv.URL, jsonQuery("{ "+strings.Repeat("a: __typename ", 1700)+"}"))
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" || !strings.Contains(r.Errors[0].Message, "5000 tokens") {
			t.Errorf("status %d, errors %+v", r.status, r.Errors)
		}
	})
	t.Run("fragment bomb", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("query { ...F30 } fragment F0 on Query { schemaInfo { kinds { kind } } } ")
		for i := 1; i <= 30; i++ {
			b.WriteString("fragment F" + strconv.Itoa(i) + " on Query { ...F" + strconv.Itoa(i-1) + " ...F" + strconv.Itoa(i-1) + " } ")
		}
		start := time.Now()
		r := limitsPost(t, srv.URL, jsonQuery(b.String()))
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" {
			t.Errorf("status %d, errors %+v", r.status, r.Errors)
		}
		t.Logf("a %d-byte fragment bomb (2^30 fields expanded) answered in %v", b.Len(), time.Since(start).Round(time.Microsecond))
	})
	t.Run("deadline", func(t *testing.T) {
		srv := limitsServer(t, func(c *config) { c.RequestTimeout = time.Nanosecond })
		r := limitsPost(t, srv.URL, jsonQuery(`{ entity(id: "polyu") { id } }`))
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "TIMEOUT" {
			t.Errorf("status %d, errors %+v", r.status, r.Errors)
		}
	})
}

// Introspection and the playground can be switched off, and field
// suggestions go with them; CORS is closed unless configured.
func TestProductionSwitches(t *testing.T) {
	prod := limitsServer(t, func(c *config) { c.Introspection, c.Playground = false, false })
	dev := limitsServer(t, func(c *config) { c.CORSOrigins = "https://analyst.example" })

	r := limitsPost(t, prod.URL, jsonQuery(`{ __schema { types { name } } }`))
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "introspection is switched off") {
		t.Errorf("introspection off: %+v", r.Errors)
	}
	r = limitsPost(t, dev.URL, jsonQuery(`{ __schema { types { name } } }`))
	if len(r.Errors) > 0 {
		t.Errorf("introspection on: %+v", r.Errors)
	}
	r = limitsPost(t, prod.URL, jsonQuery(`{ entitie(id: "polyu") { id } }`))
	if len(r.Errors) == 0 || strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Errorf("suggestions with introspection off: %+v", r.Errors)
	}
	r = limitsPost(t, dev.URL, jsonQuery(`{ entitie(id: "polyu") { id } }`))
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Errorf("suggestions with introspection on: %+v", r.Errors)
	}
	for name, base := range map[string]string{"prod": prod.URL, "dev": dev.URL} {
		req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
		r := limitsDo(t, req)
		if want := map[string]int{"prod": 404, "dev": 200}[name]; r.status != want {
			t.Errorf("%s playground: status %d, want %d", name, r.status, want)
		}
	}

	for _, tc := range []struct {
		base, origin, want string
	}{
		{prod.URL, "https://evil.example", ""},
		{dev.URL, "https://evil.example", ""},
		{dev.URL, "https://analyst.example", "https://analyst.example"},
	} {
		req, _ := http.NewRequest(http.MethodOptions, tc.base+"/graphql", nil)
		req.Header.Set("Origin", tc.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		r := limitsDo(t, req)
		if got := r.header.Get("Access-Control-Allow-Origin"); got != tc.want {
			t.Errorf("preflight from %s: Allow-Origin %q, want %q", tc.origin, got, tc.want)
		}
	}
}
