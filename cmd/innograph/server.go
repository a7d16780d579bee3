package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/export"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
	"github.com/innograph/innograph/internal/store"
	"github.com/innograph/innograph/internal/workbench"
	"github.com/innograph/innograph/web"
)

// newGraphQLHandler builds the GraphQL handler (graph.NewHandler) from cfg.
// docs are the source documents the quotes of changes are checked against
// (nil: not checked).
func newGraphQLHandler(cfg config, log *slog.Logger, st *store.Store, m *metrics, docs map[string]string) http.Handler {
	hc := graph.HandlerConfig{Reader: read.New(read.Shared(st), read.Options{LoaderWait: cfg.LoaderWait}), Writer: st, Logger: log, Docs: docs,
		Tokens: cfg.Tokens, AnonymousReads: cfg.AnonymousReads,
		ComplexityLimit: cfg.ComplexityLimit, DepthLimit: cfg.DepthLimit, Introspection: cfg.Introspection,
		Version: st.GraphVersion, Behind: st.Behind, CacheBytes: cfg.CacheBytes,
		Workbench: workbench.Backend{Store: st, Service: &workbench.Service{Store: st, MaxBytes: int(cfg.IngestMaxBytes)}}}
	if m != nil {
		hc.Extensions = append(hc.Extensions, graphqlTracer{m: m})
	}
	h := graph.NewHandler(hc)
	if m != nil && h.Cache != nil {
		m.watchCache(h.Cache)
	}
	return h
}

// limitBody rejects bodies over max bytes with 413 before GraphQL sees them,
// whether or not the client declared a length. A declared length is enforced
// by net/http; a chunked body is read here, at most max+1 bytes of it. The
// refusal lingers (lingering.refuse), so that a client still sending its
// body reads the 413 rather than a reset. loadConfig keeps max within 1 KiB
// and 1 GiB; max+1 is capped all the same, since it overflowed for the
// largest int64 (every chunked body then read as empty).
func limitBody(max int64, l lingering, next http.Handler) http.Handler {
	readMax := max
	if readMax < math.MaxInt64 {
		readMax++
	}
	tooLarge := func(w http.ResponseWriter, r *http.Request, what string) {
		l.refuse(w, r, http.StatusRequestEntityTooLarge, kg.CodeLimit,
			fmt.Sprintf("request body is %s; at most %d bytes allowed", what, max))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			tooLarge(w, r, strconv.FormatInt(r.ContentLength, 10)+" bytes")
			return
		}
		if r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody {
			b, err := io.ReadAll(io.LimitReader(r.Body, readMax))
			if err != nil {
				graph.WriteHTTPError(w, http.StatusBadRequest, kg.CodeBadRequest, "the request body could not be read")
				return
			}
			if int64(len(b)) > max {
				tooLarge(w, r, "larger than that")
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
			r.ContentLength = int64(len(b))
		}
		next.ServeHTTP(w, r)
	})
}

// deadline bounds each request's work; the Neo4j transaction timeout is shorter still.
func deadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap gives http.ResponseController the connection's own writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// instrument counts requests by route and status class and logs slow or failed ones.
func instrument(route string, m *metrics, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		if m != nil {
			m.http.WithLabelValues(route, strconv.Itoa(sw.status/100)+"xx").Inc()
		}
		d := time.Since(start)
		if sw.status >= 500 || d > 2*time.Second {
			log.WarnContext(r.Context(), "request", "route", route, "method", r.Method, "status", sw.status, "took", d.String())
		} else {
			log.DebugContext(r.Context(), "request", "route", route, "method", r.Method, "status", sw.status, "took", d.String())
		}
	})
}

