package graph

import (
	"context"
	"time"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
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
	e, err := r.Read.EntityByID(ctx, id)
	if err != nil || e == nil {
		return nil, err
	}
	return toEntity(*e), nil
}

// loadEntities returns the entities with ids, skipping missing ones.
func (r *Resolver) loadEntities(ctx context.Context, ids []string) ([]model.Entity, error) {
	es, err := r.Read.EntitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	return toEntities(es), nil
}

func toEntities(es []kg.Entity) []model.Entity {
	out := make([]model.Entity, 0, len(es))
	for _, e := range es {
		out = append(out, toEntity(e))
	}
	return out
}

func (r *Resolver) entitySources(ctx context.Context, id string) ([]*model.Source, error) {
	srcs, err := r.Read.EntitySources(ctx, id)
	out := make([]*model.Source, 0, len(srcs))
	for _, s := range srcs {
		out = append(out, toSource(s))
	}
	return out, err
}

func (r *Resolver) entityRelationships(ctx context.Context, id string, types []model.RelationshipType, dir *model.Direction, asOf *model.Date, statuses []model.ClaimStatus, first *int, after *string) (*model.RelationshipConnection, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	f := kg.RelFilter{Types: typesOf(types), Direction: direction(dir), AsOf: dayOf(asOf), Statuses: statusesOf(statuses)}
	p, err := r.Read.Relationships(ctx, id, f, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.RelationshipConnection{Edges: []*model.RelationshipEdge{}, Nodes: []*model.Relationship{}}
	for i, rel := range p.Items {
		m := toRel(rel)
		conn.Edges = append(conn.Edges, &model.RelationshipEdge{Cursor: p.Cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(p.Cursors, p.More, after != nil)
	conn.Count = func() (int, error) { return r.Read.CountRelationships(ctx, id, f) }
	return conn, nil
}

func (r *Resolver) neighbours(ctx context.Context, id string, types []model.RelationshipType, dir *model.Direction, kinds []model.EntityKind, statuses []model.ClaimStatus, first *int) ([]*model.Neighbour, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	adj, err := r.Read.Adjacent(ctx, id, kg.RelFilter{Types: typesOf(types), Direction: direction(dir), Kinds: kindsOf(kinds), Statuses: statusesOf(statuses)}, kg.Page{First: n})
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

// related returns the entities typed field f lists for entity id.
func (r *Resolver) related(ctx context.Context, id string, first *int, f *read.Field) ([]model.Entity, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	es, err := r.Read.Related(ctx, id, f, n)
	return toEntities(es), err
}

// relatedOf is related for a field whose entities are all of GraphQL type T
// (read.Field.Of).
func relatedOf[T model.Entity](ctx context.Context, r *Resolver, id string, first *int, f *read.Field) ([]T, error) {
	es, err := r.related(ctx, id, first, f)
	out := make([]T, 0, len(es))
	for _, e := range es {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out, err
}

func (r *Resolver) fundingsOf(ctx context.Context, id, role string, first *int) ([]*model.Funding, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	fs, err := r.Read.FundingsOf(ctx, id, role, n)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Funding, 0, len(fs))
	for _, f := range fs {
		out = append(out, toFunding(f))
	}
	return out, nil
}

// roleTypes are the relationships from a person that are roles.
var roleTypes = []kg.RelType{kg.RelHeads, kg.RelDirects, kg.RelChairs, kg.RelWorksAt, kg.RelMemberOf, kg.RelFounded, kg.RelLeads}

func (r *Resolver) roles(ctx context.Context, id string, first *int) ([]*model.Role, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	adj, err := r.Read.Adjacent(ctx, id, kg.RelFilter{Types: roleTypes, Direction: kg.Outgoing}, kg.Page{First: n})
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

// signedOn returns the date of the earliest dated SIGNED or PARTY_TO
// relationship into an agreement.
func (r *Resolver) signedOn(ctx context.Context, id string) (*model.Date, error) {
	adj, err := r.Read.Adjacent(ctx, id, kg.RelFilter{Types: []kg.RelType{kg.RelSigned, kg.RelPartyTo}, Direction: kg.Incoming}, kg.Page{First: kg.MaxPageSize})
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
