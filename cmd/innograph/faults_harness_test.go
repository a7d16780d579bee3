package main

// The harness of the faults and load suite (faults_test.go, faults_load_test.go):
// its own local Neo4j instance, in-process servers wired exactly as `serve`
// wires them, a small GraphQL client, a counting log handler and direct Cypher
// for verification.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/neo4jlocal"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
)

const (
	// The suite kills and restarts Neo4j, so it always runs its own instance,
	// never the shared test instance named by NEO4J_URI.
	faultsInstance = "faults"

	curatorToken = "faults-curator-secret"
	adminToken   = "faults-admin-secret"

	// The source and quote every test change cites (from the seed).
	changeSource = "s001-innovation-hub"
	changeQuote  = "Roborn, a robot company in Hong Kong"

	// answerBound is how long a request may take to fail with UNAVAILABLE
	// once Neo4j is gone. (Everything else is bounded by the request
	// deadline: an answer after it would be a TIMEOUT error.)
	answerBound = 8 * time.Second
)

// faultsBoltPort is the Bolt port of the suite's own Neo4j: FAULTS_BOLT_PORT,
// or 7690, so that two checkouts can run their suites side by side.
var faultsBoltPort = func() int {
	if p, err := strconv.Atoi(os.Getenv("FAULTS_BOLT_PORT")); err == nil && p > 0 && p < 65536 {
		return p
	}
	return 7690
}()

var faults struct {
	once sync.Once
	srv  *neo4jlocal.Server
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if faults.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		if err := faults.srv.Stop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the faults Neo4j:", err)
			code = 1
		}
		cancel()
	}
	os.Exit(code)
}

// faultsNeo4j starts (once per test binary) the suite's own Neo4j instance,
// applies the schema, loads the seed and removes leftovers of earlier runs.
// Later calls make sure it is up again, since tests kill it.
func faultsNeo4j(t *testing.T) *neo4jlocal.Server {
	t.Helper()
	faults.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		root, err := neo4jlocal.FindRoot(".")
		if err != nil {
			faults.err = err
			return
		}
		faults.srv = neo4jlocal.New(neo4jlocal.Config{Root: root, Instance: faultsInstance, Port: faultsBoltPort,
			Log: func(format string, args ...any) { fmt.Fprintf(os.Stderr, "neo4jlocal(faults): "+format+"\n", args...) }})
		begin := time.Now()
		if err := faults.srv.Start(ctx); err != nil {
			faults.err = err
			return
		}
		// Start reuses a Neo4j already answering on the port (docker
		// compose's); this suite must kill its own, so a foreign one there
		// is an error, not something to test against.
		if faults.srv.Status(ctx).PID == 0 {
			faults.err = fmt.Errorf("Bolt port %d is served by a Neo4j that is not the suite's own instance %q; stop it (or free the port) and rerun",
				faultsBoltPort, faultsInstance)
			return
		}
		started := time.Since(begin)
		st, err := store.Open(ctx, store.Config{URI: faults.srv.URI(), TxTimeout: time.Minute})
		if err != nil {
			faults.err = err
			return
		}
		defer st.Close(ctx)
		if err := st.Migrate(ctx); err != nil {
			faults.err = fmt.Errorf("migrating: %w", err)
			return
		}
		g, err := neo4jtest.SeedGraph()
		if err != nil {
			faults.err = err
			return
		}
		if err := st.Import(ctx, g); err != nil {
			faults.err = fmt.Errorf("loading the seed: %w", err)
			return
		}
		faults.err = deleteTestData(ctx, faults.srv.URI())
		t.Logf("faults Neo4j (instance %q, Bolt port %d) up in %s, schema and seed in %s more",
			faultsInstance, faultsBoltPort, started.Round(time.Millisecond), (time.Since(begin) - started).Round(time.Millisecond))
	})
	if faults.err != nil {
		t.Fatalf("FATAL: the faults suite needs its own Neo4j (instance %q, Bolt port %d): %v", faultsInstance, faultsBoltPort, faults.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := faults.srv.Start(ctx); err != nil {
		t.Fatalf("FATAL: restarting the faults Neo4j: %v", err)
	}
	return faults.srv
}

// deleteTestData removes what the suite writes: zz-fault-* and zz-load-*
// entities, their audit entries and idempotency keys. It runs only against the
// suite's own instance.
func deleteTestData(ctx context.Context, uri string) error {
	for _, q := range []string{
		"MATCH (n:Entity) WHERE n.id STARTS WITH 'zz-fault-' OR n.id STARTS WITH 'zz-load-' DETACH DELETE n",
		"MATCH (c:Change) WHERE any(e IN c.entityIds WHERE e STARTS WITH 'zz-fault-' OR e STARTS WITH 'zz-load-') DELETE c",
		"MATCH (k:IdempotencyKey) WHERE k.key STARTS WITH 'zz-fault-' OR k.key STARTS WITH 'zz-load-' DELETE k",
	} {
		if _, err := cypherAt(ctx, uri, q, nil); err != nil {
			return fmt.Errorf("deleting test data: %w", err)
		}
	}
	return nil
}

// cypherAt runs one statement on the faults instance with a driver of its own,
// bypassing the Store: verification must not trust the code under test.
func cypherAt(ctx context.Context, uri, q string, params map[string]any) ([]map[string]any, error) {
	d, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return nil, err
	}
	defer d.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, d, q, params, neo4j.EagerResultTransformer)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(res.Records))
	for _, r := range res.Records {
		out = append(out, r.AsMap())
	}
	return out, nil
}

