package main

// Load: a sustained mixed read/write load, and a graceful shutdown under load.
// See README "Faults and load".

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadDuration is FAULTS_LOAD_DURATION (default 20s; `make soak` sets minutes).
func loadDuration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv("FAULTS_LOAD_DURATION")
	if v == "" {
		return 20 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 5*time.Second {
		t.Fatalf("FAULTS_LOAD_DURATION=%q: want a duration of at least 5s", v)
	}
	return d
}

// badInput is a request that must be refused with a given status and code.
type badInput struct {
	name   string
	req    request
	status int
	// code is the expected extensions.code of the first error; "" for none.
	code string
	// raw, when set, is posted as the body verbatim with this content type.
	raw, contentType string
}

func badInputs(prefix string) []badInput {
	ch := `change: {source: "` + changeSource + `", quote: "` + changeQuote + `"}`
	deep := `{ entity(id: "polyu") { ` + strings.Repeat("neighbours(first: 1) { entity { ", 7) + "id" + strings.Repeat(" } }", 7) + " } }"
	return []badInput{
		{name: "syntax error", req: request{query: `{ entity(id: "polyu" { id } }`}, status: 422, code: "GRAPHQL_PARSE_FAILED"},
		{name: "unknown field", req: request{query: `{ entity(id: "polyu") { nope } }`}, status: 422, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "unknown enum value", req: request{query: `{ entities(kinds: [SPACESHIP]) { nodes { id } } }`}, status: 422, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "variable of the wrong type", req: request{query: `query($n: Int) { search(query: "x", first: $n) { score } }`, vars: map[string]any{"n": "ten"}}, status: 422, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "malformed id", req: request{query: `{ entity(id: "Not An Id!") { id } }`}, status: 200, code: "BAD_USER_INPUT"},
		{name: "page too large", req: request{query: `{ search(query: "polyu", first: 1000) { score } }`}, status: 200, code: "BAD_USER_INPUT"},
		{name: "too many hops", req: request{query: `{ paths(from: "polyu", to: "hkust", maxHops: 50) { length } }`}, status: 200, code: "BAD_USER_INPUT"},
		{name: "subgraph too deep", req: request{query: `{ subgraph(ids: ["polyu"], depth: 9) { truncated } }`}, status: 200, code: "BAD_USER_INPUT"},
		{name: "forged cursor", req: request{query: `{ entities(first: 5, after: "garbage") { nodes { id } } }`}, status: 200, code: "BAD_USER_INPUT"},
		{name: "impossible date", req: request{query: `{ entity(id: "polyu") { relationships(asOf: "2020-13-45") { nodes { id } } } }`}, status: 200, code: "BAD_USER_INPUT"},
		{name: "query nested too deep", req: request{query: deep}, status: 200, code: "LIMIT_EXCEEDED"},
		{name: "query too costly", req: request{query: `{ entities(first: 100) { nodes { neighbours(first: 100) { entity { neighbours(first: 100) { entity { id } } } } } } }`}, status: 200, code: "LIMIT_EXCEEDED"},
		{name: "body too large", req: request{query: `{ entity(id: "` + strings.Repeat("x", 70000) + `") { id } }`}, status: 413, code: "LIMIT_EXCEEDED"},
		{name: "wrong token", req: request{query: `{ entity(id: "polyu") { id } }`, token: "not-a-token"}, status: 401, code: "UNAUTHENTICATED"},
		{name: "anonymous mutation", req: request{query: `mutation { createEntity(input: {id: "` + prefix + `bad", kind: COMPANY, name: "ZZ Bad"}, ` + ch + `) { id } }`}, status: 200, code: "UNAUTHENTICATED"},
		{name: "curator deletes", req: request{query: `mutation { deleteEntity(id: "roborn", expectedVersion: 1, ` + ch + `) }`, token: curatorToken}, status: 200, code: "FORBIDDEN"},
		{name: "unknown source", req: request{query: `mutation { createEntity(input: {id: "` + prefix + `bad", kind: COMPANY, name: "ZZ Bad"}, change: {source: "no-such-source", quote: "x"}) { id } }`, token: curatorToken}, status: 200, code: "NOT_FOUND"},
		{name: "empty quote", req: request{query: `mutation { createEntity(input: {id: "` + prefix + `bad", kind: COMPANY, name: "ZZ Bad"}, change: {source: "` + changeSource + `", quote: " "}) { id } }`, token: curatorToken}, status: 200, code: "BAD_USER_INPUT"},
		{name: "stale version", req: request{query: `mutation { updateEntity(input: {id: "roborn", expectedVersion: 999, description: "x"}, ` + ch + `) { id } }`, token: curatorToken}, status: 200, code: "CONFLICT"},
		{name: "name of another entity", req: request{query: `mutation { createEntity(input: {id: "` + prefix + `bad", kind: COMPANY, name: "PolyU"}, ` + ch + `) { id } }`, token: curatorToken}, status: 200, code: "CONFLICT"},
		{name: "relationship to nowhere", req: request{query: `mutation { createRelationship(input: {from: "roborn", type: FUNDS, to: "` + prefix + `nowhere"}, ` + ch + `) { id } }`, token: curatorToken}, status: 200, code: "NOT_FOUND"},
		{name: "mutation over GET", req: request{query: `mutation { deleteEntity(id: "roborn", expectedVersion: 1, ` + ch + `) }`, get: true}, status: 405, code: "BAD_REQUEST"},
		{name: "truncated JSON", raw: `{"query": "{ entity(id: \"polyu\") { id } }"`, contentType: "application/json", status: 400, code: "BAD_REQUEST"},
		{name: "body of null", raw: `null`, contentType: "application/json", status: 400, code: "BAD_REQUEST"},
		{name: "query of the wrong type", raw: `{"query": 5}`, contentType: "application/json", status: 400, code: "BAD_REQUEST"},
		{name: "form post", raw: `query=%7B+entity%28id%3A+%22polyu%22%29+%7B+id+%7D+%7D`, contentType: "application/x-www-form-urlencoded", status: 415, code: "BAD_REQUEST"},
		// Not refused: Lucene syntax in a search is plain text.
		{name: "Lucene syntax as search text", req: request{query: `{ search(query: "\"*?~^[]{}():!&|/\\\\ AND OR NOT", first: 5) { score } }`}, status: 200, code: ""},
	}
}

