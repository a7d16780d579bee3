package graph_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
)

// The number of Cypher round trips for a nested query is bounded by its
// depth, not by the number of entities and relationships it returns.
func TestQueryCountBoundedByDepth(t *testing.T) {
	// A wide batching window: this test proves that round trips depend on
	// nesting depth only, which must not hinge on scheduler timing.
	st, names := observedStore(t)
	h := newHandlerWith(t, st, func(c *graph.HandlerConfig) {
		c.Reader = read.New(read.Shared(st), read.Options{LoaderWait: 25 * time.Millisecond})
	})
	const q = `query($n: Int) { entities(first: $n) { nodes { id sources { id }
  relationships(first: 20) { nodes { evidence { source { id } } from { id name } to { id name ... on Lab { director { name } } } } } } } }`
	const maxQueries = 8
	// Loaders batch what arrives within a short time window, so a slow
	// scheduler can occasionally split a batch in two: each size runs three
	// times and the fewest round trips count. A real N+1 shows in every run.
	counts := map[int]int64{}
	for _, n := range []int{10, 100, 10, 100, 10, 100} {
		var data struct {
			Entities struct {
				Nodes []struct {
					ID            string `json:"id"`
					Relationships struct {
						Nodes []struct {
							Evidence []struct {
								Source ref `json:"source"`
							} `json:"evidence"`
							To struct {
								ID       string `json:"id"`
								Director *ref   `json:"director"`
							} `json:"to"`
						} `json:"nodes"`
					} `json:"relationships"`
				} `json:"nodes"`
			} `json:"entities"`
		}
		before := st.QueryCount()
		names.reset()
		query(t, h, q, map[string]any{"n": n}, &data)
		used := st.QueryCount() - before
		if c, ok := counts[n]; !ok || used < c {
			counts[n] = used
		}
		rels, directors := 0, 0
		for _, e := range data.Entities.Nodes {
			for _, r := range e.Relationships.Nodes {
				rels++
				if r.To.Director != nil {
					directors++
				}
				if len(r.Evidence) == 0 || r.Evidence[0].Source.ID == "" {
					t.Errorf("%s: relationship without evidence source", e.ID)
				}
			}
		}
		if len(data.Entities.Nodes) != n {
			t.Fatalf("first %d returned %d entities", n, len(data.Entities.Nodes))
		}
		t.Logf("first %d: %d entities, %d relationships, %d lab directors, %d queries: %v", n, len(data.Entities.Nodes), rels, directors, used, names.list())
		if n == 100 && (rels < 100 || directors == 0) {
			t.Errorf("the big query returned little (%d relationships, %d directors): not a useful test", rels, directors)
		}
		if used > maxQueries {
			t.Errorf("first %d took %d queries, want at most %d", n, used, maxQueries)
		}
	}
	if counts[10] != counts[100] {
		t.Errorf("queries grow with the list size: %d for 10 entities, %d for 100", counts[10], counts[100])
	}
}

// Paging entities through GraphQL while entities are inserted: no entity is
// listed twice and every entity that existed before is listed once.
func TestEntitiesPaginationWithConcurrentInserts(t *testing.T) {
	h, st := testHandler(t)
	const prefix = "zz-test-gql-page-"
	deleteTestData := func() { rawDelete(t, prefix) }
	deleteTestData()
	t.Cleanup(deleteTestData)

	pre := map[string]bool{}
	ents, _, _, err := st.ListEntities(ctxT(t), kg.EntityFilter{}, kg.Page{First: 10000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		pre[e.ID] = true
	}

	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	batchDone := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	inserted := 0
	go func() {
		defer wg.Done()
		src := kg.Source{ID: prefix + "source", Title: "Test"}
		for i := 0; ctx.Err() == nil; i++ {
			var es []kg.Entity
			for j := 0; j < 3; j++ {
				letter := string(rune('A' + (i*3+j)*5%26))
				es = append(es, kg.Entity{ID: fmt.Sprintf("%s%d-%d", prefix, i, j), Kind: kg.KindCompany,
					Name: letter + " zz gql page test " + fmt.Sprint(i, j), Sources: []string{src.ID}})
			}
			if err := st.Import(ctx, &kg.Graph{Sources: []kg.Source{src}, Entities: es}); err != nil {
				if ctx.Err() == nil {
					t.Errorf("insert: %v", err)
				}
				return
			}
			inserted += 3
			select {
			case batchDone <- struct{}{}:
			case <-ctx.Done():
			}
		}
	}()

	const q = `query($after: String) { entities(first: 7, after: $after) {
  totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`
	seen := map[string]int{}
	var after any
	var lastName string
	for page := 0; ; page++ {
		if page > 500 {
			t.Fatal("pagination does not end")
		}
		var data struct {
			Entities struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Cursor string `json:"cursor"`
					Node   ref    `json:"node"`
				} `json:"edges"`
				PageInfo struct {
					HasNextPage bool    `json:"hasNextPage"`
					EndCursor   *string `json:"endCursor"`
				} `json:"pageInfo"`
			} `json:"entities"`
		}
		query(t, h, q, map[string]any{"after": after}, &data)
		c := data.Entities
		if c.TotalCount < len(pre) {
			t.Errorf("page %d: totalCount %d below the %d entities present before", page, c.TotalCount, len(pre))
		}
		for _, e := range c.Edges {
			seen[e.Node.ID]++
			if seen[e.Node.ID] == 2 {
				t.Errorf("%s listed twice", e.Node.ID)
			}
			if e.Node.Name < lastName {
				t.Errorf("order broken: %q after %q", e.Node.Name, lastName)
			}
			lastName = e.Node.Name
		}
		if len(c.Edges) > 0 && (c.PageInfo.EndCursor == nil || *c.PageInfo.EndCursor != c.Edges[len(c.Edges)-1].Cursor) {
			t.Errorf("page %d: endCursor is not the last edge's cursor", page)
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		after = *c.PageInfo.EndCursor
		select { // let one batch of inserts land between pages
		case <-batchDone:
		case <-ctx.Done():
		}
	}
	cancel()
	wg.Wait()
	for id := range pre {
		if seen[id] != 1 && !strings.HasPrefix(id, prefix) {
			t.Errorf("pre-existing %s listed %d times", id, seen[id])
		}
	}
	if inserted == 0 {
		t.Error("nothing was inserted during the walk")
	}
	t.Logf("%d listed, %d present before, %d inserted during the walk", len(seen), len(pre), inserted)
}
