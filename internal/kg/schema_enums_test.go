package kg_test

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/internal/kg"
)

// The GraphQL enums and the domain's lists must name exactly the same kinds
// and relationship types: a kind added on one side only fails here.
func TestSchemaEnumsMatchDomain(t *testing.T) {
	path := filepath.Join("..", "..", "schema.graphqls")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(b)})
	if gerr != nil {
		t.Fatalf("schema.graphqls does not load: %v", gerr)
	}
	var kinds, types []string
	for _, k := range kg.Kinds {
		kinds = append(kinds, string(k.Kind))
	}
	for _, r := range kg.RelTypes {
		types = append(types, string(r.Type))
	}
	tests := []struct {
		enum string
		want []string
		desc map[string]string
	}{
		{"EntityKind", kinds, kindDescriptions()},
		{"RelationshipType", types, relDescriptions()},
	}
	for _, tt := range tests {
		t.Run(tt.enum, func(t *testing.T) {
			def := schema.Types[tt.enum]
			if def == nil || def.Kind != ast.Enum {
				t.Fatalf("schema has no enum %s", tt.enum)
			}
			var got []string
			for _, v := range def.EnumValues {
				got = append(got, v.Name)
				if want, ok := tt.desc[v.Name]; ok && v.Description != want {
					t.Errorf("%s.%s description %q differs from the domain's %q", tt.enum, v.Name, v.Description, want)
				}
			}
			missing, extra := diff(tt.want, got)
			if len(missing) > 0 {
				t.Errorf("%s lacks values the domain defines: %v", tt.enum, missing)
			}
			if len(extra) > 0 {
				t.Errorf("%s has values the domain does not define: %v", tt.enum, extra)
			}
			if len(got) != len(tt.want) {
				t.Errorf("%s has %d values, the domain %d", tt.enum, len(got), len(tt.want))
			}
		})
	}
	// Every kind is also a GraphQL object type implementing Entity.
	for _, k := range kg.Kinds {
		def := schema.Types[k.Label]
		if def == nil || def.Kind != ast.Object {
			t.Errorf("kind %s: schema has no object type %s", k.Kind, k.Label)
			continue
		}
		if !contains(def.Interfaces, "Entity") {
			t.Errorf("type %s does not implement Entity", k.Label)
		}
	}
}

func kindDescriptions() map[string]string {
	m := map[string]string{}
	for _, k := range kg.Kinds {
		m[string(k.Kind)] = k.Description
	}
	return m
}

func relDescriptions() map[string]string {
	m := map[string]string{}
	for _, r := range kg.RelTypes {
		m[string(r.Type)] = r.Description
	}
	return m
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// diff returns the elements of want missing from got, and of got not in want.
func diff(want, got []string) (missing, extra []string) {
	w, g := map[string]bool{}, map[string]bool{}
	for _, s := range want {
		w[s] = true
	}
	for _, s := range got {
		g[s] = true
		if !w[s] {
			extra = append(extra, s)
		}
	}
	for _, s := range want {
		if !g[s] {
			missing = append(missing, s)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}