// try sends the bad input and returns why the answer is wrong, or "".
func (b badInput) try(ctx context.Context, c *http.Client, base string) string {
	var r result
	if b.raw != "" {
		hr, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", strings.NewReader(b.raw))
		if err != nil {
			return err.Error()
		}
		hr.Header.Set("Content-Type", b.contentType)
		r = send(c, hr)
	} else {
		r = do(ctx, c, base, b.req)
	}
	switch {
	case r.err != nil:
		return fmt.Sprintf("%s: %s", b.name, r)
	case r.status != b.status:
		return fmt.Sprintf("%s: status %d, want %d: %s", b.name, r.status, b.status, r)
	case b.code == "" && len(r.errors) > 0:
		return fmt.Sprintf("%s: want no error: %s", b.name, r)
	case b.code != "" && len(r.errors) == 0:
		return fmt.Sprintf("%s: want an error: %s", b.name, r)
	case b.code != "" && r.code() != b.code:
		return fmt.Sprintf("%s: code %q, want %q: %s", b.name, r.code(), b.code, r)
	}
	for _, e := range r.errors {
		if c, _ := e.Extensions["code"].(string); c == "INTERNAL" || c == "UNAVAILABLE" {
			return fmt.Sprintf("%s: %s", b.name, r)
		}
	}
	return ""
}

// loadPlan derives the ids and keys of TestMixedLoad from the run prefix, so
// that the ledger is a few integers per worker: worker w's entity i is
// <prefix>w<w>-e<i>; it is related to a seed entity when i is even; its
// version counts its acknowledged updates, each with its own key.
type loadPlan struct{ prefix string }

func (p loadPlan) id(w, i int) string { return fmt.Sprintf("%sw%d-e%d", p.prefix, w, i) }
func (p loadPlan) createKey(w, i int) string {
	return p.id(w, i) + "-c"
}
func (p loadPlan) relKey(w, i int) string         { return p.id(w, i) + "-r" }
func (p loadPlan) updateKey(w, i, v int) string   { return fmt.Sprintf("%s-u%d", p.id(w, i), v) }
func (p loadPlan) relTarget(i int) string         { return crashTargets[i%len(crashTargets)] }
func (p loadPlan) sharedID(j int) string          { return fmt.Sprintf("%sshared-%d", p.prefix, j) }
func (p loadPlan) sharedKey(j, w, m int) string   { return fmt.Sprintf("%s-w%d-%d", p.sharedID(j), w, m) }
func (p loadPlan) description(version int) string { return fmt.Sprintf("version %d", version) }

