package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/read"
	"github.com/innograph/innograph/internal/store"
)

// testConfig is the handler configuration of cmd/innograph's defaults over
// st: the same limits, result cache (inert until the graph version is
// watched, see TestResultCache), loaders and middleware.
func testConfig(st *store.Store) graph.HandlerConfig {
	return graph.HandlerConfig{Reader: read.New(read.Shared(st), read.Options{LoaderWait: 500 * time.Microsecond}), Writer: st,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AnonymousReads: true, ComplexityLimit: 50000, DepthLimit: 12,
		Introspection: true, Version: st.GraphVersion, Behind: st.Behind, CacheBytes: 64 << 20}
}

// newHandler is the production handler (graph.NewHandler) over st.
func newHandler(t testing.TB, st *store.Store) http.Handler {
	t.Helper()
	return newHandlerWith(t, st, nil)
}

// newHandlerWith is newHandler with the configuration changed by edit.
func newHandlerWith(t testing.TB, st *store.Store, edit func(*graph.HandlerConfig)) *graph.Handler {
	t.Helper()
	cfg := testConfig(st)
	if edit != nil {
		edit(&cfg)
	}
	return graph.NewHandler(cfg)
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// post sends one GraphQL request and decodes the response.
func post(t testing.TB, h http.Handler, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return postAs(t, h, "", query, vars)
}

// postAs is post with a bearer token, when token is not empty.
func postAs(t testing.TB, h http.Handler, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	ctx, cancel := context.WithTimeout(req.Context(), 2*time.Minute)
	defer cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(ctx))
	var resp gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", rec.Code, rec.Body.String())
	}
	return resp
}

// query posts and fails the test on any GraphQL error, decoding data into out.
func query(t testing.TB, h http.Handler, q string, vars map[string]any, out any) {
	t.Helper()
	resp := post(t, h, q, vars)
	if len(resp.Errors) > 0 {
		t.Fatalf("query failed: %+v\n%s", resp.Errors, q)
	}
	if err := json.Unmarshal(resp.Data, out); err != nil {
		t.Fatalf("decoding %s: %v", resp.Data, err)
	}
}

var (
	handlerOnce sync.Once
	sharedH     http.Handler
)

// testHandler returns a handler over the shared, seeded test store.
func testHandler(t testing.TB) (http.Handler, *store.Store) {
	st := neo4jtest.Store(t)
	handlerOnce.Do(func() { sharedH = newHandler(t, st) })
	return sharedH, st
}

// proxy forwards TCP connections to target until closed, so that a test can
// make a working Neo4j disappear.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t testing.TB, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); u.Close() }()
			go func() { _, _ = io.Copy(c, u); c.Close() }()
		}
	}()
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) Addr() string { return p.ln.Addr().String() }

// Close stops accepting and cuts every forwarded connection.
func (p *proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// unavailableStore returns a Store that connected to Neo4j through a proxy
// which has since gone away: every query now fails to connect.
func unavailableStore(t testing.TB) *store.Store {
	neo4jtest.Store(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	target := strings.TrimPrefix(strings.TrimPrefix(cfg.URI, "bolt://"), "neo4j://")
	p := newProxy(t, target)
	cfg.URI = "bolt://" + p.Addr()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("opening through the proxy: %v", err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	p.Close()
	return st
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// rawDelete removes every node whose id starts with prefix, bypassing the Store.
func rawDelete(t testing.TB, prefix string) {
	t.Helper()
	if !strings.HasPrefix(prefix, "zz-test-") {
		t.Fatalf("refusing to delete %q: test data ids start with zz-test-", prefix)
	}
	neo4jtest.Cypher(t, "MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n", map[string]any{"p": prefix})
}

// queryNames records the names of the queries a Store runs.
type queryNames struct {
	mu    sync.Mutex
	names []string
}

func (q *queryNames) add(name string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.names = append(q.names, name)
}

func (q *queryNames) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.names = nil
}

func (q *queryNames) list() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]string(nil), q.names...)
}

// observedStore opens a second Store on the seeded test database whose
// queries are counted and named.
func observedStore(t testing.TB) (*store.Store, *queryNames) {
	neo4jtest.Store(t)
	ctx := ctxT(t)
	cfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := &queryNames{}
	cfg.Observe = func(name string, _ time.Duration, _ error) { names.add(name) }
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	return st, names
}