// cors allows the configured origins ("*" for any); none by default.
func cors(origins string, next http.Handler) http.Handler {
	allowed := map[string]bool{}
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			allowed[o] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && (allowed["*"] || allowed[origin]) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Vary", "Origin")
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization, Idempotency-Key, "+graph.BookmarkHeader)
			w.Header().Set("Access-Control-Expose-Headers", graph.BookmarkHeader)
			w.Header().Set("Access-Control-Max-Age", "600")
		}
		if r.Method == http.MethodOptions && origin != "" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ingestBodyBytes bounds the body of an authenticated GraphQL request: room
// for a document of INGEST_MAX_BYTES, which JSON may escape to twice its
// size, and the rest of the request; never less than MAX_BODY_BYTES.
func ingestBodyBytes(cfg config) int64 {
	return max(cfg.MaxBodyBytes, 2*cfg.IngestMaxBytes+64<<10)
}

func newMux(cfg config, log *slog.Logger, st *store.Store, m *metrics) (http.Handler, error) {
	// loadConfig has parsed the tokens; a config built otherwise reads them here.
	if cfg.Tokens == nil {
		tokens, err := graph.LoadTokens(cfg.AuthTokens, cfg.AuthTokenFile)
		if err != nil {
			return nil, err
		}
		cfg.Tokens = tokens
	}
	docs, err := sourceDocs(cfg, log)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	gql := newGraphQLHandler(cfg, log, st, m, docs)
	linger := lingering{Time: cfg.LingerTime, Bytes: cfg.LingerBytes}
	anonymous := limitBody(cfg.MaxBodyBytes, linger, deadline(cfg.RequestTimeout, gql))
	// A request with credentials (every valid token is a curator's or an
	// admin's) may send a document of INGEST_MAX_BYTES (see ingestBodyBytes)
	// and has INGEST_TIMEOUT as its deadline: analysing and storing such a
	// document takes longer than REQUEST_TIMEOUT allows (each query is still
	// bounded by NEO4J_TX_TIMEOUT). The GraphQL handler authenticates before
	// it reads the body, so a bad token is refused with nothing read.
	// Anonymous requests keep MAX_BODY_BYTES and REQUEST_TIMEOUT.
	authed := limitBody(ingestBodyBytes(cfg), linger, deadline(cfg.IngestTimeout, gql))
	byCredentials := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			authed.ServeHTTP(w, r)
			return
		}
		anonymous.ServeHTTP(w, r)
	})
	mux.Handle("/graphql", instrument("graphql", m, log, cors(cfg.CORSOrigins, byCredentials)))
	mux.Handle("/export/", instrument("export", m, log, cors(cfg.CORSOrigins, deadline(cfg.RequestTimeout, export.Handler(st, log)))))
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain")
		if err := st.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "neo4j unavailable")
			return
		}
		fmt.Fprintln(w, "ok")
	})
	if m != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	}
	if cfg.Playground {
		mux.Handle("/", instrument("web", m, log, web.Handler()))
	}
	return mux, nil
}

func serveWith(ctx context.Context, cfg config, log *slog.Logger, st *store.Store, m *metrics) error {
	handler, err := newMux(cfg, log, st, m)
	if err != nil {
		return err
	}
	// The result cache trusts only a graph version read within this interval.
	go st.WatchVersion(ctx, cfg.VersionPoll)
	if cfg.PprofAddr != "" {
		go servePprof(ctx, cfg.PprofAddr, log)
	}
	tcp, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(cfg.Port)))
	if err != nil {
		return fmt.Errorf("listen on port %d: %w (set PORT to use another)", cfg.Port, err)
	}
	// The port bound, which PORT=0 leaves to the system.
	log.Info("serving GraphQL", "url", fmt.Sprintf("http://localhost:%d/graphql", tcp.Addr().(*net.TCPAddr).Port), "playground", cfg.Playground)
	return serve(ctx, cfg, log, handler, tcp)
}

