package read

import (
	"context"

	"github.com/innograph/innograph/internal/kg"
)

// Entities returns a page of the entities matching f; they are primed.
func (r *Reader) Entities(ctx context.Context, f kg.EntityFilter, page kg.Page) (Page[kg.Entity], error) {
	if err := f.Validate(); err != nil {
		return Page[kg.Entity]{}, err
	}
	es, cursors, more, err := r.st.ListEntities(ctx, f, page)
	if err != nil {
		return Page[kg.Entity]{}, err
	}
	r.prime(ctx, es...)
	return Page[kg.Entity]{Items: es, Cursors: cursors, More: more}, nil
}

// CountEntities returns how many entities match f.
func (r *Reader) CountEntities(ctx context.Context, f kg.EntityFilter) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	return r.st.CountEntities(ctx, f)
}

// Search returns at most first entities matching text, best first; they
// are primed.
func (r *Reader) Search(ctx context.Context, text string, kinds []kg.Kind, first int) ([]kg.SearchHit, error) {
	hits, err := r.st.Search(ctx, text, kinds, first)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		r.prime(ctx, h.Entity)
	}
	return hits, nil
}

// Paths returns the paths q asks for; the entities on them are primed.
func (r *Reader) Paths(ctx context.Context, q kg.PathQuery) ([]kg.Path, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	ps, err := r.st.Paths(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		r.prime(ctx, p.Nodes...)
	}
	return ps, nil
}

// Subgraph returns the neighbourhood q asks for; its entities are primed.
func (r *Reader) Subgraph(ctx context.Context, q kg.SubgraphQuery) (kg.Subgraph, error) {
	if err := q.Validate(); err != nil {
		return kg.Subgraph{}, err
	}
	sg, err := r.st.Subgraph(ctx, q)
	if err != nil {
		return kg.Subgraph{}, err
	}
	r.prime(ctx, sg.Nodes...)
	return sg, nil
}

// Fundings returns a page of the funding records matching f.
func (r *Reader) Fundings(ctx context.Context, f kg.FundingFilter, page kg.Page) (Page[kg.Funding], error) {
	if err := f.Validate(); err != nil {
		return Page[kg.Funding]{}, err
	}
	fs, cursors, more, err := r.st.Fundings(ctx, f, page)
	return Page[kg.Funding]{Items: fs, Cursors: cursors, More: more}, err
}

// CountFundings returns how many funding records match f.
func (r *Reader) CountFundings(ctx context.Context, f kg.FundingFilter) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	return r.st.CountFundings(ctx, f)
}

// FundingTotals returns the sums of the amounts of the records matching f,
// one per currency.
func (r *Reader) FundingTotals(ctx context.Context, f kg.FundingFilter) ([]kg.Money, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return r.st.FundingTotals(ctx, f)
}

// Sources returns a page of the sources.
func (r *Reader) Sources(ctx context.Context, page kg.Page) (Page[kg.Source], error) {
	ss, cursors, more, err := r.st.Sources(ctx, page)
	return Page[kg.Source]{Items: ss, Cursors: cursors, More: more}, err
}

// CountSources returns how many sources there are.
func (r *Reader) CountSources(ctx context.Context) (int, error) { return r.st.CountSources(ctx) }

// SourceFacts returns a page of the relationships source id is evidence of.
func (r *Reader) SourceFacts(ctx context.Context, id string, page kg.Page) (Page[kg.Relationship], error) {
	rels, cursors, more, err := r.st.SourceFacts(ctx, id, page)
	return Page[kg.Relationship]{Items: rels, Cursors: cursors, More: more}, err
}

// CountSourceFacts returns how many relationships source id is evidence of.
func (r *Reader) CountSourceFacts(ctx context.Context, id string) (int, error) {
	return r.st.CountSourceFacts(ctx, id)
}

// KindCounts returns the number of entities of each kind and relationships
// of each type.
func (r *Reader) KindCounts(ctx context.Context) (entities, rels map[string]int64, err error) {
	return r.st.KindCounts(ctx)
}