// cypher is cypherAt for a test: it fails the test on error.
func cypher(t *testing.T, q string, params map[string]any) []map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := cypherAt(ctx, faults.srv.URI(), q, params)
	if err != nil {
		t.Fatalf("cypher %q: %v", q, err)
	}
	return rows
}

// runID makes ids and idempotency keys unique per run: the audit log of the
// instance outlives a run that failed before cleaning up.
func runID() string { return strconv.FormatInt(time.Now().UnixNano()%1e10, 36) }

// testConfig is the configuration `serve` would load, pointed at the faults
// instance, with two tokens (a curator and an admin) and the documented
// timeouts set explicitly so the bounds below do not depend on the caller's
// environment.
func testConfig(t *testing.T, port int) config {
	t.Helper()
	return testConfigAt(t, faults.srv.URI(), port)
}

// testConfigAt is testConfig pointed at the Neo4j at uri, without auth.
func testConfigAt(t *testing.T, uri string, port int) config {
	t.Helper()
	for k, v := range map[string]string{
		"PORT": strconv.Itoa(port), "NEO4J_URI": uri, "NEO4J_DATABASE": "",
		"REQUEST_TIMEOUT": "10s", "NEO4J_TX_TIMEOUT": "8s", "SHUTDOWN_TIMEOUT": "20s",
		"MAX_BODY_BYTES": "", "COMPLEXITY_LIMIT": "", "DEPTH_LIMIT": "", "INTROSPECTION": "", "PLAYGROUND": "",
		"CORS_ORIGINS": "", "LOADER_WAIT": "", "LOG_LEVEL": "info", "ANONYMOUS_READS": "true", "AUTH_TOKEN_FILE": "",
		"CACHE_MAX_BYTES": "", "GRAPH_VERSION_POLL": "", "PPROF_ADDR": "",
		"AUTH_TOKENS": "cy:curator:" + graph.HashToken(curatorToken) + ",ann:admin:" + graph.HashToken(adminToken),
	} {
		t.Setenv(k, v)
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Neo4jUser, cfg.Neo4jPassword = "", "" // the local instance runs without auth
	return cfg
}

// logCounter is a slog.Handler that counts records by level and message and
// keeps the first few warnings and errors for the failure report. Its memory
// is bounded: messages are constants of the code under test.
type logCounter struct {
	mu     sync.Mutex
	counts map[string]int
	first  []string       // the first warnings and errors, up to three per message
	per    map[string]int // how many of first have each message
}

func newLogCounter() *logCounter { return &logCounter{counts: map[string]int{}, per: map[string]int{}} }

// Enabled implements slog.Handler.
func (l *logCounter) Enabled(context.Context, slog.Level) bool { return true }

// Handle implements slog.Handler.
func (l *logCounter) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.counts) < 1000 {
		l.counts[r.Level.String()+" "+r.Message]++
	}
	// Keep the first three records of each warning or error message, so
	// that a rare error is not crowded out by a frequent one.
	key := r.Level.String() + " " + r.Message
	if r.Level < slog.LevelWarn || l.per[key] >= 3 || len(l.first) >= 60 {
		return nil
	}
	l.per[key]++
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	l.first = append(l.first, b.String())
	return nil
}

