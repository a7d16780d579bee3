package read

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/innograph/innograph/internal/kg"
)

// Entity returns the entity with id, or a NOT_FOUND error. plan lists the
// typed fields the caller will read under it (see Field): once Neo4j has
// planned a tree of that shape (treeShapes), they come in the same
// statement, and the loaders are primed with what it found, so that Related
// answers from memory. The entity is primed too.
func (r *Reader) Entity(ctx context.Context, id string, plan []kg.Expand) (kg.Entity, error) {
	if err := kg.CheckID("id", id); err != nil {
		return kg.Entity{}, err
	}
	l := r.loadersOf(ctx)
	if len(plan) > 0 && !r.opt.NoEntityTrees && r.trees.ready(r.st, id, plan) {
		e, found, err := r.st.EntityTree(ctx, id, plan)
		if kg.ErrorCode(err) == kg.CodeNotFound {
			return kg.Entity{}, notFound("id", "entity", id)
		}
		if err != nil {
			return kg.Entity{}, err
		}
		l.Entity.Prime(id, &e)
		primeTree(l, e.ID, e.Kind, plan, found)
		return e, nil
	}
	// A root lookup has no siblings to batch with: it queries at once.
	m, err := r.st.EntitiesByIDs(ctx, []string{id})
	if err != nil {
		return kg.Entity{}, err
	}
	e, ok := m[id]
	if !ok {
		return kg.Entity{}, notFound("id", "entity", id)
	}
	l.Entity.Prime(id, &e)
	return e, nil
}

// primeTree primes the request's loaders with what plan found from the
// entity id of kind: the adjacency pages the typed fields' resolvers will
// ask for, and the entities reached.
func primeTree(l *loaders, id string, kind kg.Kind, plan []kg.Expand, found [][]kg.Expanded) {
	for i, e := range plan {
		if i >= len(found) || len(e.On) > 0 && !slices.Contains(e.On, kind) {
			continue // not followed from this entity: nothing to prime
		}
		adj := make([]kg.Adjacent, len(found[i]))
		for j, x := range found[i] {
			adj[j] = x.Adjacent
			o := x.Other
			l.Entity.Prime(o.ID, &o)
			primeTree(l, o.ID, o.Kind, e.Next, x.Next)
		}
		l.Adjacent(e.Filter, kg.Page{First: e.First}).Prime(id, adj)
	}
}

// treeShapes remembers the shapes of entity trees whose statement Neo4j has
// planned. Planning a new tree statement took Neo4j 0.2–1 s here (4 to 15
// patterns), far more than loading the tree level by level, while a
// planned one runs in milliseconds. So the first request of a shape is
// answered level by level and, meanwhile, the tree statement runs once in
// the background to have Neo4j plan (and cache) it; later requests of that
// shape use it. An ad-hoc query never waits for a plan; a dashboard or tool
// repeating its queries gets one round trip each.
type treeShapes struct {
	mu    sync.Mutex
	state map[string]bool // false: being planned; true: planned
}

// maxTreeShapes bounds the shapes remembered, as Neo4j's plan cache (1,000
// statements by default) bounds the plans it keeps.
const maxTreeShapes = 1000

// ready reports whether plan's statement is planned; if it has not been
// asked for before, it starts planning it (with id) in the background.
func (t *treeShapes) ready(s Store, id string, plan []kg.Expand) bool {
	key := kg.PlanKey(plan)
	t.mu.Lock()
	defer t.mu.Unlock()
	planned, seen := t.state[key]
	if seen {
		return planned
	}
	if t.state == nil || len(t.state) >= maxTreeShapes {
		t.state = map[string]bool{}
	}
	t.state[key] = false
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _, err := s.EntityTree(ctx, id, plan)
		t.mu.Lock()
		defer t.mu.Unlock()
		if err == nil || kg.ErrorCode(err) == kg.CodeNotFound {
			t.state[key] = true
		} else {
			delete(t.state, key) // try again with a later request
		}
	}()
	return false
}

// PlanningTrees returns how many entity-tree statements are being planned
// in the background (see treeShapes).
func (r *Reader) PlanningTrees() int {
	r.trees.mu.Lock()
	defer r.trees.mu.Unlock()
	n := 0
	for _, planned := range r.trees.state {
		if !planned {
			n++
		}
	}
	return n
}
