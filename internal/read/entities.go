package read

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/innograph/innograph/internal/kg"
)

// Entity returns the entity with id, or a NOT_FOUND error, in one
// statement. plan lists the typed fields the caller will read under it (see
// Field): once Neo4j has planned a tree of that shape (treeShapes), they come
// in the same statement, and the loaders are primed with what it found, so
// that Related answers from memory; until then, the entity comes alone and
// they load level by level. The entity is primed too.
func (r *Reader) Entity(ctx context.Context, id string, plan []kg.Expand) (kg.Entity, error) {
	if err := kg.CheckID("id", id); err != nil {
		return kg.Entity{}, err
	}
	if len(plan) > 0 && !r.trees.ready(r.st, id, plan) {
		plan = nil
	}
	m, err := r.st.EntityTrees(ctx, []string{id}, plan)
	if err != nil {
		return kg.Entity{}, err
	}
	t, ok := m[id]
	if !ok {
		return kg.Entity{}, notFound("id", "entity", id)
	}
	e := t.Root
	l := r.loadersOf(ctx)
	l.Entity.Prime(id, &e)
	primeTree(l, e.ID, e.Kind, plan, t.Found)
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
		_, err := s.EntityTrees(ctx, []string{id}, plan)
		t.mu.Lock()
		defer t.mu.Unlock()
		if err == nil {
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

// Field is a typed field of an entity kind that lists related entities (a
// university's labs, a lab's director): the relationship patterns it follows
// and how their answers combine. Entity trees (Entity) follow the same
// patterns, so that a tree fetched ahead answers exactly what Related would
// load.
type Field struct {
	// Kind is the kind of entity that has the field; Name its GraphQL name.
	Kind kg.Kind
	Name string
	// Patterns are followed from the entity, each with the field's page size.
	Patterns []kg.RelFilter
	// Fallback: the answer is the first pattern's that finds any entity;
	// otherwise it is every pattern's, deduplicated, in pattern order, at
	// most the page size.
	Fallback bool
	// Of keeps only entities of this kind ("": any kind).
	Of kg.Kind
}

var (
	orgs = []kg.Kind{kg.KindGovernmentBody, kg.KindUniversity, kg.KindInstitute, kg.KindCompany, kg.KindOrganization, kg.KindLab, kg.KindDepartment, kg.KindPlace}
	in   = kg.Incoming
	out  = kg.Outgoing
)

// The typed fields.
var (
	AgreementParties = Field{Kind: kg.KindAgreement, Name: "parties", Patterns: []kg.RelFilter{
		{Direction: in, Kinds: orgs, Types: []kg.RelType{kg.RelPartyTo, kg.RelSigned}}}}
	AgreementSignatories = Field{Kind: kg.KindAgreement, Name: "signatories", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelSigned}}}}
	CompanyPartners = Field{Kind: kg.KindCompany, Name: "partners", Patterns: []kg.RelFilter{
		{Direction: kg.Both, Types: []kg.RelType{kg.RelCollaboratesWith, kg.RelPartyTo}}}}
	EventParticipants = Field{Kind: kg.KindEvent, Name: "participants", Patterns: []kg.RelFilter{
		{Direction: in, Types: []kg.RelType{kg.RelAttended, kg.RelSpokeAt, kg.RelOrganised, kg.RelChairs}}}}
	GovernmentBodyHeads = Field{Kind: kg.KindGovernmentBody, Name: "heads", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelHeads, kg.RelChairs, kg.RelDirects}}}}
	GovernmentBodyAgreements = Field{Kind: kg.KindGovernmentBody, Name: "agreements", Of: kg.KindAgreement, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{kg.RelPartyTo, kg.RelSigned}}}}
	GovernmentBodyEstablished = Field{Kind: kg.KindGovernmentBody, Name: "established", Patterns: []kg.RelFilter{
		{Direction: out, Types: []kg.RelType{kg.RelEstablished, kg.RelApproved}}}}
	InstituteUnits = Field{Kind: kg.KindInstitute, Name: "units", Patterns: []kg.RelFilter{
		{Direction: kg.Both, Kinds: []kg.Kind{kg.KindLab, kg.KindDepartment, kg.KindInstitute, kg.KindFacility}, Types: []kg.RelType{kg.RelPartOf, kg.RelHosts}}}}
	InstitutePeople = Field{Kind: kg.KindInstitute, Name: "people", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelHeads, kg.RelDirects, kg.RelWorksAt, kg.RelMemberOf, kg.RelChairs}}}}
	LabDirector = Field{Kind: kg.KindLab, Name: "director", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelDirects}}}}
	LabHost = Field{Kind: kg.KindLab, Name: "host", Fallback: true, Patterns: []kg.RelFilter{
		{Direction: in, Types: []kg.RelType{kg.RelHosts}},
		{Direction: out, Kinds: []kg.Kind{kg.KindUniversity, kg.KindInstitute}, Types: []kg.RelType{kg.RelPartOf}}}}
	LabPartOf = Field{Kind: kg.KindLab, Name: "partOf", Patterns: []kg.RelFilter{
		{Direction: out, Types: []kg.RelType{kg.RelPartOf}}}}
	PersonSigned = Field{Kind: kg.KindPerson, Name: "signed", Of: kg.KindAgreement, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{kg.RelSigned, kg.RelWitnessed}}}}
	PersonEvents = Field{Kind: kg.KindPerson, Name: "events", Of: kg.KindEvent, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindEvent}, Types: []kg.RelType{kg.RelAttended, kg.RelSpokeAt, kg.RelChairs, kg.RelOrganised}}}}
	ProjectParticipants = Field{Kind: kg.KindProject, Name: "participants", Patterns: []kg.RelFilter{
		{Direction: in, Types: []kg.RelType{kg.RelParticipatedIn, kg.RelContributedTo, kg.RelLeads, kg.RelPartOf}}}}
	UniversityLabs = Field{Kind: kg.KindUniversity, Name: "labs", Of: kg.KindLab, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindLab}, Types: []kg.RelType{kg.RelHosts}},
		{Direction: in, Kinds: []kg.Kind{kg.KindLab}, Types: []kg.RelType{kg.RelPartOf}}}}
	UniversityPeople = Field{Kind: kg.KindUniversity, Name: "people", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelHeads, kg.RelDirects, kg.RelWorksAt, kg.RelMemberOf, kg.RelChairs, kg.RelAlumnusOf}}}}
	UniversityAgreements = Field{Kind: kg.KindUniversity, Name: "agreements", Of: kg.KindAgreement, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{kg.RelPartyTo, kg.RelSigned}}}}
)

