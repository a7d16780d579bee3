package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
)

// entity answers Query.entity: the entity with the typed fields the query
// selects under it (treePlan), read ahead in one statement when it can be.
func (r *Resolver) entity(ctx context.Context, id string) (model.Entity, error) {
	e, err := r.Read.Entity(ctx, id, treePlan(ctx))
	if err != nil {
		return nil, err
	}
	return toEntity(e), nil
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
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
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
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
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
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
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
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
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
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
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

// treePlan returns the typed fields (read.Field) selected under the entity
// field of ctx, as a tree of kg.Expands, so that the entity and all of them
// can be fetched in one statement (Reader.Entity). Fields whose arguments
// are invalid are left out (their resolvers report the error), and so is
// everything past kg.MaxExpands patterns (their resolvers load them).
func treePlan(ctx context.Context) []kg.Expand {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	oc := graphql.GetOperationContext(ctx)
	if !selectsTyped(oc.Doc, fc.Field.Selections) {
		return nil // most lookups: nothing to plan, and no kind to collect fields for
	}
	budget := kg.MaxExpands
	return planFor(oc, fc.Field.Selections, allKinds, &budget)
}

// typedNames are the names of the typed fields of every kind.
var typedNames = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range read.Fields {
		m[f.Name] = true
	}
	return m
}()

// selectsTyped reports whether sel, fragments included, selects a field
// named as a typed field is, at any depth.
func selectsTyped(doc *ast.QueryDocument, sel ast.SelectionSet) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if typedNames[s.Name] || selectsTyped(doc, s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if selectsTyped(doc, s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if doc == nil {
				return true // cannot tell: plan
			}
			if f := doc.Fragments.ForName(s.Name); f == nil || selectsTyped(doc, f.SelectionSet) {
				return true
			}
		}
	}
	return false
}

// TypeNames are the GraphQL object types of the entity kinds (the schema's
// names; a kind's Neo4j label is the store's business).
var TypeNames = map[kg.Kind]string{
	kg.KindPerson: "Person", kg.KindUniversity: "University", kg.KindLab: "Lab",
	kg.KindGovernmentBody: "GovernmentBody", kg.KindAgreement: "Agreement", kg.KindProject: "Project",
	kg.KindInstitute: "Institute", kg.KindCompany: "Company", kg.KindDepartment: "Department",
	kg.KindFacility: "Facility", kg.KindEvent: "Event", kg.KindPolicy: "Policy", kg.KindPlace: "Place",
	kg.KindOrganization: "Organization",
}

var allKinds = func() []kg.Kind {
	out := make([]kg.Kind, len(kg.Kinds))
	for i, k := range kg.Kinds {
		out[i] = k.Kind
	}
	return out
}()

// planFor plans the typed fields of sel for an entity of any of kinds.
func planFor(oc *graphql.OperationContext, sel ast.SelectionSet, kinds []kg.Kind, budget *int) []kg.Expand {
	var out []kg.Expand
	for _, k := range kinds {
		for _, f := range graphql.CollectFields(oc, sel, []string{TypeNames[k], "Entity", "Node"}) {
			field, ok := read.FieldOf(k, f.Name)
			if !ok {
				continue
			}
			first, ok := firstArg(f, oc.Variables)
			if !ok {
				continue
			}
			for _, spec := range field.Patterns {
				if *budget <= 0 {
					return out
				}
				*budget--
				next := allKinds
				if len(spec.Kinds) > 0 {
					next = spec.Kinds
				}
				out = append(out, kg.Expand{Filter: spec, First: first, On: []kg.Kind{k}})
				out[len(out)-1].Next = planFor(oc, f.Selections, next, budget)
			}
		}
	}
	return out
}

// firstArg returns the page size a typed field's resolver will use, and
// false when its argument is invalid.
func firstArg(f graphql.CollectedField, vars map[string]any) (int, bool) {
	var first *int
	switch v := f.ArgumentMap(vars)["first"].(type) {
	case nil:
	case int64:
		n := int(v)
		first = &n
	case int:
		first = &v
	default:
		return 0, false
	}
	n, err := kg.PageSize(first, 20, kg.MaxPageSize)
	return n, err == nil
}

// Conversions of kg values to GraphQL models follow.

