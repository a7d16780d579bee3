package graph

import (
	"context"
	"time"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
)

// pageSize validates a first argument, applying def when absent.
func pageSize(arg string, first *int, def, max int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 1 || *first > max {
		return 0, kg.InvalidArg(arg, "must be between 1 and %d, got %d", max, *first)
	}
	return *first, nil
}

func optString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func dayOf(d *model.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Start()
	return &t
}

func direction(d *model.Direction) kg.Direction {
	if d == nil {
		return kg.Both
	}
	return kg.Direction(*d)
}

// loadEntity returns the entity with id through the request's loader, or nil.
func (r *Resolver) loadEntity(ctx context.Context, id string) (model.Entity, error) {
	if id == "" {
		return nil, nil
	}
	e, err := LoadersFrom(ctx).Entity.Load(ctx, id)
	if err != nil || e == nil {
		return nil, err
	}
	return toEntity(*e), nil
}

// loadEntities returns the entities with ids, skipping missing ones.
func (r *Resolver) loadEntities(ctx context.Context, ids []string) ([]model.Entity, error) {
	es, err := LoadersFrom(ctx).Entity.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]model.Entity, 0, len(es))
	for _, e := range es {
		if e != nil {
			out = append(out, toEntity(*e))
		}
	}
	return out, nil
}

func (r *Resolver) entitySources(ctx context.Context, id string) ([]*model.Source, error) {
	l := LoadersFrom(ctx)
	e, err := l.Entity.Load(ctx, id)
	if err != nil || e == nil {
		return []*model.Source{}, err
	}
	srcs, err := l.Source.LoadAll(ctx, e.Sources)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Source, 0, len(srcs))
	for _, s := range srcs {
		if s != nil {
			out = append(out, toSource(*s))
		}
	}
	return out, nil
}

// adjacent loads the relationships of entity id through a shared loader and
// primes the entity loader with the entities at the other ends.
func (r *Resolver) adjacent(ctx context.Context, id string, f kg.RelFilter, page kg.Page) ([]kg.Adjacent, error) {
	l := LoadersFrom(ctx)
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

func (r *Resolver) entityRelationships(ctx context.Context, id string, types []model.RelationshipType, dir *model.Direction, asOf *model.Date, statuses []model.ClaimStatus, first *int, after *string) (*model.RelationshipConnection, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	f := kg.RelFilter{Types: typesOf(types), Direction: direction(dir), AsOf: dayOf(asOf), Statuses: statusesOf(statuses)}
	page := kg.Page{First: n + 1, After: optString(after)}
	adj, err := r.adjacent(ctx, id, f, page)
	if err != nil {
		return nil, err
	}
	more := len(adj) > n
	if more {
		adj = adj[:n]
	}
	conn := &model.RelationshipConnection{Edges: []*model.RelationshipEdge{}, Nodes: []*model.Relationship{}}
	var cursors []string
	for _, a := range adj {
		rel := toRel(a.Rel)
		c := encodeCursor(a.Rel.ID)
		cursors = append(cursors, c)
		conn.Edges = append(conn.Edges, &model.RelationshipEdge{Cursor: c, Node: rel})
		conn.Nodes = append(conn.Nodes, rel)
	}
	conn.PageInfo = pageInfo(cursors, more, after != nil)
	conn.Count = func() (int, error) { return r.Store.CountAdjacent(ctx, id, f) }
	return conn, nil
}

func (r *Resolver) neighbours(ctx context.Context, id string, types []model.RelationshipType, dir *model.Direction, kinds []model.EntityKind, statuses []model.ClaimStatus, first *int) ([]*model.Neighbour, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	adj, err := r.adjacent(ctx, id, kg.RelFilter{Types: typesOf(types), Direction: direction(dir), Kinds: kindsOf(kinds), Statuses: statusesOf(statuses)}, kg.Page{First: n})
	if err != nil {
		return nil, err
	}
	out := make([]*model.Neighbour, 0, len(adj))
	for _, a := range adj {
		d := model.DirectionIncoming
		if a.Outgoing {
			d = model.DirectionOutgoing
		}
		out = append(out, &model.Neighbour{Relationship: toRel(a.Rel), Entity: toEntity(a.Other), Direction: d})
	}
	return out, nil
}

// related returns the entities linked to id by relationships matching f
// (one of typedFields), deduplicated, at most first.
func (r *Resolver) related(ctx context.Context, id string, first *int, f kg.RelFilter) ([]model.Entity, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	adj, err := r.adjacent(ctx, id, f, kg.Page{First: n})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := make([]model.Entity, 0, len(adj))
	for _, a := range adj {
		if seen[a.Other.ID] {
			continue
		}
		seen[a.Other.ID] = true
		out = append(out, toEntity(a.Other))
	}
	return out, nil
}

// ofType keeps the entities of one GraphQL type.
func ofType[T model.Entity](es []model.Entity) []T {
	out := make([]T, 0, len(es))
	for _, e := range es {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func (r *Resolver) fundingsOf(ctx context.Context, id, role string, first *int) ([]*model.Funding, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	fs, err := LoadersFrom(ctx).FundingsOf(role, n).Load(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Funding, 0, len(fs))
	for _, f := range fs {
		out = append(out, toFunding(f))
	}
	return out, nil
}

func (r *Resolver) roles(ctx context.Context, id string, first *int) ([]*model.Role, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	adj, err := r.adjacent(ctx, id, kg.RelFilter{Types: []kg.RelType{"HEADS", "DIRECTS", "CHAIRS", "WORKS_AT", "MEMBER_OF", "FOUNDED", "LEADS"}, Direction: kg.Outgoing}, kg.Page{First: n})
	if err != nil {
		return nil, err
	}
	out := make([]*model.Role, 0, len(adj))
	for _, a := range adj {
		rel := toRel(a.Rel)
		out = append(out, &model.Role{OrganizationID: a.Other.ID, Title: rel.Role, Type: rel.Type, Since: rel.Since, Until: rel.Until, On: rel.On, Status: rel.Status, Relationship: rel})
	}
	return out, nil
}

// signedOn returns the date of the earliest dated SIGNED relationship into an agreement.
func (r *Resolver) signedOn(ctx context.Context, id string) (*model.Date, error) {
	adj, err := r.adjacent(ctx, id, kg.RelFilter{Types: []kg.RelType{"SIGNED", "PARTY_TO"}, Direction: kg.Incoming}, kg.Page{First: kg.MaxPageSize})
	if err != nil {
		return nil, err
	}
	var best *kg.Date
	for _, a := range adj {
		d := a.Rel.On
		if d == nil {
			d = a.Rel.Since
		}
		if d != nil && (best == nil || d.Start().Before(best.Start())) {
			best = d
		}
	}
	return model.DateOf(best), nil
}
