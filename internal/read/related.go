package read

import (
	"context"

	"github.com/innograph/innograph/internal/kg"
)

// Adjacent returns the relationships of entity id matching f, with the
// entities at their other ends, batched with the request's other entities'
// (one query for all entities asking with equal f and page); the entities
// reached are primed.
func (r *Reader) Adjacent(ctx context.Context, id string, f kg.RelFilter, page kg.Page) ([]kg.Adjacent, error) {
	l := r.loadersOf(ctx)
	adj, err := l.Adjacent(f, page).Load(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range adj {
		o := adj[i].Other
		l.Entity.Prime(o.ID, &o)
	}
	return adj, nil
}

// Related returns the entities typed field f lists for entity id, at most
// first (see Field for how its patterns combine), deduplicated, of kind f.Of
// when it is set.
func (r *Reader) Related(ctx context.Context, id string, f *Field, first int) ([]kg.Entity, error) {
	if first < 1 || first > kg.MaxPageSize {
		return nil, kg.InvalidArg("first", "must be between 1 and %d, got %d", kg.MaxPageSize, first)
	}
	found := make([][]kg.Adjacent, len(f.Patterns))
	if f.Fallback {
		for i, p := range f.Patterns {
			adj, err := r.Adjacent(ctx, id, p, kg.Page{First: first})
			if err != nil {
				return nil, err
			}
			found[i] = adj
			if len(adj) > 0 {
				break
			}
		}
	} else {
		// Every pattern at once: batched loads in parallel, one round trip
		// of latency.
		errs := make([]error, len(f.Patterns))
		done := make(chan struct{}, len(f.Patterns))
		for i, p := range f.Patterns {
			go func() {
				defer func() { done <- struct{}{} }()
				found[i], errs[i] = r.Adjacent(ctx, id, p, kg.Page{First: first})
			}()
		}
		for range f.Patterns {
			<-done
		}
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
	}
	seen := map[string]bool{}
	out := []kg.Entity{}
	for _, adj := range found {
		for _, a := range adj {
			if seen[a.Other.ID] || f.Of != "" && a.Other.Kind != f.Of {
				continue
			}
			seen[a.Other.ID] = true
			out = append(out, a.Other)
		}
	}
	if len(out) > first {
		out = out[:first]
	}
	return out, nil
}

// Relationships returns a page of the relationships of entity id matching
// f: at most page.First, after the cursor page.After.
func (r *Reader) Relationships(ctx context.Context, id string, f kg.RelFilter, page kg.Page) (Page[kg.Relationship], error) {
	adj, err := r.Adjacent(ctx, id, f, kg.Page{First: page.First + 1, After: page.After})
	if err != nil {
		return Page[kg.Relationship]{}, err
	}
	p := Page[kg.Relationship]{More: len(adj) > page.First}
	if p.More {
		adj = adj[:page.First]
	}
	for _, a := range adj {
		p.Items = append(p.Items, a.Rel)
		p.Cursors = append(p.Cursors, kg.EncodeCursor(a.Rel.ID))
	}
	return p, nil
}

// CountRelationships returns how many relationships of entity id match f.
func (r *Reader) CountRelationships(ctx context.Context, id string, f kg.RelFilter) (int, error) {
	return r.st.CountAdjacent(ctx, id, f)
}
