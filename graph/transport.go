package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/innograph/innograph/internal/kg"
)

// GETQueries is gqlgen's GET transport, except that a mutation sent over GET
// is answered 405 Method Not Allowed with "Allow: POST" and a BAD_REQUEST
// code, as the GraphQL-over-HTTP specification asks, where gqlgen answers
// 406 with no code. A GET must not change anything: browsers, caches and
// crawlers repeat GETs freely.
type GETQueries struct {
	transport.GET
	// MaxTokens bounds the lexer's work on the document, as the server's
	// parser token limit does; 0 means no bound. A document over it is left
	// to gqlgen, which refuses it.
	MaxTokens int
}

// Do implements graphql.Transport. Parameters gqlgen could not read (a query
// string that does not parse, variables or extensions that are not a JSON
// object) are answered 400 with a BAD_REQUEST code and what is wrong, where
// gqlgen answers without a code.
func (t GETQueries) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeTransportError(w, http.StatusBadRequest, fmt.Sprintf(
			"the URL's query string does not parse (%v); percent-encode each parameter, as encodeURIComponent does", err))
		return
	}
	for _, name := range []string{"variables", "extensions"} {
		if v := q.Get(name); v != "" {
			if msg := objectParamProblem(name, v); msg != "" {
				writeTransportError(w, http.StatusBadRequest, msg)
				return
			}
		}
	}
	if isMutation(q.Get("query"), q.Get("operationName"), t.MaxTokens) {
		w.Header().Set("Allow", http.MethodPost)
		writeTransportError(w, http.StatusMethodNotAllowed,
			"mutations must be sent with POST; GET requests may only run queries")
		return
	}
	t.GET.Do(w, r, exec)
}

// objectParamProblem says what is wrong with the GET parameter name, whose
// value v gqlgen decodes as a JSON object, or returns "" when it decodes.
func objectParamProblem(name, v string) string {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	if dec.Decode(&m) == nil {
		return ""
	}
	var x any
	var se *json.SyntaxError
	if err := json.Unmarshal([]byte(v), &x); errors.As(err, &se) {
		return fmt.Sprintf("the %s parameter is not valid JSON: %s at byte %d; send a JSON object, percent-encoded", name, se.Error(), se.Offset)
	}
	return fmt.Sprintf("the %s parameter must be a JSON object, not %s", name, jsonKind([]byte(v)))
}

// isMutation reports whether the operation a GET would run is a mutation.
// A document that does not parse, or names no operation it has, is left to
// gqlgen, which explains what is wrong with it.
func isMutation(query, operationName string, maxTokens int) bool {
	if !strings.Contains(query, "mutation") {
		return false
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, maxTokens)
	if err != nil {
		return false
	}
	for _, op := range doc.Operations {
		if operationName == "" && len(doc.Operations) == 1 || op.Name == operationName {
			return op.Operation == ast.Mutation
		}
	}
	return false
}

// POSTJSON is gqlgen's POST transport, except that a body gqlgen could not
// decode is answered 400 with a BAD_REQUEST code and a message saying what
// is wrong with it, where gqlgen echoes the whole body back under a
// validation code (and a body of null made it panic): a body that is not
// JSON says where the JSON breaks, and one that is JSON of the wrong shape
// (an array, "query": 5) names the member and the type it must have.
type POSTJSON struct{ transport.POST }

// Do implements graphql.Transport.
func (t POSTJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeTransportError(w, http.StatusBadRequest, "the request body could not be read")
		return
	}
	if msg := bodyProblem(body); msg != "" {
		writeTransportError(w, http.StatusBadRequest, msg)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.POST.Do(w, r, exec)
}

// sendJSON ends every message about a body's shape.
const sendJSON = `send {"query": "…", "variables": {…}}`

// bodyProblem says what is wrong with a POST body, or returns "" when
// gqlgen's decoder accepts it. The members gqlgen decodes are read as raw
// JSON and checked by type only, so a body costs one more scan, not a
// second decode.
func bodyProblem(body []byte) string {
	var p struct {
		Query         json.RawMessage `json:"query"`
		OperationName json.RawMessage `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
		Headers       json.RawMessage `json:"headers"`
	}
	err := json.Unmarshal(body, &p)
	var se *json.SyntaxError
	switch {
	case len(bytes.TrimSpace(body)) == 0:
		return "the request body is empty; " + sendJSON
	case errors.As(err, &se):
		return fmt.Sprintf("the request body is not valid JSON: %s at byte %d; %s", se.Error(), se.Offset, sendJSON)
	case err != nil || jsonKind(body) != "an object":
		return fmt.Sprintf("the request body must be a JSON object, not %s; %s", jsonKind(body), sendJSON)
	}
	for _, m := range []struct {
		name string
		raw  json.RawMessage
		want string // the kind it must have, besides null
		what string
	}{
		{"query", p.Query, "a string", "the GraphQL document"},
		{"operationName", p.OperationName, "a string", "the name of an operation in the document"},
		{"variables", p.Variables, "an object", "the variables' values by name"},
		{"extensions", p.Extensions, "an object", "extension data by name"},
		{"headers", p.Headers, "an object", "lists of header values by name"},
	} {
		if k := jsonKind(m.raw); m.raw != nil && k != "null" && k != m.want {
			return fmt.Sprintf("%q in the request body must be %s (%s), not %s; %s", m.name, m.want, m.what, k, sendJSON)
		}
	}
	if jsonKind(p.Headers) == "an object" {
		var h http.Header
		if json.Unmarshal(p.Headers, &h) != nil {
			return `"headers" in the request body must map each name to a list of strings; ` + sendJSON
		}
	}
	return ""
}

// jsonKind names the type of a valid JSON value by its first byte.
func jsonKind(v []byte) string {
	v = bytes.TrimLeft(v, " \t\r\n")
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// Unsupported takes every request that the other transports refuse, so that
// each gets a JSON error with a code and a message saying what to send,
// where gqlgen answers 400 "transport not supported" in plain text. Add it
// last: the first transport that supports a request serves it.
//   - another method than GET, POST, OPTIONS or HEAD: 405, with an Allow header;
//   - a POST whose body is not JSON (a form, plain text): 415.
type Unsupported struct{}

var _ graphql.Transport = Unsupported{}

// Supports implements graphql.Transport: it supports every request.
func (Unsupported) Supports(*http.Request) bool { return true }

// Do implements graphql.Transport.
func (Unsupported) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeTransportError(w, http.StatusMethodNotAllowed, fmt.Sprintf(
			"method %s is not allowed; send GraphQL with POST (or GET, for queries only)", r.Method))
		return
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
	}
	if ct == "" {
		ct = "none"
	}
	writeTransportError(w, http.StatusUnsupportedMediaType, fmt.Sprintf(
		`content type %s is not accepted; send a JSON body {"query": "…", "variables": {…}} with Content-Type: application/json`, ct))
}

// WriteHTTPError writes a GraphQL-shaped error response, with code as
// extensions.code, for a request answered before GraphQL execution: a
// refused transport, a missing credential, an oversized body. The response
// declares its length, so it is complete before the handler returns.
func WriteHTTPError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
		"data":   nil,
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeTransportError answers a request no transport can run.
func writeTransportError(w http.ResponseWriter, status int, msg string) {
	WriteHTTPError(w, status, kg.CodeBadRequest, msg)
}
