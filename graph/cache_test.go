package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/store"
)

// cachedHandler is newHandler with a 1 MiB result cache (64 KiB an entry)
// over st's graph version.
func cachedHandler(t *testing.T, st *store.Store) (http.Handler, *graph.ResultCache) {
	t.Helper()
	h := newHandlerWith(t, st, func(c *graph.HandlerConfig) { c.CacheBytes = 1 << 20 })
	return h, h.Cache
}

// A repeated query is answered from memory while the graph is unchanged; a
// write through this server, or through any other process, is visible to the
// next query (the latter within one poll of the persisted version); with the
// version unknown nothing is served from the cache.
func TestResultCache(t *testing.T) {
	st, names := observedStore(t)
	other, _ := observedStore(t) // another server writing to the same graph
	h, cache := cachedHandler(t, st)
	id := fmt.Sprintf("zz-test-cache-%d", time.Now().UnixNano())
	t.Cleanup(func() { rawDelete(t, id) })

	q := `query($id: ID!) { entity(id: $id) { id name description } }`
	vars := map[string]any{"id": "polyu"}
	description := func() string {
		var data struct {
			Entity struct{ Description string } `json:"entity"`
		}
		query(t, h, q, vars, &data)
		return data.Entity.Description
	}

	// Without the version watcher, the version is unknown: no caching.
	names.reset()
	description()
	description()
	if n := len(dataQueries(names)); n != 2 {
		t.Fatalf("version unknown: %d queries for 2 requests, want 2 (%v)", n, dataQueries(names))
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go st.WatchVersion(ctx, 50*time.Millisecond)
	waitUntil(t, func() bool { _, ok := st.GraphVersion(); return ok })

	names.reset()
	before := description()
	for range 5 {
		if got := description(); got != before {
			t.Fatalf("description changed to %q with no write", got)
		}
	}
	if got := dataQueries(names); len(got) != 1 {
		t.Errorf("6 identical queries ran %d Neo4j queries, want 1: %v", len(got), got)
	}
	if hits, _ := cache.Stats(); hits < 5 {
		t.Errorf("hits = %d, want 5", hits)
	}
	// A client asking for a fresh answer gets one from Neo4j, and leaves
	// the cache as it was.
	for _, cc := range []string{"no-cache", "max-age=0, No-Store"} {
		names.reset()
		body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cache-Control", cc)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), before) || len(dataQueries(names)) != 1 {
			t.Errorf("Cache-Control: %s: %d Neo4j queries, answer %s; want 1 and the same answer", cc, len(dataQueries(names)), rec.Body.String())
		}
	}
	names.reset()
	description()
	if got := dataQueries(names); len(got) != 0 {
		t.Errorf("after fresh answers, a plain request ran %v, want the cached answer", got)
	}
	// Different variables are a different answer.
	var data struct{ Entity struct{ ID string } }
	query(t, h, q, map[string]any{"id": "hkust"}, &data)
	if data.Entity.ID != "hkust" {
		t.Errorf("other variables answered %q", data.Entity.ID)
	}
	// Errors are not cached.
	names.reset()
	for range 2 {
		if resp := post(t, h, q, map[string]any{"id": id}); len(resp.Errors) == 0 {
			t.Fatalf("%s exists already", id)
		}
	}
	if n := len(dataQueries(names)); n != 2 {
		t.Errorf("2 failing queries ran %d Neo4j queries, want 2", n)
	}

	// A write by this server: the next answer is fresh.
	meta := kg.ChangeMeta{Actor: kg.Actor{Name: "cache-test", Role: kg.RoleCurator}, Reason: "test",
		Evidence: kg.Evidence{SourceID: "s001-innovation-hub", Quote: "Roborn, a robot company in Hong Kong"}}
	if _, err := st.CreateEntity(ctx, kg.Entity{ID: id, Kind: kg.KindCompany, Name: "ZZ Cache Co"}, meta); err != nil {
		t.Fatal(err)
	}
	var got struct{ Entity struct{ Name string } }
	query(t, h, `query($id: ID!) { entity(id: $id) { name } }`, map[string]any{"id": id}, &got)
	if got.Entity.Name != "ZZ Cache Co" {
		t.Fatalf("after create: %+v", got)
	}
	// A write by another process: fresh within a poll or two.
	desc := "written elsewhere"
	if _, err := other.UpdateEntity(ctx, id, kg.EntityPatch{Description: &desc}, 1, meta); err != nil {
		t.Fatal(err)
	}
	qd := `query($id: ID!) { entity(id: $id) { description } }`
	waitUntil(t, func() bool {
		var d struct{ Entity struct{ Description string } }
		query(t, h, qd, map[string]any{"id": id}, &d)
		return d.Entity.Description == desc
	})
}

// dataQueries lists the queries requests ran: the version watcher's polls,
// which run on the same Store in the background, are left out.
func dataQueries(names *queryNames) []string {
	var out []string
	for _, n := range names.list() {
		if n != "graphVersion" {
			out = append(out, n)
		}
	}
	return out
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The cache never holds more than MaxBytes of answers.
func TestResultCacheBound(t *testing.T) {
	st, _ := observedStore(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go st.WatchVersion(ctx, time.Second)
	waitUntil(t, func() bool { _, ok := st.GraphVersion(); return ok })
	h, cache := cachedHandler(t, st)
	cache.MaxBytes = 2000
	for i := range 50 {
		var d json.RawMessage
		query(t, h, `query($n: Int) { entities(first: $n) { nodes { id name } } }`, map[string]any{"n": i%20 + 1}, &d)
	}
	if b := cache.Bytes(); b > 2000 || b == 0 {
		t.Errorf("cache holds %d bytes; bound 2000", b)
	}
}
