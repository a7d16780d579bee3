package read

import (
	"context"
	"fmt"

	"github.com/innograph/innograph/internal/kg"
)

func notFound(arg, what, id string) error {
	return &kg.Error{Code: kg.CodeNotFound, Field: arg, Message: fmt.Sprintf("no %s with id %q", what, id)}
}

// EntityByID returns the entity with id, batched with the request's other
// lookups; nil when there is none.
func (r *Reader) EntityByID(ctx context.Context, id string) (*kg.Entity, error) {
	if id == "" {
		return nil, nil
	}
	return r.loadersOf(ctx).Entity.Load(ctx, id)
}

// EntitiesByID returns the entities with ids, in order, skipping missing
// ones, batched with the request's other lookups.
func (r *Reader) EntitiesByID(ctx context.Context, ids []string) ([]kg.Entity, error) {
	es, err := r.loadersOf(ctx).Entity.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]kg.Entity, 0, len(es))
	for _, e := range es {
		if e != nil {
			out = append(out, *e)
		}
	}
	return out, nil
}

// Forget drops what the request has loaded of entity or source id, so that the next
// read fetches it again (after a change to it).
func (r *Reader) Forget(ctx context.Context, id string) {
	l := r.loadersOf(ctx)
	l.Entity.Clear(id)
	l.Source.Clear(id) // an ingested document's source
}

// SourceByID returns the source with id, batched; nil when there is none.
func (r *Reader) SourceByID(ctx context.Context, id string) (*kg.Source, error) {
	return r.loadersOf(ctx).Source.Load(ctx, id)
}

// Source returns the source with id, or a NOT_FOUND error.
func (r *Reader) Source(ctx context.Context, id string) (kg.Source, error) {
	if err := kg.CheckID("id", id); err != nil {
		return kg.Source{}, err
	}
	s, err := r.SourceByID(ctx, id)
	if err != nil {
		return kg.Source{}, err
	}
	if s == nil {
		return kg.Source{}, notFound("id", "source", id)
	}
	return *s, nil
}

// EntitySources returns the sources of entity id, batched.
func (r *Reader) EntitySources(ctx context.Context, id string) ([]kg.Source, error) {
	l := r.loadersOf(ctx)
	e, err := l.Entity.Load(ctx, id)
	if err != nil || e == nil {
		return []kg.Source{}, err
	}
	srcs, err := l.Source.LoadAll(ctx, e.Sources)
	if err != nil {
		return nil, err
	}
	out := make([]kg.Source, 0, len(srcs))
	for _, s := range srcs {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out, nil
}

// FundingByID returns the funding record with id, batched; nil when there
// is none.
func (r *Reader) FundingByID(ctx context.Context, id string) (*kg.Funding, error) {
	if id == "" {
		return nil, nil
	}
	return r.loadersOf(ctx).Funding.Load(ctx, id)
}

// FundingsOf returns at most first funding records in which entity id plays
// role (funder, recipient, programme), batched.
func (r *Reader) FundingsOf(ctx context.Context, id, role string, first int) ([]kg.Funding, error) {
	return r.loadersOf(ctx).FundingsOf(role, first).Load(ctx, id)
}

// prime remembers entities read in a list, so that nested fields referring
// to them need no query.
func (r *Reader) prime(ctx context.Context, es ...kg.Entity) {
	l := r.loadersOf(ctx)
	for _, e := range es {
		l.Entity.Prime(e.ID, &e)
	}
}