// newServer is the HTTP server that serves h: its timeouts, header limit and
// error log. Requests' contexts outlive ctx's cancellation (the drain lets
// them finish) but keep its values.
func newServer(ctx context.Context, cfg config, log *slog.Logger, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// serve serves h on tcp (newServer) until ctx ends, then drains it within
// cfg.ShutdownTimeout (drain.go). It closes tcp.
func serve(ctx context.Context, cfg config, log *slog.Logger, h http.Handler, tcp net.Listener) error {
	srv := newServer(ctx, cfg, log, h)
	conns := &connCounter{}
	srv.ConnState = conns.track
	ln, err := newDrainListener(tcp)
	if err != nil {
		tcp.Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	// Not srv.Shutdown alone: it would drop requests already sent (drain.go).
	if err := drainServer(sctx, srv, ln, errc, conns); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// servePprof serves the Go profiler on addr (a loopback address: profiles
// reveal internals) until ctx ends.
func servePprof(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Info("serving pprof", "addr", addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("pprof server", "err", err)
	}
}

// metrics are innograph's Prometheus collectors. Label values are bounded:
// GraphQL root fields come from the schema, query names from the store code.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	queries   *prometheus.HistogramVec
	queryErrs *prometheus.CounterVec
	http      *prometheus.CounterVec
	fields    map[string]bool
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_graphql_requests_total", Help: "GraphQL operations by operation type, root field and outcome.",
		}, []string{"operation", "field", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "innograph_graphql_duration_seconds", Help: "GraphQL operation latency by operation type and root field.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"operation", "field"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "innograph_neo4j_query_duration_seconds", Help: "Neo4j query latency by query name.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"query"}),
		queryErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_neo4j_query_errors_total", Help: "Failed Neo4j queries by query name.",
		}, []string{"query"}),
		http: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_http_requests_total", Help: "HTTP requests by route and status class.",
		}, []string{"route", "status"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.queries, m.queryErrs, m.http,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// watchCache exports the result cache's hits, misses and size.
func (m *metrics) watchCache(c *graph.ResultCache) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "innograph_result_cache_hits_total", Help: "Queries answered from the result cache."},
			func() float64 { h, _ := c.Stats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "innograph_result_cache_misses_total", Help: "Cacheable queries that were computed."},
			func() float64 { _, mi := c.Stats(); return float64(mi) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "innograph_result_cache_bytes", Help: "Memory held by the result cache's answers and their bookkeeping (bounded by CACHE_MAX_BYTES)."},
			func() float64 { return float64(c.Bytes()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "innograph_result_cache_entries", Help: "Answers in the result cache."},
			func() float64 { return float64(c.Len()) }))
}

func (m *metrics) observeQuery(name string, d time.Duration, err error) {
	m.queries.WithLabelValues(name).Observe(d.Seconds())
	if err != nil {
		m.queryErrs.WithLabelValues(name).Inc()
	}
}

// graphqlTracer is a gqlgen extension recording each root field of each
// operation. Unknown names (which validation rejects anyway) become "other".
type graphqlTracer struct{ m *metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = graphqlTracer{}

func (graphqlTracer) ExtensionName() string                   { return "Metrics" }
func (graphqlTracer) Validate(graphql.ExecutableSchema) error { return nil }
func (t graphqlTracer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	if !graphql.HasOperationContext(ctx) {
		return resp
	}
	oc := graphql.GetOperationContext(ctx)
	op, fields := "invalid", []string{"none"}
	if oc.Operation != nil {
		op = string(oc.Operation.Operation)
		fields = fields[:0]
		for _, sel := range oc.Operation.SelectionSet {
			if f, ok := sel.(*ast.Field); ok {
				name := f.Name
				if f.Definition == nil {
					name = "other"
				}
				fields = append(fields, name)
			}
		}
		if len(fields) == 0 {
			fields = append(fields, "fragment")
		}
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
	}
	d := time.Since(start).Seconds()
	for _, f := range fields {
		t.m.requests.WithLabelValues(op, f, outcome).Inc()
		t.m.latency.WithLabelValues(op, f).Observe(d)
	}
	return resp
}