// loadWorker is one client of TestMixedLoad and its ledger of acknowledged
// writes.
type loadWorker struct {
	w        int
	rng      *rand.Rand
	versions []int32             // versions[i]: the version of entity i as acknowledged
	shared   [sharedEntities]int // acknowledged updates of each shared entity

	reads, writes, conflicts, bad, exports, auditReads int
}

// sharedEntities is how many entities every worker updates concurrently,
// expecting CONFLICT now and then.
const sharedEntities = 4

// TestMixedLoad runs a fixed number of workers for FAULTS_LOAD_DURATION, each
// mixing reads of every kind, writes (creates, relationships, updates of its
// own entities and contended updates of shared ones) and bad inputs. It
// asserts zero unexpected errors, every acknowledged write present afterwards
// and in the audit log exactly once, a flat heap and no leaked goroutines.
func TestMixedLoad(t *testing.T) {
	faultsNeo4j(t)
	dur := loadDuration(t)
	const workers = 16
	a := newApp(t)
	c := newClient(workers + 4)
	ctx := context.Background()
	warmUp(t, c, a.url)
	plan := loadPlan{prefix: "zz-load-" + runID() + "-"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = deleteTestData(ctx, faults.srv.URI())
	})
	for j := range sharedEntities {
		r := do(ctx, c, a.url, request{token: curatorToken,
			query: `mutation($in: CreateEntityInput!, $ch: ChangeInput!) { createEntity(input: $in, change: $ch) { id } }`,
			vars: map[string]any{"in": map[string]any{"id": plan.sharedID(j), "kind": "COMPANY", "name": "ZZ Load Shared " + plan.sharedID(j)},
				"ch": map[string]any{"source": changeSource, "quote": changeQuote, "idempotencyKey": plan.sharedID(j) + "-c"}}})
		if !r.ok() {
			t.Fatalf("creating %s: %s", plan.sharedID(j), r)
		}
	}
	bads := badInputs(plan.prefix)

	// Baselines, then the heap sampler: after a GC, every interval.
	runtime.GC()
	goroutines0 := runtime.NumGoroutine()
	type sample struct {
		at        time.Duration
		heap      uint64
		goroutine int
	}
	var samples []sample // at most ~25: one per interval
	interval := max(dur/20, 500*time.Millisecond)
	samplerDone := make(chan struct{})
	stopSampler := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(samplerDone)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-stopSampler:
				return
			case <-tick.C:
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			samples = append(samples, sample{time.Since(start), ms.HeapAlloc, runtime.NumGoroutine()})
		}
	}()

	var (
		bad      firstErrors
		lat      latencies
		wg       sync.WaitGroup
		requests atomic.Int64
	)
	deadline := start.Add(dur)
	ws := make([]*loadWorker, workers)
	for w := range workers {
		lw := &loadWorker{w: w, rng: rand.New(rand.NewPCG(uint64(w), 42))}
		ws[w] = lw
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				lw.step(ctx, c, a.url, plan, bads, &bad, &lat)
				requests.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopSampler)
	<-samplerDone

	// Goroutines return to their baseline once the clients hang up.
	c.CloseIdleConnections()
	var goroutinesAfter int
	settle := waitFor(t, 10*time.Second, "goroutines back to the baseline", func() bool {
		goroutinesAfter = runtime.NumGoroutine()
		return goroutinesAfter <= goroutines0+2
	})

	bad.report(t, "unexpected answers under load")
	a.logs.assertNoInternalErrors(t)
	verified := verifyLoad(t, plan, ws)

	// The heap is flat: the median of the last third of the samples is within
	// 25% + 2 MiB of the median of the first third.
	var total loadWorker
	for _, w := range ws {
		total.reads += w.reads
		total.writes += w.writes
		total.conflicts += w.conflicts
		total.bad += w.bad
		total.exports += w.exports
		total.auditReads += w.auditReads
	}
	heaps := make([]string, len(samples))
	for i, s := range samples {
		heaps[i] = fmt.Sprintf("%.1f", float64(s.heap)/(1<<20))
	}
	if len(samples) < 6 {
		t.Fatalf("only %d heap samples", len(samples))
	}
	third := len(samples) / 3
	median := func(ss []sample) uint64 {
		hs := make([]uint64, len(ss))
		for i, s := range ss {
			hs[i] = s.heap
		}
		slices.Sort(hs)
		return hs[len(hs)/2]
	}
	early, late := median(samples[:third]), median(samples[len(samples)-third:])
	if limit := early + early/4 + 2<<20; late > limit {
		t.Errorf("heap grows: median %.1f MiB early, %.1f MiB late (limit %.1f MiB); samples (MiB): %s",
			float64(early)/(1<<20), float64(late)/(1<<20), float64(limit)/(1<<20), strings.Join(heaps, " "))
	}

	n := requests.Load()
	t.Logf("load: %d workers for %s: %d requests (%.0f/s): %d reads, %d exports, %d audit-log reads, %d acknowledged writes, %d expected CONFLICTs retried, %d bad inputs refused as specified; latency %s",
		workers, elapsed.Round(time.Millisecond), n, float64(n)/elapsed.Seconds(), total.reads, total.exports, total.auditReads, total.writes, total.conflicts, total.bad, &lat)
	t.Logf("writes verified: %d, each present with exactly one audit entry; result cache: %.0f hits, %.0f misses",
		verified, a.counter(t, "innograph_result_cache_hits_total"), a.counter(t, "innograph_result_cache_misses_total"))
	t.Logf("heap after GC every %s (MiB): %s; median early %.1f, late %.1f", interval.Round(time.Millisecond), strings.Join(heaps, " "),
		float64(early)/(1<<20), float64(late)/(1<<20))
	t.Logf("goroutines: %d before, %d at the end of the load, %d %s after the clients hung up",
		goroutines0, samples[len(samples)-1].goroutine, goroutinesAfter, settle.Round(time.Millisecond))
	t.Logf("server log: %s", a.logs.summary())
}

