package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/innograph/innograph/graph/model"

	"github.com/innograph/innograph/internal/kg"
)

// DepthLimit rejects operations nested deeper than Max. Depth is computed
// once per fragment (memoized), so the work is linear in the query text
// however often fragments are spread.
type DepthLimit struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = DepthLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (DepthLimit) ExtensionName() string { return "DepthLimit" }

// Validate implements graphql.HandlerExtension.
func (DepthLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (d DepthLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || d.Max <= 0 {
		return nil
	}
	memo := map[string]int{}
	var depth func(ss ast.SelectionSet, visiting map[string]bool) int
	depth = func(ss ast.SelectionSet, visiting map[string]bool) int {
		best := 0
		for _, sel := range ss {
			switch s := sel.(type) {
			case *ast.Field:
				// Introspection (__schema, __type) is bounded by the schema
				// itself; tools' standard introspection query is deeper than
				// any data query needs to be.
				if strings.HasPrefix(s.Name, "__") {
					continue
				}
				n := 0
				if len(s.SelectionSet) > 0 {
					n = depth(s.SelectionSet, visiting)
				}
				if n+1 > best {
					best = n + 1
				}
			case *ast.InlineFragment:
				if n := depth(s.SelectionSet, visiting); n > best {
					best = n
				}
			case *ast.FragmentSpread:
				n, ok := memo[s.Name]
				if !ok && !visiting[s.Name] && s.Definition != nil {
					visiting[s.Name] = true
					n = depth(s.Definition.SelectionSet, visiting)
					delete(visiting, s.Name)
					memo[s.Name] = n
				}
				if n > best {
					best = n
				}
			}
		}
		return best
	}
	if got := depth(oc.Operation.SelectionSet, map[string]bool{}); got > d.Max {
		err := gqlerror.Errorf("query is nested %d levels deep; at most %d allowed: split it into several queries", got, d.Max)
		err.Extensions = map[string]any{"code": kg.CodeLimit}
		return err
	}
	return nil
}

func mul(child int, n *int, def int) int {
	k := def
	if n != nil && *n > 0 {
		k = *n
	}
	return 1 + child*k
}

// SetComplexity makes list fields cost their page size times their children,
// so FixedComplexityLimit bounds the work a query can ask for.
func SetComplexity(c *Config) {
	q := &c.Complexity.Query
	q.Entities = func(child int, _ []model.EntityKind, _ *model.EntityFilter, _ *model.EntityOrder, first *int, _ *string) int {
		return mul(child, first, 20)
	}
	q.Search = func(child int, _ string, _ []model.EntityKind, first *int) int { return mul(child, first, 10) }
	q.Paths = func(child int, _, _ string, maxHops, first *int, _ []model.RelationshipType, _ *model.Date, _ *bool) int {
		h := 4
		if maxHops != nil {
			h = *maxHops
		}
		return mul(child*(h+1), first, 3)
	}
	q.Subgraph = func(child int, _ []string, _ *int, _ []model.EntityKind, _ []model.RelationshipType, _ *model.Date, limit *int) int {
		return mul(child, limit, 100)
	}
	q.Fundings = func(child int, _, _, _ *string, _, _ *model.Date, first *int, _ *string) int {
		return mul(child, first, 20)
	}
	q.Sources = func(child int, first *int, _ *string) int { return mul(child, first, 20) }
}