// Fields lists every typed field.
var Fields = []*Field{
	&AgreementParties, &AgreementSignatories, &CompanyPartners, &EventParticipants,
	&GovernmentBodyHeads, &GovernmentBodyAgreements, &GovernmentBodyEstablished,
	&InstituteUnits, &InstitutePeople, &LabDirector, &LabHost, &LabPartOf,
	&PersonSigned, &PersonEvents, &ProjectParticipants,
	&UniversityLabs, &UniversityPeople, &UniversityAgreements,
}

type fieldKey struct {
	kind kg.Kind
	name string
}

var fieldIndex = func() map[fieldKey]*Field {
	m := make(map[fieldKey]*Field, len(Fields))
	for _, f := range Fields {
		k := fieldKey{f.Kind, f.Name}
		if m[k] != nil {
			panic(fmt.Sprintf("read: typed field %s.%s listed twice", f.Kind, f.Name))
		}
		if err := f.check(); err != nil {
			panic(err)
		}
		m[k] = f
	}
	return m
}()

// FieldOf returns the typed field name of kind, and false when kind has no
// typed field of that name.
func FieldOf(kind kg.Kind, name string) (*Field, bool) {
	f, ok := fieldIndex[fieldKey{kind, name}]
	return f, ok
}

// check reports a field naming a kind or relationship type that does not
// exist: a pattern with one would silently match nothing.
func (f *Field) check() error {
	if !f.Kind.Valid() || f.Of != "" && !f.Of.Valid() || len(f.Patterns) == 0 {
		return fmt.Errorf("read: typed field %s.%s: bad kind or no pattern", f.Kind, f.Name)
	}
	for _, p := range f.Patterns {
		for _, t := range p.Types {
			if !t.Valid() {
				return fmt.Errorf("read: typed field %s.%s: unknown relationship type %q", f.Kind, f.Name, t)
			}
		}
		for _, k := range p.Kinds {
			if !k.Valid() {
				return fmt.Errorf("read: typed field %s.%s: unknown kind %q", f.Kind, f.Name, k)
			}
		}
	}
	return nil
}
