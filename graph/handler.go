package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/innograph/innograph/internal/kg"
)

// TokenLimit bounds the lexer's work on one query; a real query has a few
// hundred tokens.
const TokenLimit = 5000

// RepeatLimit bounds fields sharing one response name in a selection set.
const RepeatLimit = 20

// HandlerConfig is everything the GraphQL handler depends on. cmd/innograph
// fills it from its config struct; the tests fill it the same way, so that
// every test request passes the production middleware chain.
type HandlerConfig struct {
	// Reader reads the graph (read.New over the store) and Writer changes it.
	Reader Reader
	Writer Writer
	Logger *slog.Logger
	// Docs holds the source documents' text by file name (see Resolver.Docs);
	// nil: quotes of changes are not checked against documents.
	Docs map[string]string

	// Tokens and AnonymousReads configure Authenticate.
	Tokens         *Tokens
	AnonymousReads bool

	// ComplexityLimit and DepthLimit bound every operation (Limits).
	ComplexityLimit, DepthLimit int
	// Introspection enables the introspection queries and suggestions.
	Introspection bool

	// Version and Behind feed the result cache (ResultCache.Version and
	// Bypass); CacheBytes bounds it. With Version nil or CacheBytes 0 there
	// is no result cache.
	Version    func() (int64, bool)
	Behind     func(ctx context.Context) bool
	CacheBytes int64

	// Workbench serves the ingestion workbench; nil answers its fields
	// UNAVAILABLE.
	Workbench Workbench

	// Extensions are added after the handler's own (metrics, for one).
	Extensions []graphql.HandlerExtension
}

// Handler is the GraphQL HTTP handler with the parts its callers observe.
type Handler struct {
	http.Handler
	// Cache is the result cache, nil when there is none.
	Cache *ResultCache
}

// NewHandler wires the GraphQL executor, the one way cmd/innograph and every
// test build it: explicit transports (GET and JSON POST only: no form
// posts), query caches, the result cache, limits, enum checks, the error
// presenter, and in front of them per-request loaders, causal bookmarks and
// authentication.
func NewHandler(cfg HandlerConfig) *Handler {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	res := &Resolver{Read: cfg.Reader, Writer: cfg.Writer, Logger: log, Docs: cfg.Docs, Workbench: cfg.Workbench}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: res}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(GETQueries{MaxTokens: TokenLimit})
	srv.AddTransport(POSTJSON{})
	srv.AddTransport(Unsupported{}) // last: answers what no other takes
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(TokenLimit)
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.SetDisableSuggestion(true)
	}
	var cache *ResultCache
	if cfg.Version != nil && cfg.CacheBytes > 0 {
		cache = &ResultCache{Version: cfg.Version, Bypass: cfg.Behind, MaxBytes: cfg.CacheBytes, MaxEntryBytes: cfg.CacheBytes / 16}
		srv.Use(cache)
	}
	srv.Use(BookmarkExtension{})
	srv.Use(&Limits{MaxCost: cfg.ComplexityLimit, MaxDepth: cfg.DepthLimit, MaxTokens: TokenLimit, MaxRepeat: RepeatLimit,
		Cache: lru.New[*ast.QueryDocument](1000)})
	srv.Use(&EnumVariables{})
	for _, e := range cfg.Extensions {
		srv.Use(e)
	}
	srv.SetErrorPresenter(ErrorPresenter(log))
	srv.SetRecoverFunc(RecoverFunc(log))
	var h http.Handler = srv
	h = begin(cfg.Reader, h)
	h = Bookmarks(h)
	h = Authenticate(cfg.Tokens, cfg.AnonymousReads, h)
	return &Handler{Handler: h, Cache: cache}
}

// begin gives every request its own read state (Reader.Begin: batching
// loaders).
func begin(rd Reader, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(rd.Begin(r.Context())))
	})
}

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

// lookup compares in constant time against every entry.
func (t *Tokens) lookup(token string) (kg.Actor, bool) {
	h := sha256.Sum256([]byte(token))
	var found kg.Actor
	ok := false
	for _, e := range t.entries {
		if subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1 {
			found, ok = e.actor, true
		}
	}
	return found, ok
}

type actorKey struct{}

// ActorFrom returns the authenticated caller, if any.
func ActorFrom(ctx context.Context) (kg.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(kg.Actor)
	return a, ok
}

// Authenticate resolves the bearer token of each request. A request with a
// wrong token is rejected outright (401); one without a token proceeds
// anonymously when anonymousReads is true (mutations then fail with
// UNAUTHENTICATED), and is rejected otherwise.
func Authenticate(t *Tokens, anonymousReads bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			if !anonymousReads && r.Method != http.MethodOptions {
				authError(w, "this server requires a bearer token for every request")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		actor, known := t.lookup(strings.TrimSpace(token))
		if !ok || !known {
			authError(w, "invalid bearer token")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, actor)))
	})
}

func authError(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="innograph"`)
	WriteHTTPError(w, http.StatusUnauthorized, kg.CodeUnauthenticated, msg)
}

// BookmarkHeader carries a bookmark (kg.Bookmark): the answer to a
// mutation that changed the graph sends it, as extensions.bookmark does, and
// a later request that sends it back reads that change, through whichever
// server it reaches.
const BookmarkHeader = "Innograph-Bookmark"

// Bookmarks is HTTP middleware that gives each request its causal context
// (kg.Causal): the bookmark of its Innograph-Bookmark header, if any,
// which the request's reads wait for. A malformed header, or more than one,
// is refused with 400 and BAD_USER_INPUT, saying what to send.
func Bookmarks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var after kg.Bookmark
		switch vals := r.Header.Values(BookmarkHeader); len(vals) {
		case 0:
		case 1:
			b, err := kg.ParseBookmark(BookmarkHeader, vals[0])
			if err != nil {
				WriteHTTPError(w, http.StatusBadRequest, kg.CodeInvalid, err.Error())
				return
			}
			after = b
		default:
			WriteHTTPError(w, http.StatusBadRequest, kg.CodeInvalid,
				"send one "+BookmarkHeader+" header, the bookmark of the latest mutation whose changes the request must see")
			return
		}
		ctx := kg.WithCausal(r.Context(), kg.NewCausal(after))
		ctx = context.WithValue(ctx, headerKey{}, w.Header())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type headerKey struct{}

// BookmarkExtension answers an operation that changed the graph with the
// bookmark of its latest change, in extensions.bookmark and in the
// Innograph-Bookmark header (with Bookmarks in front of the handler).
type BookmarkExtension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = BookmarkExtension{}

// ExtensionName implements graphql.HandlerExtension.
func (BookmarkExtension) ExtensionName() string { return "Bookmark" }

// Validate implements graphql.HandlerExtension.
func (BookmarkExtension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (BookmarkExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	c := kg.CausalFrom(ctx)
	if resp == nil || c == nil {
		return resp
	}
	b, ok := c.Last()
	if !ok {
		return resp
	}
	token := b.String()
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["bookmark"] = token
	if h, ok := ctx.Value(headerKey{}).(http.Header); ok {
		h.Set(BookmarkHeader, token)
	}
	return resp
}
