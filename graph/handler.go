package graph

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
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
