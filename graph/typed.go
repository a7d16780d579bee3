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
	budget := kg.MaxExpands
	return planFor(graphql.GetOperationContext(ctx), fc.Field.Selections, allKinds, &budget)
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
