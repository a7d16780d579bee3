package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/innograph/innograph/graph"
)

// repeatQuery writes n copies of field into one selection set.
func repeatQuery(n int, field string) string {
	return "query { " + strings.Repeat(field+" ", n) + "}"
}

// chain writes fragments F0..Fn where each Fi spreads F(i-1) k times: the
// expansion has k^n copies of F0 in a text that grows linearly with n.
func chain(n, k int, on, leaf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "fragment F0 on %s { %s }\n", on, leaf)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on %s { %s}\n", i, on, strings.Repeat(fmt.Sprintf("...F%d ", i-1), k))
	}
	return b.String()
}

// nested writes fragments Ni on Entity that select k neighbours each
// spreading N(i-1): k copies of one field per level, n levels deep.
func nested(n, k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query { entity(id: \"polyu\") { ...N%d } }\nfragment N0 on Entity { id }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment N%d on Entity { %s}\n", i, strings.Repeat(fmt.Sprintf("neighbours(first: 1) { entity { ...N%d } } ", i-1), k))
	}
	return b.String()
}

func newExecutor() *executor.Executor {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}})
	e := executor.New(es)
	e.SetParserTokenLimit(5000)
	e.Use(&graph.Limits{MaxCost: 50000, MaxDepth: 12, MaxTokens: 5000, MaxRepeat: 20})
	return e
}

// Whatever its shape, a request of a few kilobytes is rejected or accepted
// quickly: the limits are checked on the text before gqlgen's validator and
// complexity walk, which expand fragments (doubling-25 below took more than
// a minute of CPU before). Each case also says why it is rejected.
func TestLimitsRejectAbusiveShapes(t *testing.T) {
	e := newExecutor()
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  string // "" when the query must be accepted
	}{
		{"fragment doubling 25", "query { ...F25 }\n" + chain(25, 2, "Query", `entity(id: "polyu") { id name }`), nil, `answer to the name "entity"`},
		{"fragment tripling inside a field", `query { entity(id: "polyu") { ...F14 } }` + "\n" + chain(14, 3, "Entity", "id name"), nil, `answer to the name "id"`},
		{"bomb in an operation that is not run", "query cheap { schemaInfo { __typename } }\nquery bomb { ...F25 }\n" + chain(25, 2, "Query", "schemaInfo { __typename }"), nil, "answer to the name"},
		{"bomb in an unused fragment", "query { schemaInfo { __typename } }\n" + chain(25, 2, "Query", "schemaInfo { __typename }"), nil, "answer to the name"},
		{"one field repeated 1200 times", repeatQuery(1200, "schemaInfo { __typename }"), nil, "1200 fields answer"},
		{"neighbours nested through fragments", nested(5, 9), nil, "the query costs"},
		{"too deep", nested(6, 1), nil, "nested 14 levels deep"},
		{"lists multiply", `{ entities(first: 100) { nodes { relationships(first: 100) { nodes { id from { id } to { id } } } } } }`, nil, "the query costs"},
		{"a variable's value counts", `query($n: Int) { entities(first: $n) { nodes { neighbours(first: 100) { entity { id name kind aliases } } } } }`, map[string]any{"n": 100}, "the query costs"},
		{"defaults count", `{ entities { nodes { neighbours { entity { neighbours { entity { neighbours { entity { id } } } } } } } } }`, nil, "the query costs"},
		{"paths multiply by hops", `{ paths(from: "a", to: "b", maxHops: 6, first: 50) { nodes { neighbours(first: 100) { entity { id } } } } }`, nil, "the query costs"},
		{"too many tokens", repeatQuery(1, strings.Repeat("a: __typename ", 2000)), nil, "more than 5000 tokens"},
		{"huge integer", `{ entities(first: 99999999999999999999999) { nodes { id name } } }`, nil, "the largest page asked for is entities(first: 1000000 or more)"},
		{"the largest page is named", `{ entities(first: 100) { nodes { relationships(first: 600) { nodes { id } } } } }`, nil, "the largest page asked for is relationships(first: 600)"},
		{"a variable's page is named", `query($n: Int) { search(query: "x", first: $n) { score } }`, map[string]any{"n": 2147483648.0}, "the largest page asked for is search(first: 1000000 or more)"},

		{"distinct aliases are fine", "query { " + func() string {
			var b strings.Builder
			for i := range 300 {
				fmt.Fprintf(&b, "a%d: schemaInfo { __typename } ", i)
			}
			return b.String()
		}() + "}", nil, ""},
		{"a page of neighbours", `{ entity(id: "polyu") { id name neighbours(first: 50) { relationship { id type } entity { id name kind } } } }`, nil, ""},
		{"small nested fragments", nested(4, 3), nil, ""},
		{"introspection", introspectionQuery, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := graphql.StartOperationTrace(context.Background())
			start := time.Now()
			_, errs := e.CreateOperationContext(ctx, &graphql.RawParams{Query: tt.query, Variables: tt.vars})
			took := time.Since(start)
			// Generous for a loaded CI machine; the same shapes took seconds
			// to minutes when fragments were expanded.
			if took > time.Second {
				t.Errorf("took %v for %d bytes", took, len(tt.query))
			}
			if tt.want == "" {
				if len(errs) > 0 {
					t.Fatalf("rejected: %v", errs)
				}
				return
			}
			if len(errs) == 0 {
				t.Fatalf("accepted; want an error containing %q", tt.want)
			}
			if !strings.Contains(errs[0].Message, tt.want) {
				t.Errorf("error %q does not contain %q", errs[0].Message, tt.want)
			}
			if errs[0].Extensions["code"] != "LIMIT_EXCEEDED" {
				t.Errorf("code = %v, want LIMIT_EXCEEDED", errs[0].Extensions["code"])
			}
		})
	}
}