// step performs one randomly chosen action of the mix.
func (lw *loadWorker) step(ctx context.Context, c *http.Client, base string, plan loadPlan, bads []badInput, bad *firstErrors, lat *latencies) {
	timed := func(req request) result {
		r := do(ctx, c, base, req)
		lat.add(r.took)
		return r
	}
	ch := func(key string) map[string]any {
		return map[string]any{"source": changeSource, "quote": changeQuote, "idempotencyKey": key}
	}
	p := lw.rng.IntN(100)
	switch {
	case p < 60: // a read of any kind
		lw.reads++
		req := reads[lw.rng.IntN(len(reads))]
		if r := timed(req); !r.ok() {
			bad.add("read: %s", r)
		}
	case p < 63: // an export
		lw.exports++
		path := []string{"/export/subgraph?ids=polyu&depth=2&format=graphml", "/export/path?from=harry-shum&to=hkust&format=cytoscape",
			"/export/subgraph?ids=cas,hkust&depth=1&format=gexf"}[lw.rng.IntN(3)]
		s, d, err := getStatus(ctx, c, base, path)
		lat.add(d)
		if err != nil || s != http.StatusOK {
			bad.add("export %s: %d %v", path, s, err)
		}
	case p < 71: // create an own entity (and relate it, for even ones)
		i := len(lw.versions)
		r := timed(request{token: curatorToken, idempotencyKey: plan.createKey(lw.w, i),
			query: `mutation($in: CreateEntityInput!, $ch: ChangeInput!) { createEntity(input: $in, change: $ch) { id version } }`,
			vars: map[string]any{"in": map[string]any{"id": plan.id(lw.w, i), "kind": "COMPANY", "name": "ZZ Load " + plan.id(lw.w, i)},
				"ch": ch(plan.createKey(lw.w, i))}})
		if !r.ok() {
			bad.add("create: %s", r)
			return
		}
		lw.versions = append(lw.versions, 1)
		lw.writes++
		if i%2 == 0 {
			r := timed(request{token: curatorToken, idempotencyKey: plan.relKey(lw.w, i),
				query: `mutation($in: CreateRelationshipInput!, $ch: ChangeInput!) { createRelationship(input: $in, change: $ch) { id } }`,
				vars:  map[string]any{"in": map[string]any{"from": plan.id(lw.w, i), "type": "COLLABORATES_WITH", "to": plan.relTarget(i)}, "ch": ch(plan.relKey(lw.w, i))}})
			if !r.ok() {
				bad.add("relate: %s", r)
				return
			}
			lw.writes++
		}
	case p < 81 && len(lw.versions) > 0: // update an own entity: no one else writes it
		i := lw.rng.IntN(len(lw.versions))
		v := int(lw.versions[i])
		r := timed(request{token: curatorToken, idempotencyKey: plan.updateKey(lw.w, i, v+1),
			query: `mutation($in: UpdateEntityInput!, $ch: ChangeInput!) { updateEntity(input: $in, change: $ch) { id version } }`,
			vars:  map[string]any{"in": map[string]any{"id": plan.id(lw.w, i), "expectedVersion": v, "description": plan.description(v + 1)}, "ch": ch(plan.updateKey(lw.w, i, v+1))}})
		if !r.ok() {
			bad.add("update: %s", r)
			return
		}
		lw.versions[i]++
		lw.writes++
	case p < 84 && len(lw.versions) > 0: // read an own entity's audit log back
		lw.auditReads++
		i := lw.rng.IntN(len(lw.versions))
		r := timed(request{query: `query($id: ID!) { changes(entity: $id, first: 100) { nodes { operation } } }`, vars: map[string]any{"id": plan.id(lw.w, i)}})
		want := int(lw.versions[i]) // the create and every update
		if i%2 == 0 {
			want++ // the relationship
		}
		if !r.ok() || strings.Count(string(r.data), `"operation"`) != want {
			bad.add("audit log of %s: want %d entries: %s", plan.id(lw.w, i), want, r)
		}
	case p < 88: // update a shared entity: read its version, retry on CONFLICT
		j := lw.rng.IntN(sharedEntities)
		key := plan.sharedKey(j, lw.w, lw.shared[j])
		for attempt := 0; ; attempt++ {
			r := timed(request{query: `query($id: ID!) { entity(id: $id) { version } }`, vars: map[string]any{"id": plan.sharedID(j)}})
			var v int
			if !r.ok() || !scanVersion(r, &v) {
				bad.add("reading %s: %s", plan.sharedID(j), r)
				return
			}
			r = timed(request{token: curatorToken, idempotencyKey: key,
				query: `mutation($in: UpdateEntityInput!, $ch: ChangeInput!) { updateEntity(input: $in, change: $ch) { id version } }`,
				vars:  map[string]any{"in": map[string]any{"id": plan.sharedID(j), "expectedVersion": v, "description": key}, "ch": ch(key)}})
			if r.ok() {
				lw.shared[j]++
				lw.writes++
				return
			}
			if r.code() != "CONFLICT" || attempt == 50 {
				bad.add("shared update (attempt %d): %s", attempt, r)
				return
			}
			lw.conflicts++
		}
	default: // a bad input
		lw.bad++
		b := bads[lw.rng.IntN(len(bads))]
		if why := b.try(ctx, c, base); why != "" {
			bad.add("bad input %s", why)
		}
	}
}

