package seed_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/seed"
)

// The shipped seed parses with zero problems, without the documents, and
// records a digest for the document of every source.
func TestRealSeedParses(t *testing.T) {
	files, err := seed.EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 5 {
		t.Fatalf("%d embedded seed files, want 5", len(files))
	}
	g, err := seed.Parse(files, nil)
	if err != nil {
		t.Fatalf("the shipped seed has problems:\n%v", err)
	}
	if len(g.Sources) != 5 || len(g.Entities) < 120 || len(g.Relationships) < 160 || len(g.Fundings) != 5 {
		t.Fatalf("seed is smaller than expected: %d sources, %d entities, %d relationships, %d fundings",
			len(g.Sources), len(g.Entities), len(g.Relationships), len(g.Fundings))
	}
	for _, f := range files {
		if !strings.Contains(string(f.Data), "\n  digest: sha256:") {
			t.Errorf("%s: its source records no digest of its document", f.Name)
		}
	}

	ents := map[string]kg.Entity{}
	for _, e := range g.Entities {
		ents[e.ID] = e
	}
	rels := map[string]kg.Relationship{}
	for _, r := range g.Relationships {
		rels[r.ID] = r
	}
	// Facts stated in two documents merge into one relationship with two evidence items.
	d := rels["kwok-fai-chung~directs~cnerc-steel-hk"]
	if len(d.Evidence) != 2 || d.Evidence[0].SourceID != "s001-innovation-hub" || d.Evidence[1].SourceID != "s002-mainland-hk-it-forum-2018" || d.Role != "Director" {
		t.Errorf("Chung DIRECTS CNERC steel = %+v", d)
	}
	if got := ents["polyu"].Sources; !reflect.DeepEqual(got, []string{"s000-hk-china-hi-tech-drive", "s002-mainland-hk-it-forum-2018"}) {
		t.Errorf("polyu sources = %q", got)
	}
	var fund *kg.Funding
	for i := range g.Fundings {
		if g.Fundings[i].ID == "central-gov-hk-rd-2020-2021" {
			fund = &g.Fundings[i]
		}
	}
	if fund == nil || fund.Amount == nil || *fund.Amount != (kg.Money{Value: "440000000", Currency: "CNY", Note: "more than"}) {
		t.Errorf("440 million CNY funding = %+v", fund)
	}
}

// Every quote of the shipped seed occurs in the document of its source,
// checked by Parse and independently of it. It needs the documents
// (SEED_DOCS).
func TestRealSeedQuotes(t *testing.T) {
	docs := neo4jtest.Docs(t)
	files, err := seed.EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	g, err := seed.Parse(files, docs)
	if err != nil {
		t.Fatalf("the shipped seed has problems against the documents:\n%v", err)
	}
	srcFile := map[string]string{}
	for _, s := range g.Sources {
		if _, ok := docs[s.File]; !ok {
			t.Errorf("source %s names document %q, which does not exist", s.ID, s.File)
		}
		srcFile[s.ID] = s.File
	}
	quotes := 0
	check := func(what string, evs []kg.Evidence) {
		if len(evs) == 0 {
			t.Errorf("%s has no evidence", what)
		}
		for _, ev := range evs {
			quotes++
			doc, ok := docs[srcFile[ev.SourceID]]
			if !ok || !strings.Contains(doc, ev.Quote) {
				t.Errorf("%s: quote not found in %s: %q", what, srcFile[ev.SourceID], ev.Quote)
			}
		}
	}
	for _, r := range g.Relationships {
		check(r.ID, r.Evidence)
	}
	for _, f := range g.Fundings {
		check(f.ID, f.Evidence)
	}
	if quotes < len(g.Relationships) {
		t.Errorf("only %d quotes checked", quotes)
	}
}
