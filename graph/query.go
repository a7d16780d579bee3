package graph

import (
	"context"
	"sync"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
)

func (r *Resolver) entities(ctx context.Context, kinds []model.EntityKind, filter *model.EntityFilter, orderBy *model.EntityOrder, first *int, after *string) (*model.EntityConnection, error) {
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	f := kg.EntityFilter{Kinds: kindsOf(kinds), Order: kg.OrderNameAsc}
	if filter != nil {
		f.NameContains = optString(filter.NameContains)
		f.SourceID = optString(filter.Source)
		f.IDs = filter.Ids
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
	p, err := r.Read.Entities(ctx, f, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.EntityConnection{Edges: []*model.EntityEdge{}, Nodes: []model.Entity{}}
	for i, e := range p.Items {
		m := toEntity(e)
		conn.Edges = append(conn.Edges, &model.EntityEdge{Cursor: p.Cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(p.Cursors, p.More, after != nil)
	conn.Count = func() (int, error) { return r.Read.CountEntities(ctx, f) }
	return conn, nil
}

func (r *Resolver) search(ctx context.Context, query string, kinds []model.EntityKind, first *int) ([]*model.SearchHit, error) {
	n, err := kg.PageSize(first, 10, kg.MaxSearchResults)
	if err != nil {
		return nil, err
	}
	hits, err := r.Read.Search(ctx, query, kindsOf(kinds), n)
	if err != nil {
		return nil, err
	}
	out := make([]*model.SearchHit, 0, len(hits))
	for _, h := range hits {
		out = append(out, &model.SearchHit{Entity: toEntity(h.Entity), Score: h.Score, MatchedName: optStr(h.MatchedName)})
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
	ps, err := r.Read.Paths(ctx, kg.PathQuery{From: from, To: to, MaxHops: intOr(maxHops, kg.DefaultPathHops),
		K: intOr(first, kg.DefaultPaths), Types: typesOf(types), AsOf: dayOf(asOf), Directed: directed != nil && *directed,
		Statuses: statusesOf(statuses)})
	if err != nil {
		return nil, err
	}
	out := make([]*model.Path, 0, len(ps))
	for _, p := range ps {
		mp := &model.Path{Length: len(p.Rels), Nodes: toEntities(p.Nodes), Relationships: []*model.Relationship{}}
		for _, rel := range p.Rels {
			mp.Relationships = append(mp.Relationships, toRel(rel))
		}
		out = append(out, mp)
	}
	return out, nil
}

func (r *Resolver) subgraph(ctx context.Context, ids []string, depth *int, kinds []model.EntityKind, types []model.RelationshipType, asOf *model.Date, statuses []model.ClaimStatus, limit *int) (*model.Subgraph, error) {
	sg, err := r.Read.Subgraph(ctx, kg.SubgraphQuery{IDs: ids, Depth: intOr(depth, kg.DefaultSubgraphDepth),
		Kinds: kindsOf(kinds), Types: typesOf(types), AsOf: dayOf(asOf), Limit: intOr(limit, kg.DefaultSubgraphNodes),
		Statuses: statusesOf(statuses)})
	if err != nil {
		return nil, err
	}
	out := &model.Subgraph{Nodes: toEntities(sg.Nodes), Relationships: []*model.Relationship{}, Truncated: sg.Truncated}
	for _, rel := range sg.Rels {
		out.Relationships = append(out.Relationships, toRel(rel))
	}
	return out, nil
}

func (r *Resolver) fundings(ctx context.Context, funder, recipient, programme *string, from, to *model.Date, statuses []model.ClaimStatus, first *int, after *string) (*model.FundingConnection, error) {
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	f := kg.FundingFilter{Funder: optString(funder), Recipient: optString(recipient), Programme: optString(programme), Statuses: statusesOf(statuses)}
	if from != nil {
		t := from.Start()
		f.From = &t
	}
	if to != nil {
		t := to.End()
		f.To = &t
	}
	p, err := r.Read.Fundings(ctx, f, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	conn := &model.FundingConnection{Edges: []*model.FundingEdge{}, Nodes: []*model.Funding{}}
	for i, x := range p.Items {
		m := toFunding(x)
		conn.Edges = append(conn.Edges, &model.FundingEdge{Cursor: p.Cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(p.Cursors, p.More, after != nil)
	conn.Count = func() (int, error) { return r.Read.CountFundings(ctx, f) }
	conn.Sums = func() ([]*model.Money, error) {
		ms, err := r.Read.FundingTotals(ctx, f)
		out := make([]*model.Money, 0, len(ms))
		for _, m := range ms {
			out = append(out, toMoney(m))
		}
		return out, err
	}
	return conn, nil
}

func (r *Resolver) sources(ctx context.Context, first *int, after *string) (*model.SourceConnection, error) {
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	p, err := r.Read.Sources(ctx, kg.Page{First: n, After: optString(after)})
	if err != nil {
		return nil, err
	}
	total, err := r.Read.CountSources(ctx)
	if err != nil {
		return nil, err
	}
	conn := &model.SourceConnection{Edges: []*model.SourceEdge{}, Nodes: []*model.Source{}, TotalCount: total}
	for i, s := range p.Items {
		m := toSource(s)
		conn.Edges = append(conn.Edges, &model.SourceEdge{Cursor: p.Cursors[i], Node: m})
		conn.Nodes = append(conn.Nodes, m)
	}
	conn.PageInfo = pageInfo(p.Cursors, p.More, after != nil)
	return conn, nil
}

func (r *Resolver) source(ctx context.Context, id string) (*model.Source, error) {
	s, err := r.Read.Source(ctx, id)
	if err != nil {
		return nil, err
	}
	return toSource(s), nil
}

func (r *Resolver) sourceFacts(ctx context.Context, id string, first *int, after *string) (*model.RelationshipConnection, error) {
	n, err := kg.PageSize(first, 50, kg.MaxPageSize)
	if err != nil {
		return nil, err
	}
	p, err := r.Read.SourceFacts(ctx, id, kg.Page{First: n, After: optString(after)})
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
	conn.Count = func() (int, error) { return r.Read.CountSourceFacts(ctx, id) }
	return conn, nil
}

func (r *Resolver) schemaInfo(ctx context.Context) *model.SchemaInfo {
	return &model.SchemaInfo{Counts: sync.OnceValues(func() (model.KindCounts, error) {
		ents, rels, err := r.Read.KindCounts(ctx)
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
