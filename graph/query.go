package graph

import (
	"context"
	"fmt"
	"sync"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
)

func first(es []model.Entity) model.Entity {
	if len(es) == 0 {
		return nil
	}
	return es[0]
}

func dedupe(es []model.Entity) []model.Entity {
	seen := map[string]bool{}
	out := es[:0]
	for _, e := range es {
		id := entityID(e)
		if !seen[id] {
			seen[id] = true
			out = append(out, e)
		}
	}
	return out
}

func notFound(arg, what, id string) error {
	return &kg.Error{Code: kg.CodeNotFound, Field: arg, Message: fmt.Sprintf("no %s with id %q", what, id)}
}

func (r *Resolver) entity(ctx context.Context, id string) (model.Entity, error) {
	if err := kg.CheckID("id", id); err != nil {
		return nil, err
	}
	// A root lookup has no siblings to batch with: query at once, then prime
	// the loaders for nested fields. The typed fields selected under it
	// (labs { director }) come in the same statement.
	if plan := r.treePlan(ctx); len(plan) > 0 && r.trees.ready(r.Store, id, plan) {
		e, found, err := r.Store.EntityTree(ctx, id, plan)
		if kg.ErrorCode(err) == kg.CodeNotFound {
			return nil, notFound("id", "entity", id)
		}
		if err != nil {
			return nil, err
		}
		l := LoadersFrom(ctx)
		l.Entity.Prime(id, &e)
		primeTree(l, e.ID, e.Kind, plan, found)
		return toEntity(e), nil
	}
	m, err := r.Store.EntitiesByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	e, ok := m[id]
	if !ok {
		return nil, notFound("id", "entity", id)
	}
	LoadersFrom(ctx).Entity.Prime(id, &e)
	return toEntity(e), nil
}

