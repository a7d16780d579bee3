package seed

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/kg"
)

func fixtureDocs(t testing.TB) map[string]string {
	t.Helper()
	docs, err := LoadDocs(filepath.Join("testdata", "docs"))
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func readFixtures(t testing.TB, paths ...string) []File {
	t.Helper()
	files, err := ReadFiles(paths)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Each bad fixture is parsed together with the valid testdata/happy/a.yaml
// (whose entities it may use) and must yield exactly the problems listed.
func TestParseProblems(t *testing.T) {
	const happy = "testdata/happy/a.yaml"
	type want struct {
		line int
		msg  string // substring of the problem message
	}
	tests := []struct {
		name string
		file string
		want []want
	}{
		{"unknown kind", "unknown-kind.yaml", []want{{7, `kind: unknown entity kind "SCHOOL"`}}},
		{"unknown relationship type", "unknown-reltype.yaml", []want{{11, `type: unknown relationship type "ADMIRES"`}}},
		{"dangling endpoint", "dangling-endpoint.yaml", []want{{7, `dangling to: no entity with id "example-institute"`}}},
		{"duplicate id", "duplicate-id.yaml", []want{{10, `duplicate entity id "example-lab" (first defined at testdata/happy/a.yaml:14)`}}},
		{"alias collides with another entity's name", "alias-collision.yaml", []want{{7, `name or alias "Example  Lab" of "example-lab-annex" collides with a name or alias of "example-lab" (testdata/happy/a.yaml:14)`}}},
		{"missing quote", "missing-quote.yaml", []want{{7, "missing provenance: quote is required"}}},
		{"quote not in document", "quote-not-in-document.yaml", []want{{11, `quote does not occur verbatim in fake.txt: "Jane Roe is the president`}}},
		{"malformed amount", "malformed-amount.yaml", []want{{7, `amount: malformed amount "1 million"`}}},
		{"unknown currency", "unknown-currency.yaml", []want{{7, `amount: unknown currency "HK$"`}}},
		{"malformed date", "malformed-date.yaml", []want{{7, `since: malformed date "2019-02-30"`}}},
		{"unknown key", "unknown-key.yaml", []want{{10, `unknown key "note" in entity`}}},
		{"ref to undefined entity", "undefined-ref.yaml", []want{{9, `ref "example-institute" does not name an entity defined in any seed file`}}},
		{"invalid YAML", "invalid-yaml.yaml", []want{{9, "not valid YAML: line 9: mapping values are not allowed"}}},
		{"source document unknown", "unknown-document.yaml", []want{{2, `source.file "missing.txt" is not among the source documents`}}},
		{"document not the one digested", "digest-mismatch.yaml", []want{{2, `source document fake2.txt does not match source.digest: the file is sha256:c253eb89fc02e3dd82c1274fc753cba89b2a5077722f80e3db2e6f2f00de565c, the seed expects sha256:a07ca305`}}},
		{"digest malformed", "digest-malformed.yaml", []want{{2, `source.digest "md5:0123456789abcdef" is not a digest: want sha256: and 64 lowercase hex digits`}}},
		{"source url not a web address", "source-url.yaml", []want{{2, `source.url "javascript:alert(1)" is not a web address`}}},
		{"self loop", "self-loop.yaml", []want{{7, `cannot connect "jane-roe" to itself`}}},
		{"unknown claim status", "unknown-status.yaml", []want{
			{7, `status: unknown claim status "RUMOURED": want ASSERTED, REPORTED, PLANNED or OPINION`},
			{13, `status: unknown claim status "likely"`}}},
		{"attribution to an unknown entity", "unknown-attribution.yaml", []want{
			{7, `dangling attributedTo: no entity with id "example-gazette"`},
			{14, `dangling attributedTo: no entity with id "example-press-office"`}}},
		{"conflicting restatement", "conflicting-restatement.yaml", []want{{7, `restates since as "2016" but testdata/happy/a.yaml:34 says "2015"`}}},
	}
	docs := fixtureDocs(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := filepath.Join("testdata", "bad", tt.file)
			g, err := Parse(readFixtures(t, happy, bad), docs)
			if err == nil {
				t.Fatalf("Parse accepted %s: %d entities, %d relationships", bad, len(g.Entities), len(g.Relationships))
			}
			if g != nil {
				t.Error("Parse returned a graph along with problems")
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error is %T, want Problems: %v", err, err)
			}
			if len(ps) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(tt.want), err)
			}
			for i, w := range tt.want {
				p := ps[i]
				if p.File != bad || p.Line != w.line || !strings.Contains(p.Msg, w.msg) {
					t.Errorf("problem %d = %s\nwant       %s:%d: …%s…", i, p, bad, w.line, w.msg)
				}
			}
			if !strings.Contains(err.Error(), bad+":") {
				t.Errorf("error text does not name the file: %v", err)
			}
		})
	}
}

