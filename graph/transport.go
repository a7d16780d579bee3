package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
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

// Do implements graphql.Transport.
func (t GETQueries) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if isMutation(r.URL.Query().Get("query"), r.URL.Query().Get("operationName"), t.MaxTokens) {
		w.Header().Set("Allow", http.MethodPost)
		writeTransportError(w, http.StatusMethodNotAllowed,
			"mutations must be sent with POST; GET requests may only run queries")
		return
	}
	t.GET.Do(w, r, exec)
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

// POSTJSON is gqlgen's POST transport, except that a body that is not JSON
// at all is answered 400 with a BAD_REQUEST code and where the JSON breaks,
// where gqlgen echoes the whole body back under a validation code.
type POSTJSON struct{ transport.POST }

// Do implements graphql.Transport.
func (t POSTJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeTransportError(w, http.StatusBadRequest, "the request body could not be read")
		return
	}
	if !json.Valid(body) {
		writeTransportError(w, http.StatusBadRequest, jsonProblem(body))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	t.POST.Do(w, r, exec)
}

// jsonProblem says what is wrong with a body that is not valid JSON.
func jsonProblem(body []byte) string {
	const want = `send {"query": "…", "variables": {…}}`
	if len(bytes.TrimSpace(body)) == 0 {
		return "the request body is empty; " + want
	}
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("the request body is not valid JSON: %s at byte %d; %s", se.Error(), se.Offset, want)
	}
	return "the request body is not valid JSON; " + want
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
// refused transport, a missing credential, an oversized body.
func WriteHTTPError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
		"data":   nil,
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeTransportError answers a request no transport can run.
func writeTransportError(w http.ResponseWriter, status int, msg string) {
	WriteHTTPError(w, status, kg.CodeBadRequest, msg)
}
