package workbench_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
	"github.com/innograph/innograph/internal/workbench"
)

// The test article's new entities (the ids accepting them makes).
var articleEntities = []string{"zyxo-joint-laboratory", "qorvan-telby", "qorvan-telby-2", "qorvan-telby-3", "zyxo-daily", "innovation-and-technology-commission"}

func article(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cleanupArticle removes what ingesting and accepting text wrote, now and
// when the test ends.
func cleanupArticle(t testing.TB, text string) {
	t.Helper()
	del := func() {
		digest := workbench.DigestOf(text)
		neo4jtest.Cypher(t, `MATCH (s:Source {digest: $d}) OPTIONAL MATCH (s)-[:HAS_MENTION|HAS_SUGGESTION]->(x) DETACH DELETE x, s`, map[string]any{"d": digest})
		neo4jtest.Cypher(t, `MATCH (n:Entity|Redirect) WHERE n.id IN $ids DETACH DELETE n`, map[string]any{"ids": articleEntities})
		neo4jtest.Cypher(t, `MATCH (f:Funding) WHERE f.funder IN $ids OR any(r IN f.recipients WHERE r IN $ids) DETACH DELETE f`, map[string]any{"ids": articleEntities})
		neo4jtest.Cypher(t, `MATCH (k:IngestKey) WHERE k.key STARTS WITH 'zz-test-' DELETE k`, nil)
	}
	del()
	t.Cleanup(del)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func find(t testing.TB, st *store.Store, sourceID, kind, text string) store.SuggestionRec {
	t.Helper()
	sgs, _, _, err := st.Suggestions(ctxT(t), sourceID, nil, kg.Page{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, sg := range sgs {
		if sg.Kind == kind && sg.Text == text {
			return sg
		}
	}
	t.Fatalf("no %s suggestion on %q among %d", kind, text, len(sgs))
	return store.SuggestionRec{}
}

var curator = kg.Actor{Name: "zz-test-curator", Role: kg.RoleCurator}

func meta(sg store.SuggestionRec) kg.ChangeMeta {
	return kg.ChangeMeta{Actor: curator, Evidence: kg.Evidence{SourceID: sg.SourceID, Quote: kg.CollapseSpace(sg.Quote), Status: sg.Claim}}
}

// Ingesting the same text twice gives one source and no duplicate
// suggestion; a rejected suggestion stays rejected when the document is
// analysed again, with the same dictionary or a later one.
func TestIngestIdempotentAndRejectRemembered(t *testing.T) {
	st := neo4jtest.Store(t)
	text := article(t)
	cleanupArticle(t, text)
	svc := &workbench.Service{Store: st}
	ctx := ctxT(t)
	pub, _ := kg.ParseDate("2024-03-03")
	doc := workbench.Document{Title: "Zyxo lab opens", Publisher: "Zyxo Daily", URL: "https://zyxo.example/news/1", Published: &pub, Text: text}
	first, err := svc.Ingest(ctx, doc, "")
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.Mentions == 0 || first.Suggestions == 0 || first.NewSuggestions != first.Suggestions {
		t.Fatalf("first ingest: %+v", first)
	}
	if first.Source.Digest != workbench.DigestOf(text) || !strings.HasPrefix(first.Source.ID, "doc-") {
		t.Errorf("source %+v", first.Source)
	}
	if got, err := st.SourceText(ctx, first.Source.ID); err != nil || got != text {
		t.Errorf("stored text: %v, equal %v", err, got == text)
	}
	daily := find(t, st, first.Source.ID, store.SuggestionEntity, "Zyxo Daily")
	if _, err := st.RejectSuggestion(ctx, daily.ID, "the publisher's masthead", curator); err != nil {
		t.Fatal(err)
	}
	// The same text, rewrapped and with another title: the same source.
	again := doc
	again.Title = "Another title"
	again.Text = strings.ReplaceAll(text, "\n", "\n\n")
	second, err := svc.Ingest(ctx, again, "")
	if err != nil {
		t.Fatal(err)
	}
	if second.Created || second.Source.ID != first.Source.ID || second.Source.Title != doc.Title {
		t.Errorf("second ingest made or changed a source: %+v", second.Source)
	}
	if second.Suggestions != first.Suggestions || second.NewSuggestions != 0 {
		t.Errorf("second ingest: %d suggestions (%d new), want %d (0 new)", second.Suggestions, second.NewSuggestions, first.Suggestions)
	}
	n := neo4jtest.Cypher(t, "MATCH (s:Source {digest: $d}) RETURN count(s) AS n", map[string]any{"d": first.Source.Digest})
	if c, _ := n[0].Get("n"); c != int64(1) {
		t.Errorf("%v sources with the digest, want 1", c)
	}
	if got := find(t, st, first.Source.ID, store.SuggestionEntity, "Zyxo Daily"); got.Status != store.SuggestionRejected || got.Reason != "the publisher's masthead" {
		t.Errorf("after re-ingest the rejected suggestion is %s (%q)", got.Status, got.Reason)
	}
	// A later dictionary (the graph changed) does not bring it back either.
	if _, err := st.AcceptSuggestion(ctx, find(t, st, first.Source.ID, store.SuggestionEntity, "Qorvan Telby").ID, store.SuggestionEdit{}, meta(daily)); err != nil {
		t.Fatal(err)
	}
	third, err := svc.Ingest(ctx, doc, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, st, first.Source.ID, store.SuggestionEntity, "Zyxo Daily"); got.Status != store.SuggestionRejected {
		t.Errorf("after the graph changed the rejected suggestion is %s", got.Status)
	}
	if third.Source.ID != first.Source.ID {
		t.Errorf("third ingest: source %s", third.Source.ID)
	}
	// Deciding twice is a conflict.
	_, err = st.RejectSuggestion(ctx, daily.ID, "", curator)
	wantCode(t, err, kg.CodeConflict)
}

// An accepted entity without an edited id takes its name's slug, or the
// first numbered one that no entity or redirect holds.
func TestAcceptEntityTakesFreeID(t *testing.T) {
	st := neo4jtest.Store(t)
	text := article(t)
	cleanupArticle(t, text)
	ctx := ctxT(t)
	res, err := (&workbench.Service{Store: st}).Ingest(ctx, workbench.Document{Title: "Zyxo lab opens", Text: text}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Taken after the analysis: the slug by an entity, the next by a redirect.
	neo4jtest.Cypher(t, `CREATE (:Entity {id: 'qorvan-telby', kind: 'PERSON', name: 'Other Qorvan'}), (:Redirect {id: 'qorvan-telby-2', target: 'qorvan-telby'})`, nil)
	sg := find(t, st, res.Source.ID, store.SuggestionEntity, "Qorvan Telby")
	got, err := st.AcceptSuggestion(ctx, sg.ID, store.SuggestionEdit{}, meta(sg))
	if err != nil {
		t.Fatal(err)
	}
	if got.EntityID != "qorvan-telby-3" {
		t.Errorf("accepted as %q, want qorvan-telby-3 (the slug and -2 are taken)", got.EntityID)
	}
}

// Accepting a relationship whose ends are open entity suggestions creates
// both entities and the relationship in one change: one audit entry, the
// graph version bumped, the quote as evidence.
func TestAcceptRelationshipWithNewEnds(t *testing.T) {
	st := neo4jtest.Store(t)
	text := article(t)
	cleanupArticle(t, text)
	ctx := ctxT(t)
	res, err := (&workbench.Service{Store: st}).Ingest(ctx, workbench.Document{Title: "Zyxo lab opens", Text: text}, "")
	if err != nil {
		t.Fatal(err)
	}
	rel := find(t, st, res.Source.ID, store.SuggestionRelationship, "Qorvan Telby, director of the Zyxo Joint Laboratory")
	if rel.Proposal.From == nil || rel.Proposal.From.Suggestion == "" || rel.Proposal.To.Suggestion == "" {
		t.Fatalf("proposal %+v: want both ends entity suggestions", rel.Proposal)
	}
	before := graphVersion(t)
	since := time.Now().Add(-time.Second)
	m := meta(rel)
	m.IdempotencyKey = "zz-test-accept-" + res.Source.ID + time.Now().Format("150405.000000")
	got, err := st.AcceptSuggestion(ctx, rel.ID, store.SuggestionEdit{}, m)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.SuggestionAccepted || got.RelationshipID != "qorvan-telby~directs~zyxo-joint-laboratory" {
		t.Fatalf("accepted: %+v", got)
	}
	if v := graphVersion(t); v != before+1 {
		t.Errorf("graph version %d -> %d, want one bump", before, v)
	}
	r, err := st.Relationship(ctx, got.RelationshipID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Evidence) != 1 || r.Evidence[0].Quote != kg.CollapseSpace(rel.Quote) || r.Evidence[0].SourceID != res.Source.ID || r.Role != "director" {
		t.Errorf("relationship %+v", r)
	}
	for _, id := range []string{rel.Proposal.From.Suggestion, rel.Proposal.To.Suggestion} {
		sg, err := st.Suggestion(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if sg.Status != store.SuggestionAccepted || sg.EntityID == "" {
			t.Errorf("end suggestion %s: %s %q", id, sg.Status, sg.EntityID)
		}
	}
	cs, err := changesOf(ctx, st, since, got.RelationshipID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Op != store.OpAcceptSuggestion || cs[0].RelationshipID != got.RelationshipID || cs[0].Evidence.Quote != kg.CollapseSpace(rel.Quote) {
		t.Errorf("audit entries %+v, want one ACCEPT_SUGGESTION", cs)
	}
	// A retry with the key replays; the other relationship to the lab now
	// has an accepted end.
	if again, err := st.AcceptSuggestion(ctx, rel.ID, store.SuggestionEdit{}, m); err != nil || again.Status != store.SuggestionAccepted {
		t.Errorf("replay: %v %+v", err, again)
	}
	if cs, _ := changesOf(ctx, st, since, got.RelationshipID); len(cs) != 1 {
		t.Errorf("the replay wrote another audit entry: %d", len(cs))
	}
	loc := find(t, st, res.Source.ID, store.SuggestionRelationship, "Zyxo Joint Laboratory is located in Hong Kong Science Park")
	if got, err := st.AcceptSuggestion(ctx, loc.ID, store.SuggestionEdit{}, meta(loc)); err != nil || got.RelationshipID != "zyxo-joint-laboratory~located_in~hong-kong-science-park" {
		t.Errorf("located in: %v %+v", err, got)
	}
}

// Refusals of accepting: a decided suggestion, an ambiguous or rejected
// end, an unknown entity in the edit.
func TestAcceptRefusals(t *testing.T) {
	st := neo4jtest.Store(t)
	text := article(t)
	cleanupArticle(t, text)
	ctx := ctxT(t)
	res, err := (&workbench.Service{Store: st}).Ingest(ctx, workbench.Document{Title: "Zyxo lab opens", Text: text}, "")
	if err != nil {
		t.Fatal(err)
	}
	lab := find(t, st, res.Source.ID, store.SuggestionEntity, "Zyxo Joint Laboratory")
	if _, err := st.RejectSuggestion(ctx, lab.ID, "", curator); err != nil {
		t.Fatal(err)
	}
	est := find(t, st, res.Source.ID, store.SuggestionRelationship, "HKSAR Government established the Zyxo Joint Laboratory")
	tests := []struct {
		name  string
		id    string
		edit  store.SuggestionEdit
		code  string
		field string
	}{
		{"rejected end", est.ID, store.SuggestionEdit{}, kg.CodeConflict, "edit.to"},
		{"unknown entity", est.ID, store.SuggestionEdit{To: "zz-test-no-such-entity"}, kg.CodeNotFound, "edit.to"},
		{"malformed entity id", est.ID, store.SuggestionEdit{To: "Not An Id"}, kg.CodeInvalid, "edit.to"},
		{"decided suggestion", lab.ID, store.SuggestionEdit{}, kg.CodeConflict, "id"},
		{"no such suggestion", "sg-00000000000000000000", store.SuggestionEdit{}, kg.CodeNotFound, "id"},
		{"malformed suggestion id", "polyu", store.SuggestionEdit{}, kg.CodeInvalid, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.AcceptSuggestion(ctx, tt.id, tt.edit, meta(est))
			wantCode(t, err, tt.code)
			var ke *kg.Error
			if errors.As(err, &ke) && ke.Field != tt.field {
				t.Errorf("field %q, want %q (%v)", ke.Field, tt.field, err)
			}
		})
	}
	// Nothing was written by the refusals.
	if got, _ := st.Suggestion(ctx, est.ID); got.Status != store.SuggestionOpen {
		t.Errorf("refused suggestion is %s", got.Status)
	}
}

// changesOf returns the audit entries since a time about relationship rel.
func changesOf(ctx context.Context, st *store.Store, since time.Time, rel string) ([]kg.Change, error) {
	cs, _, _, err := st.Changes(ctx, kg.ChangeFilter{Since: &since}, kg.Page{First: 100})
	var out []kg.Change
	for _, c := range cs {
		if c.RelationshipID == rel {
			out = append(out, c)
		}
	}
	return out, err
}

func graphVersion(t testing.TB) int64 {
	recs := neo4jtest.Cypher(t, "MATCH (m:GraphVersion {id: 1}) RETURN m.version AS v", nil)
	v, _ := recs[0].Get("v")
	return v.(int64)
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if kg.ErrorCode(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

// A seed article ingested again is its seed source: the digests agree
// (seed.Digest), so no second source is made.
func TestIngestSeedArticleIsItsSource(t *testing.T) {
	st := neo4jtest.Store(t)
	docs := neo4jtest.Docs(t)
	g, err := neo4jtest.SeedGraph()
	if err != nil {
		t.Fatal(err)
	}
	src := g.Sources[0]
	text, ok := docs[src.File]
	if !ok || src.Digest == "" {
		t.Fatalf("seed source %s: document %s found %v, digest %q", src.ID, src.File, ok, src.Digest)
	}
	restore := func() {
		neo4jtest.Cypher(t, `MATCH (s:Source {id: $id}) OPTIONAL MATCH (s)-[:HAS_MENTION|HAS_SUGGESTION]->(x) DETACH DELETE x WITH DISTINCT s REMOVE s.text`, map[string]any{"id": src.ID})
	}
	restore()
	t.Cleanup(restore)
	res, err := (&workbench.Service{Store: st}).Ingest(ctxT(t), workbench.Document{Title: "Another title", Text: text}, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Created || res.Source.ID != src.ID || res.Source.Title != src.Title || res.Source.Digest != src.Digest {
		t.Errorf("ingesting %s answered %+v (created %v), want seed source %s", src.File, res.Source, res.Created, src.ID)
	}
	if res.Mentions == 0 {
		t.Errorf("no mentions in %s", src.File)
	}
}