// toEntity converts a kg.Entity to the GraphQL type of its kind.
func toEntity(e kg.Entity) model.Entity {
	kind := model.EntityKind(e.Kind)
	aliases := e.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	desc := optStr(e.Description)
	switch e.Kind {
	case kg.KindPerson:
		return &model.Person{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindUniversity:
		return &model.University{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindLab:
		return &model.Lab{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindGovernmentBody:
		return &model.GovernmentBody{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindAgreement:
		return &model.Agreement{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindProject:
		return &model.Project{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindInstitute:
		return &model.Institute{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindCompany:
		return &model.Company{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindDepartment:
		return &model.Department{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindFacility:
		return &model.Facility{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindEvent:
		return &model.Event{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindPolicy:
		return &model.Policy{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindPlace:
		return &model.Place{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindOrganization:
		return &model.Organization{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	default:
		return &model.Organization{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	}
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toEvidence(evs []kg.Evidence) []*model.Evidence {
	out := make([]*model.Evidence, 0, len(evs))
	for _, ev := range evs {
		out = append(out, &model.Evidence{Quote: ev.Quote, SourceID: ev.SourceID,
			Status: model.ClaimStatus(ev.Status.Or(kg.StatusAsserted)), AttributedToID: ev.AttributedTo})
	}
	return out
}

func toRel(r kg.Relationship) *model.Relationship {
	return &model.Relationship{
		ID: r.ID, Type: model.RelationshipType(r.Type), FromID: r.From, ToID: r.To, Role: optStr(r.Role),
		Since: model.DateOf(r.Since), Until: model.DateOf(r.Until), On: model.DateOf(r.On),
		Evidence: toEvidence(r.Evidence), Status: claimStatus(r.Status, r.Evidence), FundingID: r.FundingID,
	}
}

func toMoney(m kg.Money) *model.Money {
	return &model.Money{Value: m.Value, Currency: m.Currency, Note: optStr(m.Note)}
}

func toFunding(f kg.Funding) *model.Funding {
	out := &model.Funding{
		ID: f.ID, FunderID: f.Funder, RecipientIDs: f.Recipients, AdministeredBy: f.AdministeredBy,
		ProgrammeID: f.Programme, Purpose: optStr(f.Purpose), Evidence: toEvidence(f.Evidence),
		Status: claimStatus(f.Status, f.Evidence),
	}
	if f.Amount != nil {
		out.Amount = toMoney(*f.Amount)
	}
	if f.Since != nil || f.Until != nil || f.On != nil {
		out.Period = &model.Period{Since: model.DateOf(f.Since), Until: model.DateOf(f.Until), On: model.DateOf(f.On)}
	}
	return out
}

func toSource(s kg.Source) *model.Source {
	return &model.Source{
		ID: s.ID, Title: s.Title, Publisher: optStr(s.Publisher), Author: optStr(s.Author),
		Published: model.DateOf(s.Published), URL: optStr(s.URL), File: optStr(s.File),
	}
}

func pageInfo(cursors []string, more, hasPrev bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: more, HasPreviousPage: hasPrev}
	if len(cursors) > 0 {
		pi.StartCursor = &cursors[0]
		pi.EndCursor = &cursors[len(cursors)-1]
	}
	return pi
}

func kindsOf(ks []model.EntityKind) []kg.Kind {
	out := make([]kg.Kind, 0, len(ks))
	for _, k := range ks {
		out = append(out, kg.Kind(k))
	}
	return out
}

func typesOf(ts []model.RelationshipType) []kg.RelType {
	out := make([]kg.RelType, 0, len(ts))
	for _, t := range ts {
		out = append(out, kg.RelType(t))
	}
	return out
}

// claimStatus is a record's status: the one stored, or else the strongest of
// its evidence.
func claimStatus(s kg.ClaimStatus, evs []kg.Evidence) model.ClaimStatus {
	return model.ClaimStatus(kg.StatusOf(s, evs))
}

func statusesOf(ss []model.ClaimStatus) []kg.ClaimStatus {
	out := make([]kg.ClaimStatus, 0, len(ss))
	for _, s := range ss {
		out = append(out, kg.ClaimStatus(s))
	}
	return out
}
