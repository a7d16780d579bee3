package graph

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/internal/kg"
)

// typedFields are the fields of entity types that list related entities
// ("Type.field"), each following one or more relationship patterns; the
// resolvers read them from here and so does treePlan, so that a tree
// fetched ahead answers exactly what the resolvers would have loaded.
var typedFields = map[string][]kg.RelFilter{
	"Agreement.parties": {
		{Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindGovernmentBody, kg.KindUniversity, kg.KindInstitute, kg.KindCompany, kg.KindOrganization, kg.KindLab, kg.KindDepartment, kg.KindPlace}, Types: []kg.RelType{"PARTY_TO", "SIGNED"}},
	},
	"Agreement.signatories": {
		{Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{"SIGNED"}},
	},
	"Company.partners": {
		{Direction: kg.Both, Kinds: nil, Types: []kg.RelType{"COLLABORATES_WITH", "PARTY_TO"}},
	},
	"Event.participants": {
		{Direction: kg.Incoming, Kinds: nil, Types: []kg.RelType{"ATTENDED", "SPOKE_AT", "ORGANISED", "CHAIRS"}},
	},
	"GovernmentBody.heads": {
		{Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{"HEADS", "CHAIRS", "DIRECTS"}},
	},
	"GovernmentBody.agreements": {
		{Direction: kg.Outgoing, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{"PARTY_TO", "SIGNED"}},
	},
	"GovernmentBody.established": {
		{Direction: kg.Outgoing, Kinds: nil, Types: []kg.RelType{"ESTABLISHED", "APPROVED"}},
	},
	"Institute.units": {
		{Direction: kg.Both, Kinds: []kg.Kind{kg.KindLab, kg.KindDepartment, kg.KindInstitute, kg.KindFacility}, Types: []kg.RelType{"PART_OF", "HOSTS"}},
	},
	"Institute.people": {
		{Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{"HEADS", "DIRECTS", "WORKS_AT", "MEMBER_OF", "CHAIRS"}},
	},
	"Lab.director": {
		{Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{"DIRECTS"}},
	},
	"Lab.host": {
		{Direction: kg.Incoming, Kinds: nil, Types: []kg.RelType{"HOSTS"}},
		{Direction: kg.Outgoing, Kinds: []kg.Kind{kg.KindUniversity, kg.KindInstitute}, Types: []kg.RelType{"PART_OF"}},
	},
	"Lab.partOf": {
		{Direction: kg.Outgoing, Kinds: nil, Types: []kg.RelType{"PART_OF"}},
	},
	"Person.signed": {
		{Direction: kg.Outgoing, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{"SIGNED", "WITNESSED"}},
	},
	"Person.events": {
		{Direction: kg.Outgoing, Kinds: []kg.Kind{kg.KindEvent}, Types: []kg.RelType{"ATTENDED", "SPOKE_AT", "CHAIRS", "ORGANISED"}},
	},
	"Project.participants": {
		{Direction: kg.Incoming, Kinds: nil, Types: []kg.RelType{"PARTICIPATED_IN", "CONTRIBUTED_TO", "LEADS", "PART_OF"}},
	},
	"University.labs": {
		{Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindLab}, Types: []kg.RelType{"PART_OF"}},
		{Direction: kg.Outgoing, Kinds: []kg.Kind{kg.KindLab}, Types: []kg.RelType{"HOSTS"}},
	},
	"University.people": {
		{Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{"HEADS", "DIRECTS", "WORKS_AT", "MEMBER_OF", "CHAIRS", "ALUMNUS_OF"}},
	},
	"University.agreements": {
		{Direction: kg.Outgoing, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{"PARTY_TO", "SIGNED"}},
	},
}

// treePlan returns the typed fields selected under the entity field of ctx,
// as a tree of kg.Expands, so that the entity and all of them can be fetched
// in one statement (store.EntityTree). Fields whose arguments are invalid
// are left out (their resolvers report the error), and so is everything past
// kg.MaxExpands patterns (their resolvers load them). With r.NoEntityTrees
// it plans nothing.
func (r *Resolver) treePlan(ctx context.Context) []kg.Expand {
	fc := graphql.GetFieldContext(ctx)
	if r.NoEntityTrees || fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	budget := kg.MaxExpands
	return planFor(graphql.GetOperationContext(ctx), fc.Field.Selections, kg.Kinds, &budget)
}

// planFor plans the typed fields of sel for an entity of any of kinds (a
// kind's label is its GraphQL type).
func planFor(oc *graphql.OperationContext, sel ast.SelectionSet, kinds []kg.KindInfo, budget *int) []kg.Expand {
	var out []kg.Expand
	for _, info := range kinds {
		k, typ := info.Kind, info.Label
		for _, f := range graphql.CollectFields(oc, sel, []string{typ, "Entity", "Node"}) {
			specs, ok := typedFields[typ+"."+f.Name]
			if !ok {
				continue
			}
			first, ok := firstArg(f, oc.Variables)
			if !ok {
				continue
			}
			for _, spec := range specs {
				if *budget <= 0 {
					return out
				}
				*budget--
				next := kg.Kinds
				if len(spec.Kinds) > 0 {
					next = nil
					for _, nk := range spec.Kinds {
						next = append(next, kg.KindInfo{Kind: nk, Label: nk.Label()})
					}
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
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	return n, err == nil
}

// primeTree primes the request's loaders with what plan found from the
// entity id of kind: the adjacency pages the typed fields' resolvers will
// ask for, and the entities reached.
func primeTree(l *Loaders, id string, kind kg.Kind, plan []kg.Expand, found [][]kg.Expanded) {
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
// patterns), far more than the level-by-level loads it replaces, while a
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
func (r *Resolver) PlanningTrees() int {
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