// WithAttrs implements slog.Handler.
func (l *logCounter) WithAttrs([]slog.Attr) slog.Handler { return l }

// WithGroup implements slog.Handler.
func (l *logCounter) WithGroup(string) slog.Handler { return l }

// count returns how many records had this level and message.
func (l *logCounter) count(level slog.Level, msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[level.String()+" "+msg]
}

// summary lists the counts, most frequent first.
func (l *logCounter) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]string, 0, len(l.counts))
	for k := range l.counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return l.counts[keys[i]] > l.counts[keys[j]] })
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%d× %s; ", l.counts[k], k)
	}
	return b.String()
}

// assertNoInternalErrors fails when the server logged an INTERNAL error: a
// driver failure it did not classify, an unexpected resolver error, a panic.
func (l *logCounter) assertNoInternalErrors(t *testing.T) {
	t.Helper()
	for _, msg := range []string{"internal error", "unexpected resolver error", "resolver panic", "neo4j query failed"} {
		if n := l.count(slog.LevelError, msg); n > 0 {
			l.mu.Lock()
			first := strings.Join(l.first, "\n  ")
			l.mu.Unlock()
			t.Errorf("the server logged %d× %q; first warnings and errors:\n  %s", n, msg, first)
		}
	}
}

// app is an in-process innograph: the handler of `serve` over a Store of its
// own, on a loopback httptest server.
type app struct {
	cfg  config
	st   *store.Store
	m    *metrics
	logs *logCounter
	http *httptest.Server
	url  string
}

// newApp opens a Store on the faults instance the way `serve` does
// (openStore), watches the graph version as serveWith does, and serves newMux
// on a loopback port. Options adjust the configuration first.
func newApp(t *testing.T, options ...func(*config)) *app {
	t.Helper()
	faultsNeo4j(t)
	return newAppAt(t, faults.srv.URI(), options...)
}

// newAppAt is newApp over the Neo4j at uri.
func newAppAt(t *testing.T, uri string, options ...func(*config)) *app {
	t.Helper()
	cfg := testConfigAt(t, uri, 0)
	for _, o := range options {
		o(&cfg)
	}
	logs := newLogCounter()
	log := slog.New(logs)
	m := newMetrics()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := openStore(ctx, cfg, log, m)
	if err != nil {
		t.Fatal(err)
	}
	h, err := newMux(cfg, log, st, m)
	if err != nil {
		t.Fatal(err)
	}
	// As serveWith does: the result cache trusts only a graph version read
	// within the poll interval.
	watchCtx, stopWatch := context.WithCancel(context.Background())
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		st.WatchVersion(watchCtx, cfg.VersionPoll)
	}()
	srv := httptest.NewServer(h)
	a := &app{cfg: cfg, st: st, m: m, logs: logs, http: srv, url: srv.URL}
	t.Cleanup(func() {
		srv.Close()
		stopWatch()
		<-watching
		st.Close(context.Background())
		if t.Failed() {
			logs.mu.Lock()
			t.Logf("the server's first warnings and errors:\n  %s", strings.Join(logs.first, "\n  "))
			logs.mu.Unlock()
		}
	})
	return a
}

