package main

// Faults: Neo4j dies under the running server. See README "Faults and load".

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// reads is the read mix: every kind of lookup the API offers, over seed ids.
var reads = []request{
	{query: `query($id: ID!) { entity(id: $id) { id name kind version aliases sources { id }
  relationships(first: 5) { nodes { id type from { id } to { id } evidence { quote source { id } } } } } }`, vars: map[string]any{"id": "polyu"}},
	{query: `query($q: String!) { search(query: $q, first: 10) { score matchedName entity { id name kind } } }`, vars: map[string]any{"q": "state key lab"}},
	{query: `query($id: ID!) { entity(id: $id) { id neighbours(first: 20) { direction entity { id name } relationship { type } } } }`, vars: map[string]any{"id": "hkust"}},
	{query: `query($ids: [ID!]!) { subgraph(ids: $ids, depth: 2, limit: 200) { truncated nodes { id kind } relationships { id type } } }`, vars: map[string]any{"ids": []string{"polyu", "cas"}}},
	{query: `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 4, first: 3) { length nodes { id } relationships { type } } }`, vars: map[string]any{"from": "harry-shum", "to": "hkust-gz"}},
	{query: `query($f: ID) { fundings(funder: $f) { totals { value currency } nodes { amount { value currency } purpose } } }`, vars: map[string]any{"f": "central-government"}},
	{query: `{ entities(kinds: [UNIVERSITY], first: 20) { nodes { id name } pageInfo { hasNextPage endCursor } } }`},
	{query: `query($q: String!) { search(query: $q, first: 5) { entity { id } } }`, vars: map[string]any{"q": "polyu"}},
}

