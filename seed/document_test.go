package seed

import (
	"errors"
	"strings"
	"testing"
)

// A file holds one YAML document: a second one, valid or not, is refused at
// its --- (yaml.Unmarshal read the first and dropped the rest in silence).
// Names, aliases and descriptions may not hold control or bidirectional
// formatting characters (kg.CheckText).
func TestParseDocumentAndText(t *testing.T) {
	const head = "source:\n  id: s-doc\n  title: Doc\nentities:\n" // 4 lines
	const entity = "  - id: doc-lab\n    kind: LAB\n    name: Doc Lab\n"
	type want struct {
		line int
		msg  string
	}
	for _, tc := range []struct {
		name, data string
		want       []want // none: the file parses
	}{
		{"one document", head + entity, nil},
		{"explicit start and end", "---\n" + head + entity + "...\n", nil},
		{"three dashes inside a block scalar", head + entity + "    description: |\n      a\n      ---x\n", nil},
		{"second document", head + entity + "---\nsource:\n  id: s-two\n", []want{{8, "a second YAML document starts here; one YAML document per file"}}},
		{"second document with explicit first", "---\n" + head + entity + "--- # more\nfoo: 1\n", []want{{9, "one YAML document per file"}}},
		{"invalid second document", head + entity + "\n---\n: : [\n", []want{{9, "one YAML document per file"}}},
		{"empty second document", head + entity + "---\n", []want{{8, "one YAML document per file"}}},
		{"after a document end", head + entity + "...\nfoo: 1\n", []want{{8, "one YAML document per file"}}},
		{"NUL in a name", head + "  - id: doc-lab\n    kind: LAB\n    name: \"Doc\\0Lab\"\n", []want{{5, `entity doc-lab: name: "Doc\x00Lab" contains the control character U+0000`}}},
		{"override in a description", head + entity + "    description: \"abc\\u202Edef\"\n", []want{{5, `description: "abc\u202edef" contains the bidirectional formatting character U+202E`}}},
		{"C1 in an alias", head + entity + "    aliases: [\"Doc\\x85Lab\"]\n", []want{{5, `aliases: "Doc\u0085Lab" contains the control character U+0085`}}},
		{"isolate in a reference's alias", head + entity + "  - ref: doc-lab\n    aliases: [\"Lab\\u2066\"]\n", []want{{8, `reference doc-lab: aliases: "Lab\u2066" contains the bidirectional formatting character U+2066`}}},
		{"tab and line breaks are white space", head + entity + "    description: \"a\\tb\\r\\nc\"\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]File{{Name: "doc.yaml", Data: []byte(tc.data)}}, nil)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %v, want Problems", err)
			}
			if len(ps) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(tc.want), err)
			}
			for i, w := range tc.want {
				if p := ps[i]; p.File != "doc.yaml" || p.Line != w.line || !strings.Contains(p.Msg, w.msg) {
					t.Errorf("problem %d = %s\nwant       doc.yaml:%d: …%s…", i, p, w.line, w.msg)
				}
			}
		})
	}
}