// counter returns the value of a counter the server exports on /metrics
// (summed over its labels).
func (a *app) counter(t *testing.T, name string) float64 {
	t.Helper()
	mfs, err := a.m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// newClient returns an HTTP client for conns concurrent keep-alive
// connections. Its timeout is far above answerBound: a hang shows up as a
// latency over the bound, not as a client-side error.
func newClient(conns int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost = conns, conns, conns
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// result is one answered (or failed) HTTP request.
type result struct {
	status int
	data   json.RawMessage
	errors []gqlError
	took   time.Duration
	// extensions is the answer's extensions member, header its HTTP header.
	extensions map[string]any
	header     http.Header
	// err is a transport error or a body that is not a complete JSON document.
	err error
}

// code is the first error's extensions.code ("" when there is none).
func (r result) code() string {
	if len(r.errors) == 0 {
		return ""
	}
	c, _ := r.errors[0].Extensions["code"].(string)
	return c
}

// ok reports a complete 200 answer without errors.
func (r result) ok() bool {
	return r.err == nil && r.status == http.StatusOK && len(r.errors) == 0 && len(r.data) > 0 && string(r.data) != "null"
}

func (r result) String() string {
	if r.err != nil {
		return fmt.Sprintf("error after %s: %v", r.took.Round(time.Millisecond), r.err)
	}
	return fmt.Sprintf("status %d after %s, errors %+v, data %.200s", r.status, r.took.Round(time.Millisecond), r.errors, r.data)
}

// request is one GraphQL request.
type request struct {
	query string
	vars  map[string]any
	token string
	// get sends the query as GET /graphql?query=… (reads only).
	get bool
	// idempotencyKey, when set, is sent as the Idempotency-Key header, which
	// also lets the HTTP client replay the POST on a stale keep-alive
	// connection, as it does for GETs.
	idempotencyKey string
	// bookmark, when set, is sent as the Innograph-Bookmark header.
	bookmark string
}

// do sends req to base/graphql and decodes the answer.
func do(ctx context.Context, c *http.Client, base string, req request) result {
	var hr *http.Request
	var err error
	if req.get {
		v := url.Values{"query": {req.query}}
		if req.vars != nil {
			b, _ := json.Marshal(req.vars)
			v.Set("variables", string(b))
		}
		hr, err = http.NewRequestWithContext(ctx, http.MethodGet, base+"/graphql?"+v.Encode(), nil)
	} else {
		b, _ := json.Marshal(map[string]any{"query": req.query, "variables": req.vars})
		hr, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(b))
		if err == nil {
			hr.Header.Set("Content-Type", "application/json")
		}
	}
	if err != nil {
		return result{err: err}
	}
	if req.token != "" {
		hr.Header.Set("Authorization", "Bearer "+req.token)
	}
	if req.idempotencyKey != "" {
		hr.Header.Set("Idempotency-Key", req.idempotencyKey)
	}
	if req.bookmark != "" {
		hr.Header.Set(graph.BookmarkHeader, req.bookmark)
	}
	return send(c, hr)
}

// send performs hr and decodes a GraphQL answer from the body.
func send(c *http.Client, hr *http.Request) result {
	start := time.Now()
	resp, err := c.Do(hr)
	if err != nil {
		return result{err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	r := result{status: resp.StatusCode, took: time.Since(start), header: resp.Header}
	if err != nil {
		r.err = fmt.Errorf("reading the body (status %d): %w", resp.StatusCode, err)
		return r
	}
	var out struct {
		Data       json.RawMessage `json:"data"`
		Errors     []gqlError      `json:"errors"`
		Extensions map[string]any  `json:"extensions"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		r.err = fmt.Errorf("status %d, body is not complete JSON (%v): %.200s", resp.StatusCode, err, body)
		return r
	}
	r.data, r.errors, r.extensions = out.Data, out.Errors, out.Extensions
	return r
}

// getStatus performs GET base+path and returns the status and latency.
func getStatus(ctx context.Context, c *http.Client, base, path string) (int, time.Duration, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	resp, err := c.Do(hr)
	if err != nil {
		return 0, time.Since(start), err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 8<<20))
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
}

// unavailableMessage is the only text a client sees when Neo4j is down.
const unavailableMessage = "the graph database is unavailable; try again shortly"

// driverWords must never reach a client: they would leak driver internals.
var driverWords = []string{"neo4j", "bolt", "dial", "tcp", "127.0.0.1", "connectivity", "transactionexecutionlimit", "pool", "eof", "connection"}

// checkFailure returns why r is not a clean failure with one of codes (all
// its errors carry such a code and a message free of driver details), or "".
func checkFailure(r result, codes ...string) string {
	if r.err != nil {
		return r.String()
	}
	if len(r.errors) == 0 {
		return ""
	}
	for _, e := range r.errors {
		c, _ := e.Extensions["code"].(string)
		if !slices.Contains(codes, c) {
			return fmt.Sprintf("code %q, want %v: %s", c, codes, r)
		}
		if c == "UNAVAILABLE" && e.Message != unavailableMessage {
			return fmt.Sprintf("message %q is not the fixed text: %s", e.Message, r)
		}
		for _, w := range driverWords {
			if strings.Contains(strings.ToLower(e.Message), w) {
				return fmt.Sprintf("message %q shows driver details (%q): %s", e.Message, w, r)
			}
		}
	}
	return ""
}

// latencies keeps the count, maximum and a fixed-size histogram of request
// durations (10 ms buckets up to 20 s), so percentiles need no per-request
// memory.
type latencies struct {
	n, max  atomic.Int64
	buckets [2000]atomic.Int64
}

func (l *latencies) add(d time.Duration) {
	l.n.Add(1)
	for {
		m := l.max.Load()
		if int64(d) <= m || l.max.CompareAndSwap(m, int64(d)) {
			break
		}
	}
	i := int(d / (10 * time.Millisecond))
	if i >= len(l.buckets) {
		i = len(l.buckets) - 1
	}
	l.buckets[i].Add(1)
}

// quantile returns the upper edge of the bucket holding quantile q.
func (l *latencies) quantile(q float64) time.Duration {
	n := l.n.Load()
	if n == 0 {
		return 0
	}
	want := int64(float64(n)*q + 0.5)
	var seen int64
	for i := range l.buckets {
		seen += l.buckets[i].Load()
		if seen >= want {
			return time.Duration(i+1) * 10 * time.Millisecond
		}
	}
	return time.Duration(l.max.Load())
}

func (l *latencies) String() string {
	return fmt.Sprintf("n=%d p50≤%s p99≤%s max=%s", l.n.Load(), l.quantile(0.5), l.quantile(0.99),
		time.Duration(l.max.Load()).Round(time.Millisecond))
}

// firstErrors keeps the first few failure descriptions of a concurrent run.
type firstErrors struct {
	mu   sync.Mutex
	n    int
	list []string
}

func (f *firstErrors) add(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if len(f.list) < 10 {
		f.list = append(f.list, fmt.Sprintf(format, args...))
	}
}

func (f *firstErrors) report(t *testing.T, what string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n > 0 {
		t.Errorf("%d %s; the first:\n  %s", f.n, what, strings.Join(f.list, "\n  "))
	}
}

// slowest keeps the descriptions of the five slowest requests.
type slowest struct {
	mu    sync.Mutex
	items []slowItem
}

type slowItem struct {
	took time.Duration
	what string
}

func (s *slowest) add(took time.Duration, what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.items) == 5 && took <= s.items[4].took {
		return
	}
	s.items = append(s.items, slowItem{took, what})
	sort.Slice(s.items, func(i, j int) bool { return s.items[i].took > s.items[j].took })
	if len(s.items) > 5 {
		s.items = s.items[:5]
	}
}

func (s *slowest) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.items))
	for i, it := range s.items {
		out[i] = it.what
	}
	return out
}

// waitFor polls cond every 100 ms until it holds or the bound passes, and
// returns how long it took.
func waitFor(t *testing.T, bound time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > bound {
			t.Fatalf("%s: not within %s", what, bound)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

// isRefused reports a connection the server's port refused.
func isRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// failedToConnect reports an error while connecting (refused, or reset in the
// handshake): the request was never sent.
func failedToConnect(err error) bool {
	var op *net.OpError
	return isRefused(err) || errors.As(err, &op) && op.Op == "dial"
}

// auditEntries counts the audit entries (Change nodes) about entities whose
// ids start with prefix, by idempotency key ("" for entries without one).
func auditEntries(t *testing.T, prefix string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, r := range cypher(t, `MATCH (c:Change) WHERE any(e IN c.entityIds WHERE e STARTS WITH $p)
RETURN coalesce(c.idempotencyKey, '') AS k, count(*) AS n`, map[string]any{"p": prefix}) {
		out[r["k"].(string)] = r["n"].(int64)
	}
	return out
}