// warmUp runs every read until it succeeds once, so that Neo4j has planned
// and compiled the queries before latencies count. A cold Neo4j (just
// started, or recovering after a kill) on a busy machine may run a first
// query past the request timeout: TIMEOUT and UNAVAILABLE are retried for up
// to warmUpFor; any other failure ends the test.
func warmUp(t *testing.T, c *http.Client, base string) {
	t.Helper()
	const warmUpFor = time.Minute
	for _, req := range reads {
		deadline := time.Now().Add(warmUpFor)
		for {
			r := do(context.Background(), c, base, req)
			if r.ok() {
				break
			}
			if why := checkFailure(r, "TIMEOUT", "UNAVAILABLE"); why != "" || time.Now().After(deadline) {
				t.Fatalf("warm-up: %s", r)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

// TestNeo4jOutage kills Neo4j (SIGKILL) under a steady read load and brings it
// back: every request answers, failures carry UNAVAILABLE and nothing else
// and come within answerBound, /readyz turns 503 at once and back to 200, and
// the same server (same Store, same connection pool) serves again without a
// restart.
func TestNeo4jOutage(t *testing.T) {
	neo := faultsNeo4j(t)
	// Without the result cache every read reaches Neo4j. (With it, repeated
	// reads are answered from memory until the graph version poll fails, at
	// most GRAPH_VERSION_POLL after the crash.)
	a := newApp(t, func(c *config) { c.CacheBytes = 0 })
	c := newClient(32)
	ctx := context.Background()
	if s, _, err := getStatus(ctx, c, a.url, "/readyz"); err != nil || s != http.StatusOK {
		t.Fatalf("readyz before the outage: %d %v", s, err)
	}
	warmUp(t, c, a.url)

	const readers = 8
	// phase: 0 Neo4j up; 1 killed; 2 restarting (from the start command until
	// the server serves again: Neo4j recovers its log and runs cold); 3
	// recovered.
	var phase atomic.Int32
	var (
		servedAfter, straddled atomic.Int64
		okLat, failLat         latencies
		bad                    firstErrors
		slow                   slowest
		wg                     sync.WaitGroup
		t0                     = time.Now()
		hardBound              = a.cfg.RequestTimeout + time.Second
		phaseNames             = [...]string{"up", "down", "restarting", "recovered"}
		stop                   = make(chan struct{})
		stopOnce               sync.Once
		stopReaders            = func() { stopOnce.Do(func() { close(stop) }); wg.Wait() }
	)
	for w := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				before := phase.Load()
				r := do(ctx, c, a.url, reads[i%len(reads)])
				after := phase.Load()
				slow.add(r.took, fmt.Sprintf("started %s after t0 (%s→%s): %s", (time.Since(t0)-r.took).Round(time.Millisecond),
					phaseNames[before], phaseNames[after], r))
				if r.took > hardBound {
					bad.add("took %s (%s→%s): %s", r.took, phaseNames[before], phaseNames[after], r)
				}
				switch {
				case r.ok():
					okLat.add(r.took)
					if before == 3 {
						servedAfter.Add(1)
					}
				case before == 0 && after == 0 || before == 3:
					bad.add("failed while Neo4j was up (%s→%s): %s", phaseNames[before], phaseNames[after], r)
				case after >= 2:
					// Answered while Neo4j was coming back: Neo4j holds queries
					// until its database has recovered and then answers
					// slowly with cold caches, so the request may also run
					// out of its own time.
					straddled.Add(1)
					if why := checkFailure(r, "UNAVAILABLE", "TIMEOUT"); why != "" {
						bad.add("%s→%s: %s", phaseNames[before], phaseNames[after], why)
					}
					time.Sleep(50 * time.Millisecond)
				default:
					failLat.add(r.took)
					if why := checkFailure(r, "UNAVAILABLE"); why != "" {
						bad.add("%s→%s: %s", phaseNames[before], phaseNames[after], why)
					}
					if r.took > answerBound {
						bad.add("UNAVAILABLE only after %s (bound %s): %s", r.took, answerBound, r)
					}
					time.Sleep(50 * time.Millisecond) // a client backs off a little
				}
			}
		}()
	}
	defer stopReaders() // also on t.Fatal

	time.Sleep(1500 * time.Millisecond)
	if okLat.n.Load() == 0 {
		t.Fatal("no request succeeded before the outage")
	}
	phase.Store(1)
	killAt := time.Now()
	if err := neo.Kill(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("Neo4j killed (SIGKILL) %s after t0, %d reads served before, %d readers in flight", killAt.Sub(t0).Round(time.Millisecond), okLat.n.Load(), readers)

	// /readyz turns 503 quickly and keeps answering quickly while Neo4j is down.
	var readyzMax time.Duration
	readyzN := 0
	readyz := func(want int) bool {
		s, d, err := getStatus(ctx, c, a.url, "/readyz")
		readyzMax, readyzN = max(readyzMax, d), readyzN+1
		if err != nil {
			t.Fatalf("readyz: %v", err)
		}
		if d > 3*time.Second {
			t.Errorf("readyz took %s", d)
		}
		return s == want
	}
	to503 := waitFor(t, 5*time.Second, "/readyz 503 after the kill", func() bool { return readyz(http.StatusServiceUnavailable) })
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); {
		if !readyz(http.StatusServiceUnavailable) {
			t.Fatal("/readyz said ok while Neo4j was dead")
		}
		time.Sleep(250 * time.Millisecond)
	}

	// Neo4j comes back (it recovers its transaction log); the same server
	// serves again.
	phase.Store(2)
	restartAt := time.Now()
	if err := neo.Start(ctx); err != nil {
		t.Fatal(err)
	}
	neo4jStart := time.Since(restartAt)
	downFor := time.Since(killAt)
	recovered := waitFor(t, 15*time.Second, "/readyz 200 after Neo4j came back", func() bool { return readyz(http.StatusOK) })
	// A restarted Neo4j plans every query afresh with a cold JVM: one pass of
	// the reads, then everything must succeed.
	warmUp(t, c, a.url)
	warm := time.Since(restartAt) - neo4jStart
	phase.Store(3)
	waitFor(t, 30*time.Second, "every reader served again", func() bool { return servedAfter.Load() >= 2*readers })
	stopReaders()

	bad.report(t, "requests misbehaved")
	a.logs.assertNoInternalErrors(t)
	if failLat.n.Load() == 0 {
		t.Error("no request failed: the outage was not observed")
	}
	t.Logf("faults injected: 1 SIGKILL of Neo4j; down %s, of which its restart (startup and recovery) took %s",
		downFor.Round(time.Millisecond), neo4jStart.Round(time.Millisecond))
	t.Logf("requests: %d answered: %d ok (%s), %d UNAVAILABLE while down (%s), %d failed while Neo4j was coming back, %d ok after recovery; none unanswered",
		okLat.n.Load()+failLat.n.Load()+straddled.Load(), okLat.n.Load(), &okLat, failLat.n.Load(), &failLat, straddled.Load(), servedAfter.Load())
	t.Logf("/readyz: 503 %s after the kill, 200 again %s after Neo4j answered, every read served again %s after; %d probes, slowest %s",
		to503.Round(time.Millisecond), recovered.Round(time.Millisecond), warm.Round(time.Millisecond), readyzN, readyzMax.Round(time.Millisecond))
	for _, l := range slow.list() {
		t.Logf("slowest: %s", l)
	}
	t.Logf("server log: %s", a.logs.summary())
}

// crashOp names the three mutations each entity of TestCrashMidMutation goes
// through, in order.
type crashOp int

const (
	opCreate crashOp = iota
	opRelate
	opUpdate
	nOps
)

func (o crashOp) String() string { return [...]string{"create", "relate", "update"}[o] }

// crashTargets are seed entities the test relates its entities to.
var crashTargets = []string{"polyu", "hkust", "roborn", "cyberport", "hong-kong-science-park", "cas"}

// crashPlan derives every id, key and request of TestCrashMidMutation from the
// run prefix and an index, so the ledger needs no per-request memory.
type crashPlan struct{ prefix string }

func (p crashPlan) id(i int) string             { return fmt.Sprintf("%s%d", p.prefix, i) }
func (p crashPlan) key(i int, o crashOp) string { return fmt.Sprintf("%s%d-%s", p.prefix, i, o) }
func (p crashPlan) relID(i int) string {
	return p.id(i) + "~collaborates_with~" + crashTargets[i%len(crashTargets)]
}
func (p crashPlan) description(i int) string { return fmt.Sprintf("updated by %s", p.key(i, opUpdate)) }
func (p crashPlan) request(i int, o crashOp) request {
	ch := map[string]any{"source": changeSource, "quote": changeQuote, "idempotencyKey": p.key(i, o)}
	switch o {
	case opCreate:
		return request{token: curatorToken, idempotencyKey: p.key(i, o),
			query: `mutation($in: CreateEntityInput!, $ch: ChangeInput!) { createEntity(input: $in, change: $ch) { id version } }`,
			vars:  map[string]any{"in": map[string]any{"id": p.id(i), "kind": "COMPANY", "name": fmt.Sprintf("ZZ Fault %s %d", p.prefix, i)}, "ch": ch}}
	case opRelate:
		return request{token: curatorToken, idempotencyKey: p.key(i, o),
			query: `mutation($in: CreateRelationshipInput!, $ch: ChangeInput!) { createRelationship(input: $in, change: $ch) { id } }`,
			vars:  map[string]any{"in": map[string]any{"from": p.id(i), "type": "COLLABORATES_WITH", "to": crashTargets[i%len(crashTargets)]}, "ch": ch}}
	default:
		return request{token: curatorToken, idempotencyKey: p.key(i, o),
			query: `mutation($in: UpdateEntityInput!, $ch: ChangeInput!) { updateEntity(input: $in, change: $ch) { id version } }`,
			vars:  map[string]any{"in": map[string]any{"id": p.id(i), "expectedVersion": 1, "description": p.description(i)}, "ch": ch}}
	}
}

// opState is what the client knows about one mutation.
type opState struct {
	tried, acked bool
}

// TestCrashMidMutation kills Neo4j while concurrent mutations (create an
// entity, relate it, update it; each with an idempotency key) are in flight,
// restarts it, and checks the database directly: every acknowledged mutation
// is there with exactly one audit entry, every mutation is all or nothing
// (effect, audit entry and idempotency key together), and retrying with the
// same keys applies each mutation at most once.
func TestCrashMidMutation(t *testing.T) {
	neo := faultsNeo4j(t)
	a := newApp(t)
	c := newClient(32)
	ctx := context.Background()
	plan := crashPlan{prefix: "zz-fault-" + runID() + "-"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if err := neo.Start(ctx); err == nil {
			_ = deleteTestData(ctx, neo.URI())
		}
	})

	const (
		entities = 600
		workers  = 12
		// The kill comes after this many acknowledged mutations.
		killAfter = 90
	)
	state := make([][nOps]opState, entities)
	var (
		next, acked, inflight atomic.Int64
		timedOut              atomic.Int64 // TIMEOUT before the kill
		killed                atomic.Bool
		failed                atomic.Int64
		lat                   latencies
		bad                   firstErrors
		wg                    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= entities {
					return
				}
				for o := range nOps {
					wasKilled := killed.Load()
					inflight.Add(1)
					state[i][o].tried = true
					r := do(ctx, c, a.url, plan.request(i, o))
					inflight.Add(-1)
					lat.add(r.took)
					if r.ok() {
						state[i][o].acked = true
						acked.Add(1)
						continue
					}
					failed.Add(1)
					if !wasKilled && !killed.Load() {
						if checkFailure(r, "TIMEOUT") == "" {
							// Writes queue on the graph's version lock; on a
							// busy machine one may pass Neo4j's transaction
							// timeout. It is unacknowledged like the crash's
							// victims and retried with them after the restart.
							timedOut.Add(1)
							break // the entity's next mutations need this one
						}
						bad.add("%s %d failed before the kill: %s", o, i, r)
					} else if why := checkFailure(r, "UNAVAILABLE"); why != "" {
						bad.add("%s %d: %s", o, i, why)
					} else if r.took > answerBound {
						bad.add("%s %d: UNAVAILABLE only after %s (bound %s)", o, i, r.took, answerBound)
					}
					return // this worker has seen the outage
				}
			}
		}()
	}
	var inflightAtKill int64
	waitFor(t, time.Minute, "acknowledged mutations before the kill", func() bool { return acked.Load() >= killAfter || next.Load() >= entities })
	killed.Store(true)
	inflightAtKill = inflight.Load()
	if err := neo.Kill(ctx); err != nil {
		t.Fatal(err)
	}
	ackedAtKill := acked.Load()
	wg.Wait()
	bad.report(t, "mutations misbehaved during the crash")
	if failed.Load() == 0 {
		t.Fatalf("every mutation succeeded: the kill did not land mid-flight (raise entities above %d)", entities)
	}

	restartAt := time.Now()
	if err := neo.Start(ctx); err != nil {
		t.Fatal(err)
	}
	neo4jStart := time.Since(restartAt)
	waitFor(t, 15*time.Second, "/readyz 200 after the restart", func() bool {
		s, _, err := getStatus(ctx, c, a.url, "/readyz")
		return err == nil && s == http.StatusOK
	})

	tried, ackedOps, lost := 0, 0, 0
	for i := range state {
		for o := range nOps {
			if state[i][o].tried {
				tried++
				if state[i][o].acked {
					ackedOps++
				}
			}
		}
	}
	applied := verifyCrash(t, plan, state)
	for i := range state {
		for o := range nOps {
			if st := state[i][o]; st.tried && !st.acked && applied[plan.key(i, o)] {
				lost++ // committed, but the answer was lost with the connection
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// Retry: every entity that was started runs its three mutations again with
	// the same keys. Unacknowledged ones apply now (or replay if they had
	// committed); acknowledged ones replay. Nothing applies twice.
	started := int(min(next.Load(), entities))
	retried, replayed := 0, 0
	var mu sync.Mutex
	work := make(chan int)
	var rwg sync.WaitGroup
	for range 8 {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for i := range work {
				for o := range nOps {
					if !state[i][o].tried {
						continue
					}
					r := do(ctx, c, a.url, plan.request(i, o))
					if !r.ok() {
						bad.add("retrying %s %d: %s", o, i, r)
						continue
					}
					mu.Lock()
					if state[i][o].acked {
						replayed++
					} else {
						retried++
					}
					mu.Unlock()
				}
				// The mutations a worker never reached after the crash run now.
				for o := range nOps {
					if !state[i][o].tried {
						if r := do(ctx, c, a.url, plan.request(i, o)); !r.ok() {
							bad.add("completing %s %d: %s", o, i, r)
						}
						retried++
					}
				}
			}
		}()
	}
	for i := range started {
		work <- i
	}
	close(work)
	rwg.Wait()
	bad.report(t, "retries failed")
	for i := range started {
		for o := range nOps {
			state[i][o] = opState{tried: true, acked: true}
		}
	}
	applied = verifyCrash(t, plan, state)
	a.logs.assertNoInternalErrors(t)

	t.Logf("faults injected: 1 SIGKILL of Neo4j with %d mutations in flight; restart took %s; %d mutations timed out before the kill", inflightAtKill, neo4jStart.Round(time.Millisecond), timedOut.Load())
	t.Logf("mutations before and during the crash: %d sent, %d acknowledged (%d when the kill was sent), %d failed with UNAVAILABLE, %d of those had committed (answer lost); latency %s",
		tried, ackedOps, ackedAtKill, failed.Load(), lost, &lat)
	t.Logf("after the restart: %d unacknowledged mutations retried, %d acknowledged ones replayed with the same idempotency key; %d writes verified present with exactly one audit entry, no partial writes",
		retried, replayed, len(applied))
}

// verifyCrash reads the run's entities, relationships, audit entries and
// idempotency keys straight from Neo4j and checks them against the ledger:
// acknowledged ⇒ applied exactly once; never tried ⇒ absent; and for every
// mutation, its effect, its audit entry and its idempotency key exist together
// or not at all. It returns the set of applied keys.
func verifyCrash(t *testing.T, plan crashPlan, state [][nOps]opState) map[string]bool {
	t.Helper()
	p := map[string]any{"p": plan.prefix}
	changes := auditEntries(t, plan.prefix)
	type ent struct {
		version     int64
		description string
	}
	ents := map[string]ent{}
	for _, r := range cypher(t, "MATCH (n:Entity) WHERE n.id STARTS WITH $p RETURN n.id AS id, n.version AS v, coalesce(n.description, '') AS d", p) {
		ents[r["id"].(string)] = ent{r["v"].(int64), r["d"].(string)}
	}
	rels := map[string]bool{}
	for _, r := range cypher(t, "MATCH (a:Entity)-[x]->(:Entity) WHERE a.id STARTS WITH $p RETURN x.id AS id", p) {
		rels[r["id"].(string)] = true
	}
	keys := map[string]bool{}
	for _, r := range cypher(t, "MATCH (k:IdempotencyKey) WHERE k.key STARTS WITH $p RETURN k.key AS k", p) {
		keys[r["k"].(string)] = true
	}

	applied := map[string]bool{}
	var bad firstErrors
	if n := changes[""]; n > 0 {
		bad.add("%d audit entries without an idempotency key", n)
	}
	for i := range state {
		var n [nOps]int64
		for o := range nOps {
			k := plan.key(i, o)
			n[o] = changes[k]
			delete(changes, k)
			st := state[i][o]
			switch {
			case n[o] > 1:
				bad.add("%s: applied %d times", k, n[o])
			case st.acked && n[o] != 1:
				bad.add("%s: acknowledged but not in the audit log", k)
			case !st.tried && n[o] != 0:
				bad.add("%s: never sent but in the audit log", k)
			}
			if keys[k] != (n[o] == 1) {
				bad.add("%s: idempotency key node %v, audit entry %v", k, keys[k], n[o] == 1)
			}
			if n[o] == 1 {
				applied[k] = true
			}
		}
		e, exists := ents[plan.id(i)]
		if exists != (n[opCreate] == 1) {
			bad.add("%s: entity exists %v, create audited %v", plan.id(i), exists, n[opCreate] == 1)
		}
		if rels[plan.relID(i)] != (n[opRelate] == 1) {
			bad.add("%s: relationship exists %v, audited %v", plan.relID(i), rels[plan.relID(i)], n[opRelate] == 1)
		}
		if exists {
			if e.version != 1+n[opUpdate] || (e.description == plan.description(i)) != (n[opUpdate] == 1) {
				bad.add("%s: version %d, description %q, update audited %d", plan.id(i), e.version, e.description, n[opUpdate])
			}
		}
		delete(ents, plan.id(i))
	}
	delete(changes, "")
	for k, n := range changes {
		bad.add("audit entry %q (%d×) belongs to no mutation of the test", k, n)
	}
	for id := range ents {
		bad.add("entity %q belongs to no mutation of the test", id)
	}
	bad.report(t, "consistency violations after the crash")
	return applied
}