// The cost model, figure by figure.
func TestAnalyse(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	tests := []struct {
		query                string
		vars                 map[string]any
		cost, depth, repeats int
		page                 string
	}{
		{`{ entity(id: "x") { id name } }`, nil, 3, 2, 1, ""},
		// 1 + 10 × (nodes: 1 + id)
		{`{ entities(first: 10) { nodes { id } } }`, nil, 21, 3, 1, "entities(first: 10)"},
		// first defaults to 20.
		{`{ entities { nodes { id } } }`, nil, 41, 3, 1, "entities(first: 20)"},
		{`query($n: Int) { entities(first: $n) { nodes { id } } }`, map[string]any{"n": 5.0}, 11, 3, 1, "entities(first: 5)"},
		{`query($n: Int = 7) { entities(first: $n) { nodes { id } } }`, nil, 15, 3, 1, "entities(first: 7)"},
		// maxHops 2 and first 3: 1 + 3 × 3 × (length)
		{`{ paths(from: "a", to: "b", maxHops: 2, first: 3) { length } }`, nil, 10, 2, 1, "paths(first: 3)"},
		// Spreads count each time; the fragment is analysed once.
		{`{ a: entity(id: "x") { ...E } b: entity(id: "y") { ...E ...E } } fragment E on Entity { id }`, nil, 5, 2, 2, ""},
		{`{ __schema { types { name } } }`, nil, 3, 0, 1, ""},
	}
	for _, tt := range tests {
		doc, err := parser.ParseQuery(&ast.Source{Input: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		got := graph.Analyse(schema, doc, tt.vars)
		if got.Cost != tt.cost || got.Depth != tt.depth || got.Repeat != tt.repeats || got.Page != tt.page {
			t.Errorf("%s: cost %d depth %d repeat %d page %q; want %d %d %d %q", tt.query, got.Cost, got.Depth, got.Repeat, got.Page,
				tt.cost, tt.depth, tt.repeats, tt.page)
		}
	}
}

// BenchmarkLimitsFragmentBomb measures the server CPU a fragment bomb costs.
func BenchmarkLimitsFragmentBomb(b *testing.B) {
	e := newExecutor()
	q := "query { ...F25 }\n" + chain(25, 2, "Query", `entity(id: "polyu") { id name }`)
	ctx := graphql.StartOperationTrace(context.Background())
	for b.Loop() {
		if _, errs := e.CreateOperationContext(ctx, &graphql.RawParams{Query: q}); len(errs) == 0 {
			b.Fatal("accepted")
		}
	}
}

const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