func (r *Resolver) entities(ctx context.Context, kinds []model.EntityKind, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string) (*model.EntityConnection, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	f := kg.EntityFilter{Kinds: kindsOf(kinds), Order: kg.OrderNameAsc}
	if filter != nil {
		f.NameContains = optString(filter.NameContains)
		f.SourceID = optString(filter.Source)
		if filter.Ids != nil {
			if len(filter.Ids) > kg.MaxFilterIDs {
				return nil, kg.InvalidArg("filter.ids", "at most %d ids, got %d", kg.MaxFilterIDs, len(filter.Ids))
			}
			f.IDs = filter.Ids
		}
		if len(f.NameContains) > kg.MaxSearchText {
			return nil, kg.InvalidArg("filter.nameContains", "at most %d bytes", kg.MaxSearchText)
		}
	}
	if orderBy != nil {
		desc := orderBy.Direction == model.OrderDirectionDesc
		switch {
		case orderBy.Field == model.EntityOrderFieldID && desc:
			f.Order = kg.OrderIDDesc
		case orderBy.Field == model.EntityOrderFieldID:
			f.Order = kg.OrderIDAsc
		case desc:
			f.Order = kg.OrderNameDesc
		}
	}
	ents, cursors, more, err := r.Store.ListEntities(ctx, f, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.EntityConnection{Edges: []*model.EntityEdge{}, Nodes: []model.Entity{}}
	l := LoadersFrom(ctx)
	for i, e := range ents {
		e := e
		l.Entity.Prime(e.ID, &e)
		m := toEntity(e)
		conn.Edges = append(conn.Edges, &model.EntityEdge{Cursor: cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(cursors, more, after != nil)
	conn.Count = func() (int, error) { return r.Store.CountEntities(ctx, f) }
	return conn, nil
}

func (r *Resolver) search(ctx context.Context, query string, kinds []model.EntityKind, first *int) ([]*model.SearchHit, error) {
	n, err := pageSize("first", first, 10, kg.MaxSearchResults)
	if err != nil {
		return nil, err
	}
	hits, err := r.Store.Search(ctx, query, kindsOf(kinds), n)
	if err != nil {
		return nil, err
	}
	l := LoadersFrom(ctx)
	out := make([]*model.SearchHit, 0, len(hits))
	for _, h := range hits {
		e := h.Entity
		l.Entity.Prime(e.ID, &e)
		out = append(out, &model.SearchHit{Entity: toEntity(e), Score: h.Score, MatchedName: optStr(h.MatchedName)})
	}
	return out, nil
}

// intOr returns *v, or def when the argument is absent.
func intOr(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func (r *Resolver) paths(ctx context.Context, from, to string, maxHops, first *int, types []model.RelationshipType, asOf *model.Date, statuses []model.ClaimStatus, directed *bool) ([]*model.Path, error) {
	ps, err := r.Store.Paths(ctx, kg.PathQuery{From: from, To: to, MaxHops: intOr(maxHops, kg.DefaultPathHops),
		K: intOr(first, kg.DefaultPaths), Types: typesOf(types), AsOf: dayOf(asOf), Directed: directed != nil && *directed,
		Statuses: statusesOf(statuses)})
	if err != nil {
		return nil, err
	}
	l := LoadersFrom(ctx)
	out := make([]*model.Path, 0, len(ps))
	for _, p := range ps {
		mp := &model.Path{Length: len(p.Rels), Nodes: []model.Entity{}, Relationships: []*model.Relationship{}}
		for _, e := range p.Nodes {
			e := e
			l.Entity.Prime(e.ID, &e)
			mp.Nodes = append(mp.Nodes, toEntity(e))
		}
		for _, rel := range p.Rels {
			mp.Relationships = append(mp.Relationships, toRel(rel))
		}
		out = append(out, mp)
	}
	return out, nil
}

func (r *Resolver) subgraph(ctx context.Context, ids []string, depth *int, kinds []model.EntityKind, types []model.RelationshipType, asOf *model.Date, statuses []model.ClaimStatus, limit *int) (*model.Subgraph, error) {
	sg, err := r.Store.Subgraph(ctx, kg.SubgraphQuery{IDs: ids, Depth: intOr(depth, kg.DefaultSubgraphDepth),
		Kinds: kindsOf(kinds), Types: typesOf(types), AsOf: dayOf(asOf), Limit: intOr(limit, kg.DefaultSubgraphNodes),
		Statuses: statusesOf(statuses)})
	if err != nil {
		return nil, err
	}
	l := LoadersFrom(ctx)
	out := &model.Subgraph{Nodes: []model.Entity{}, Relationships: []*model.Relationship{}, Truncated: sg.Truncated}
	for _, e := range sg.Nodes {
		e := e
		l.Entity.Prime(e.ID, &e)
		out.Nodes = append(out.Nodes, toEntity(e))
	}
	for _, rel := range sg.Rels {
		out.Relationships = append(out.Relationships, toRel(rel))
	}
	return out, nil
}

func (r *Resolver) fundings(ctx context.Context, funder, recipient, programme *string, from, to *model.Date, statuses []model.ClaimStatus, first *int, after *string) (*model.FundingConnection, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	f := kg.FundingFilter{Funder: optString(funder), Recipient: optString(recipient), Programme: optString(programme), Statuses: statusesOf(statuses)}
	for _, x := range []struct{ arg, v string }{{"funder", f.Funder}, {"recipient", f.Recipient}, {"programme", f.Programme}} {
		if x.v != "" {
			if err := kg.CheckID(x.arg, x.v); err != nil {
				return nil, err
			}
		}
	}
	if from != nil {
		t := from.Start()
		f.From = &t
	}
	if to != nil {
		t := to.End()
		f.To = &t
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return nil, kg.InvalidArg("to", "to is before from")
	}
	fs, cursors, more, err := r.Store.Fundings(ctx, f, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.FundingConnection{Edges: []*model.FundingEdge{}, Nodes: []*model.Funding{}}
	for i, x := range fs {
		m := toFunding(x)
		conn.Edges = append(conn.Edges, &model.FundingEdge{Cursor: cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(cursors, more, after != nil)
	conn.Count = func() (int, error) { return r.Store.CountFundings(ctx, f) }
	conn.Sums = func() ([]*model.Money, error) {
		ms, err := r.Store.FundingTotals(ctx, f)
		out := make([]*model.Money, 0, len(ms))
		for _, m := range ms {
			out = append(out, toMoney(m))
		}
		return out, err
	}
	return conn, nil
}

func (r *Resolver) sources(ctx context.Context, first *int, after *string) (*model.SourceConnection, error) {
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	srcs, cursors, more, err := r.Store.Sources(ctx, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	total, err := r.Store.CountSources(ctx)
	if err != nil {
		return nil, err
	}
	conn := &model.SourceConnection{Edges: []*model.SourceEdge{}, Nodes: []*model.Source{}, TotalCount: total}
	for i, s := range srcs {
		m := toSource(s)
		conn.Edges = append(conn.Edges, &model.SourceEdge{Cursor: cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(cursors, more, after != nil)
	return conn, nil
}

func (r *Resolver) source(ctx context.Context, id string) (*model.Source, error) {
	if err := kg.CheckID("id", id); err != nil {
		return nil, err
	}
	s, err := LoadersFrom(ctx).Source.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, notFound("id", "source", id)
	}
	return toSource(*s), nil
}

func (r *Resolver) sourceFacts(ctx context.Context, id string, first *int, after *string) (*model.RelationshipConnection, error) {
	n, err := pageSize("first", first, 50, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	rels, cursors, more, err := r.Store.SourceFacts(ctx, id, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.RelationshipConnection{Edges: []*model.RelationshipEdge{}, Nodes: []*model.Relationship{}}
	for i, rel := range rels {
		m := toRel(rel)
		conn.Edges = append(conn.Edges, &model.RelationshipEdge{Cursor: cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(cursors, more, after != nil)
	conn.Count = func() (int, error) { return r.Store.CountSourceFacts(ctx, id) }
	return conn, nil
}

func (r *Resolver) schemaInfo(ctx context.Context) *model.SchemaInfo {
	return &model.SchemaInfo{Counts: sync.OnceValues(func() (model.KindCounts, error) {
		ents, rels, err := r.Store.KindCounts(ctx)
		return model.KindCounts{Entities: ents, Relationships: rels}, err
	})}
}

func (r *Resolver) schemaKinds(info *model.SchemaInfo) ([]*model.KindInfo, error) {
	c, err := info.Counts()
	if err != nil {
		return nil, err
	}
	ents := c.Entities
	out := make([]*model.KindInfo, 0, len(kg.Kinds))
	for _, k := range kg.Kinds {
		out = append(out, &model.KindInfo{Kind: model.EntityKind(k.Kind), Description: k.Description, Count: int(ents[string(k.Kind)])})
	}
	return out, nil
}

func (r *Resolver) schemaRelTypes(info *model.SchemaInfo) ([]*model.RelationshipTypeInfo, error) {
	c, err := info.Counts()
	if err != nil {
		return nil, err
	}
	rels := c.Relationships
	out := make([]*model.RelationshipTypeInfo, 0, len(kg.RelTypes))
	for _, t := range kg.RelTypes {
		out = append(out, &model.RelationshipTypeInfo{Type: model.RelationshipType(t.Type), Description: t.Description, Count: int(rels[string(t.Type)])})
	}
	return out, nil
}
