package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
)

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
	n, err := pageSize("first", first, 20, kg.MaxPageSize)
	return n, err == nil
}