// Problems from several files are all reported, sorted by file and line.
func TestParseReportsEveryProblemSorted(t *testing.T) {
	files := readFixtures(t, "testdata/happy/a.yaml", "testdata/bad/unknown-reltype.yaml", "testdata/bad/malformed-amount.yaml", "testdata/bad/unknown-key.yaml")
	_, err := Parse(files, fixtureDocs(t))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		if a.File > b.File || (a.File == b.File && a.Line > b.Line) {
			t.Errorf("problems not sorted: %s before %s", a, b)
		}
	}
}

func TestParseHappyPathMerges(t *testing.T) {
	files := readFixtures(t, "testdata/happy")
	if len(files) != 2 || files[0].Name != filepath.Join("testdata/happy", "a.yaml") {
		t.Fatalf("ReadFiles(dir) = %d files, first %q", len(files), files[0].Name)
	}
	g, err := Parse(files, fixtureDocs(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(g.Sources) != 2 || g.Sources[0].ID != "s-fake-a" || g.Sources[1].ID != "s-fake-b" {
		t.Fatalf("sources = %+v", g.Sources)
	}
	if p := g.Sources[0].Published; p == nil || p.String() != "2019-05-03" || p.Precision != kg.PrecisionDay {
		t.Errorf("published = %v", p)
	}
	if len(g.Entities) != 4 || len(g.Relationships) != 3 || len(g.Fundings) != 1 || len(g.Mentions) != 0 {
		t.Fatalf("counts: %d entities, %d relationships, %d fundings, %d mentions; want 4, 3, 1, 0",
			len(g.Entities), len(g.Relationships), len(g.Fundings), len(g.Mentions))
	}
	ents := map[string]kg.Entity{}
	for _, e := range g.Entities {
		ents[e.ID] = e
	}
	uni := ents["example-university"]
	if want := []string{"Example University", "EU"}; !reflect.DeepEqual(uni.Aliases, want) {
		t.Errorf("university aliases = %q, want %q (ref adds new aliases only once)", uni.Aliases, want)
	}
	if want := []string{"s-fake-a", "s-fake-b"}; !reflect.DeepEqual(uni.Sources, want) {
		t.Errorf("university sources = %q, want %q", uni.Sources, want)
	}
	if want := []string{"Professor Jane Roe"}; !reflect.DeepEqual(ents["jane-roe"].Aliases, want) {
		t.Errorf("jane-roe aliases = %q, want %q (an alias equal to the name is not added)", ents["jane-roe"].Aliases, want)
	}
	// example-lab is never referenced by b.yaml, but b's evidence touches it.
	if want := []string{"s-fake-a", "s-fake-b"}; !reflect.DeepEqual(ents["example-lab"].Sources, want) {
		t.Errorf("example-lab sources = %q, want %q", ents["example-lab"].Sources, want)
	}
	if want := []string{"s-fake-a"}; !reflect.DeepEqual(ents["example-council"].Sources, want) {
		t.Errorf("example-council sources = %q, want %q", ents["example-council"].Sources, want)
	}

	rels := map[string]kg.Relationship{}
	for _, r := range g.Relationships {
		rels[r.ID] = r
	}
	hosts, ok := rels["example-university~hosts~example-lab"]
	if !ok {
		t.Fatalf("no merged HOSTS relationship; have %v", keys(rels))
	}
	wantEv := []kg.Evidence{
		{SourceID: "s-fake-a", Quote: "The Example University hosts the Example Lab", Status: kg.StatusAsserted},
		{SourceID: "s-fake-b", Quote: "The Example University (EU) hosts the Example Lab.", Status: kg.StatusAsserted},
	}
	if !reflect.DeepEqual(hosts.Evidence, wantEv) {
		t.Errorf("HOSTS evidence = %+v, want %+v", hosts.Evidence, wantEv)
	}
	directs := rels["jane-roe~directs~example-lab"]
	if len(directs.Evidence) != 2 || directs.Role != "Director" {
		t.Errorf("DIRECTS = %+v; want 2 evidence items and the role from the second file", directs)
	}
	if directs.Evidence[0].Quote != "the Example Lab, which is directed by Professor Jane Roe" {
		t.Errorf("quote spanning a line break is not collapsed: %q", directs.Evidence[0].Quote)
	}
	works := rels["jane-roe~works_at~example-university"]
	if works.Since == nil || works.Since.String() != "2015" || works.Since.Precision != kg.PrecisionYear {
		t.Errorf("WORKS_AT since = %v", works.Since)
	}

	f := g.Fundings[0]
	if f.ID != "council-grant-2019" || f.Funder != "example-council" || !reflect.DeepEqual(f.Recipients, []string{"example-lab"}) {
		t.Errorf("funding = %+v", f)
	}
	if f.Amount == nil || *f.Amount != (kg.Money{Value: "1000000", Currency: "HKD"}) {
		t.Errorf("amount = %+v", f.Amount)
	}
	if f.On == nil || f.On.String() != "2019" {
		t.Errorf("funding on = %v", f.On)
	}
}

// Without documents, quotes are only required, not checked; with Known,
// references to entities outside the files become mentions.
func TestParserKnownAndNoDocs(t *testing.T) {
	p := NewParser()
	p.Known = func(id string) bool { return id == "example-institute" }
	p.Add(File{Name: "x.yaml", Data: []byte(`source:
  id: s-x
  title: X
entities:
  - ref: example-institute
    aliases: [EI]
  - id: jane-doe
    kind: PERSON
    name: Jane Doe
relationships:
  - from: jane-doe
    type: WORKS_AT
    to: example-institute
    quote: "a quote that no document contains"
`)})
	g, err := p.Finish()
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	want := []kg.Mention{{EntityID: "example-institute", SourceID: "s-x", Aliases: []string{"EI"}}}
	if !reflect.DeepEqual(g.Mentions, want) {
		t.Errorf("mentions = %+v, want %+v", g.Mentions, want)
	}
	if len(g.Relationships) != 1 || g.Relationships[0].To != "example-institute" {
		t.Errorf("relationships = %+v", g.Relationships)
	}
}

func TestParseStructuralProblems(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"empty file", "", 1, "empty seed file"},
		{"no source id", "source:\n  title: T\n", 2, "source.id is required"},
		{"bad source id", "source:\n  id: Bad Source\n  title: T\n", 2, "is not a lowercase slug"},
		{"source not a mapping", "source: [1, 2]\n", 1, "wrong structure"},
		{"id and ref", "source:\n  id: s\n  title: T\nentities:\n  - id: a\n    ref: b\n", 5, "either id (a definition) or ref"},
		{"neither id nor ref", "source:\n  id: s\n  title: T\nentities:\n  - kind: LAB\n    name: L\n", 5, "needs id (definition) or ref"},
		{"ref with kind", "source:\n  id: s\n  title: T\nentities:\n  - id: a\n    kind: LAB\n    name: A\n  - ref: a\n    kind: LAB\n", 8, "may only add aliases"},
		{"unknown top-level key", "source:\n  id: s\n  title: T\nnotes: hi\n", 4, `unknown key "notes" in file`},
		{"missing title", "source:\n  id: s\n", 2, "source.title is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]File{{Name: "t.yaml", Data: []byte(tt.data)}}, nil)
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Parse = %v, want problems", err)
			}
			if ps[0].File != "t.yaml" || ps[0].Line != tt.line || !strings.Contains(ps[0].Msg, tt.msg) {
				t.Errorf("first problem = %s, want t.yaml:%d: …%s…", ps[0], tt.line, tt.msg)
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