// scanVersion reads data.entity.version.
func scanVersion(r result, v *int) bool {
	_, err := fmt.Sscanf(strings.TrimSpace(string(r.data)), `{"entity":{"version":%d}}`, v)
	return err == nil
}

// verifyLoad checks the database directly against the workers' ledgers:
// every acknowledged write is present with exactly one audit entry, and
// nothing else was written. It returns the number of writes verified.
func verifyLoad(t *testing.T, plan loadPlan, ws []*loadWorker) int {
	t.Helper()
	p := map[string]any{"p": plan.prefix}
	changes := auditEntries(t, plan.prefix)
	versions := map[string]int64{}
	descriptions := map[string]string{}
	for _, r := range cypher(t, "MATCH (n:Entity) WHERE n.id STARTS WITH $p RETURN n.id AS id, n.version AS v, coalesce(n.description, '') AS d", p) {
		versions[r["id"].(string)] = r["v"].(int64)
		descriptions[r["id"].(string)] = r["d"].(string)
	}
	rels := map[string]bool{}
	for _, r := range cypher(t, "MATCH (a:Entity)-[x]->(:Entity) WHERE a.id STARTS WITH $p RETURN x.id AS id", p) {
		rels[r["id"].(string)] = true
	}
	var bad firstErrors
	verified := 0
	once := func(key string) {
		if n := changes[key]; n != 1 {
			bad.add("%s: acknowledged, %d audit entries", key, n)
		}
		delete(changes, key)
		verified++
	}
	var sharedTotal [sharedEntities]int
	for _, w := range ws {
		for i, v := range w.versions {
			id := plan.id(w.w, i)
			once(plan.createKey(w.w, i))
			for u := 2; u <= int(v); u++ {
				once(plan.updateKey(w.w, i, u))
			}
			if got, ok := versions[id]; !ok || got != int64(v) {
				bad.add("%s: version %d (present %v), acknowledged %d", id, got, ok, v)
			} else if v > 1 && descriptions[id] != plan.description(int(v)) {
				bad.add("%s: description %q, want %q", id, descriptions[id], plan.description(int(v)))
			}
			delete(versions, id)
			relID := id + "~collaborates_with~" + plan.relTarget(i)
			if i%2 == 0 {
				once(plan.relKey(w.w, i))
				if !rels[relID] {
					bad.add("%s: acknowledged, missing", relID)
				}
			}
			delete(rels, relID)
		}
		for j := range sharedEntities {
			for m := range w.shared[j] {
				once(plan.sharedKey(j, w.w, m))
			}
			sharedTotal[j] += w.shared[j]
		}
	}
	for j := range sharedEntities {
		once(plan.sharedID(j) + "-c")
		if got := versions[plan.sharedID(j)]; got != int64(1+sharedTotal[j]) {
			bad.add("%s: version %d, want 1 + %d acknowledged updates", plan.sharedID(j), got, sharedTotal[j])
		}
		delete(versions, plan.sharedID(j))
	}
	for k, n := range changes {
		bad.add("audit entry %q (%d×) matches no acknowledged write", k, n)
	}
	for id := range versions {
		bad.add("entity %q matches no acknowledged write", id)
	}
	for id := range rels {
		bad.add("relationship %q matches no acknowledged write", id)
	}
	bad.report(t, "differences between the acknowledged writes and the database")
	return verified
}

