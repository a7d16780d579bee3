package graph_test

import (
	"slices"
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/kg"
)

// Every entity kind has a GraphQL object type, and it is in the schema.
func TestTypeNames(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	for _, k := range kg.Kinds {
		name, ok := graph.TypeNames[k.Kind]
		if !ok {
			t.Errorf("kind %s has no GraphQL type name", k.Kind)
			continue
		}
		if def := schema.Types[name]; def == nil || !slices.Contains(def.Interfaces, "Entity") {
			t.Errorf("kind %s: type %q is not an entity type of the schema", k.Kind, name)
		}
	}
	if len(graph.TypeNames) != len(kg.Kinds) {
		t.Errorf("%d type names for %d kinds", len(graph.TypeNames), len(kg.Kinds))
	}
}
