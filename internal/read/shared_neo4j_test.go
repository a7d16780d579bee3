package read_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/read"
)

// TestSharedReads sends many entity lookups and entity trees at once
// through Shared: each caller gets what the store alone answers, and fewer
// statements reach Neo4j than there were calls.
func TestSharedReads(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sh := read.Shared(st)

	var ids []string
	for _, r := range neo4jtest.Cypher(t, "MATCH (n:Entity) RETURN n.id AS id ORDER BY id LIMIT 60", nil) {
		id, _ := r.Get("id")
		ids = append(ids, id.(string))
	}
	ids = append(ids, "no-such-entity", "no-such-entity")
	plan := []kg.Expand{{Filter: kg.RelFilter{Direction: kg.Both}, First: 3, Next: []kg.Expand{
		{Filter: kg.RelFilter{Direction: kg.Outgoing}, First: 2},
	}}}
	type answer struct {
		entities map[string]kg.Entity
		tree     string
	}
	ask := func(s read.Store, id string) (answer, error) {
		m, err := s.EntitiesByIDs(ctx, []string{id, "polyu"})
		if err != nil {
			return answer{}, err
		}
		trees, err := s.EntityTrees(ctx, []string{id}, plan)
		if err != nil {
			return answer{}, err
		}
		tree, ok := trees[id]
		if !ok {
			return answer{m, "NOT_FOUND"}, nil
		}
		return answer{m, fmt.Sprintf("%v %v", tree.Root, tree.Found)}, nil
	}
	want := make([]answer, len(ids))
	for i, id := range ids {
		var err error
		if want[i], err = ask(st, id); err != nil {
			t.Fatal(err)
		}
	}
	before := st.QueryCount()
	got := make([]answer, len(ids))
	errs := make([]error, len(ids))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i], errs[i] = ask(sh, id)
		}()
	}
	close(start)
	wg.Wait()
	sent := st.QueryCount() - before
	for i, id := range ids {
		if errs[i] != nil {
			t.Fatalf("%s: %v", id, errs[i])
		}
		if !reflect.DeepEqual(got[i].entities, want[i].entities) {
			t.Errorf("%s: entities %v, want %v", id, got[i].entities, want[i].entities)
		}
		if got[i].tree != want[i].tree {
			t.Errorf("%s: tree\n%s\nwant\n%s", id, got[i].tree, want[i].tree)
		}
	}
	if calls := int64(2 * len(ids)); sent >= calls {
		t.Errorf("%d statements for %d concurrent calls: nothing was shared", sent, calls)
	}
	t.Logf("%d statements for %d calls", sent, 2*len(ids))
}