// TestGracefulShutdownUnderLoad serves on a real port through serveWith,
// loads the server with slow and fast requests from keep-alive and one-shot
// clients, and cancels the serving context mid-load: every request the
// clients sent gets a complete 200 answer without errors (mutations included,
// and they are in the database); afterwards connections fail while
// connecting (refused), and no request ends in a reset, an EOF or a partial
// body. Keep-alive clients send replayable requests (GETs, mutations with an
// Idempotency-Key header), as HTTP/1.1 clients must to survive a server
// closing an idle connection.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	faultsNeo4j(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := testConfig(t, port)
	logs := newLogCounter()
	log := slog.New(logs)
	m := newMetrics()
	openCtx, cancelOpen := context.WithTimeout(context.Background(), time.Minute)
	defer cancelOpen()
	st, err := openStore(openCtx, cfg, log, m)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	plan := loadPlan{prefix: "zz-load-" + runID() + "-"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = deleteTestData(ctx, faults.srv.URI())
	})

	serveCtx, shutdown := context.WithCancel(context.Background())
	defer shutdown()
	served := make(chan error, 1)
	go func() { served <- serveWith(serveCtx, cfg, log, st, m) }()
	probe := newClient(1)
	waitFor(t, 10*time.Second, "the server listening", func() bool {
		s, _, err := getStatus(context.Background(), probe, base, "/livez")
		return err == nil && s == http.StatusOK
	})
	warmUp(t, probe, base)

	slow := []request{
		{query: `{ subgraph(ids: ["polyu", "hkust", "cas"], depth: 3, limit: 500) { truncated nodes { id name } relationships { id type evidence { quote } } } }`},
		{query: `{ paths(from: "harry-shum", to: "xi-jinping", maxHops: 6, first: 10) { length nodes { id } relationships { type } } }`},
	}
	const clients = 16
	var (
		wg                               sync.WaitGroup
		shutdownAt                       atomic.Int64 // unix nanos; 0 before
		ok, okAfter, refused, writes     atomic.Int64
		resetConnecting                  atomic.Int64
		inflight, inflightAtShutdown     atomic.Int64
		bad                              firstErrors
		lat                              latencies
		writesMu                         sync.Mutex
		acked                            []string // ids of acknowledged creates
		keepAliveClients, oneShotClients = clients / 2, clients - clients/2
	)
	for k := range clients {
		keepAlive := k < keepAliveClients
		c := newClient(1)
		if !keepAlive {
			c.Transport.(*http.Transport).DisableKeepAlives = true
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.CloseIdleConnections()
			rng := rand.New(rand.NewPCG(uint64(k), 7))
			for i := 0; ; i++ {
				var req request
				var id string
				switch p := rng.IntN(10); {
				case p < 3:
					req = slow[rng.IntN(len(slow))]
				case p < 4:
					id = fmt.Sprintf("%sshutdown-%d-%d", plan.prefix, k, i)
					req = request{token: curatorToken, idempotencyKey: id + "-c",
						query: `mutation($in: CreateEntityInput!, $ch: ChangeInput!) { createEntity(input: $in, change: $ch) { id } }`,
						vars: map[string]any{"in": map[string]any{"id": id, "kind": "COMPANY", "name": "ZZ Shutdown " + id},
							"ch": map[string]any{"source": changeSource, "quote": changeQuote, "idempotencyKey": id + "-c"}}}
				default:
					req = reads[rng.IntN(len(reads))]
					req.get = keepAlive // GETs, as browsers send them; POSTs otherwise
				}
				sentAt := time.Now().UnixNano()
				inflight.Add(1)
				r := do(context.Background(), c, base, req)
				inflight.Add(-1)
				lat.add(r.took)
				sd := shutdownAt.Load()
				switch {
				case r.ok():
					ok.Add(1)
					if sd != 0 && sentAt < sd {
						okAfter.Add(1)
					}
					if id != "" {
						writes.Add(1)
						writesMu.Lock()
						acked = append(acked, id)
						writesMu.Unlock()
					}
				case failedToConnect(r.err) && sd != 0:
					// The server is gone, as it should be: nothing was sent.
					if isRefused(r.err) {
						refused.Add(1)
					} else {
						resetConnecting.Add(1)
					}
					return
				default:
					bad.add("keep-alive %v, sent %s shutdown: %s", keepAlive, map[bool]string{true: "before", false: "after"}[sd == 0 || sentAt < sd], r)
					if sd != 0 {
						return
					}
				}
			}
		}()
	}
	time.Sleep(2 * time.Second)
	inflightAtShutdown.Store(inflight.Load())
	shutdownAt.Store(time.Now().UnixNano())
	okBefore := ok.Load()
	shutdown()
	var drain time.Duration
	select {
	case err := <-served:
		drain = time.Since(time.Unix(0, shutdownAt.Load()))
		if err != nil {
			t.Errorf("serveWith: %v", err)
		}
	case <-time.After(cfg.ShutdownTimeout + 5*time.Second):
		t.Fatal("serveWith did not return")
	}
	waitDone := make(chan struct{})
	go func() { wg.Wait(); close(waitDone) }()
	select {
	case <-waitDone:
	case <-time.After(30 * time.Second):
		t.Fatal("clients still busy 30s after the shutdown")
	}

	bad.report(t, "requests dropped or broken by the shutdown")
	logs.assertNoInternalErrors(t)
	if okAfter.Load() == 0 {
		t.Error("no request was in flight at the shutdown: the test proves nothing")
	}
	if n := refused.Load() + resetConnecting.Load(); n != clients {
		t.Errorf("%d clients found the port closed, want all %d", n, clients)
	}
	// The acknowledged creates are in the database, each audited once.
	keys := make([]string, 0, len(acked))
	for _, id := range acked {
		keys = append(keys, id+"-c")
	}
	rows := cypher(t, `UNWIND $keys AS k OPTIONAL MATCH (c:Change {idempotencyKey: k}) OPTIONAL MATCH (n:Entity {id: c.entityId})
RETURN k, count(DISTINCT c) AS changes, count(DISTINCT n) AS entities`, map[string]any{"keys": keys})
	for _, r := range rows {
		if r["changes"].(int64) != 1 || r["entities"].(int64) != 1 {
			t.Errorf("acknowledged create %v: %v audit entries, %v entities", r["k"], r["changes"], r["entities"])
		}
	}
	t.Logf("shutdown under load: %d clients (%d keep-alive, %d one connection per request); %d requests served (%s), %d before the shutdown, %d in flight at it, %d of those completed during the drain (%s), then %d clients refused (%d more reset while connecting, nothing sent); %d acknowledged creates verified in the database",
		clients, keepAliveClients, oneShotClients, ok.Load(), &lat, okBefore, inflightAtShutdown.Load(), okAfter.Load(), drain.Round(time.Millisecond), refused.Load(), resetConnecting.Load(), writes.Load())
}
