package store_test

import (
	"reflect"
	"testing"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
)

// A claim's status and attribution survive the round trip through Neo4j; a
// relationship's status is the strongest of its evidence, recomputed when
// evidence is added or re-imported with another status; and the statuses
// filter of adjacency, subgraph and paths keeps only those statuses.
func TestClaimStatuses(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	cleanup(t, "zz-test-claim-")
	src := kg.Source{ID: "zz-test-claim-s1", Title: "Claims"}
	ents := []kg.Entity{
		{ID: "zz-test-claim-a", Kind: kg.KindInstitute, Name: "Zz Claim A", Sources: []string{src.ID}},
		{ID: "zz-test-claim-b", Kind: kg.KindInstitute, Name: "Zz Claim B", Sources: []string{src.ID}},
		{ID: "zz-test-claim-c", Kind: kg.KindInstitute, Name: "Zz Claim C", Sources: []string{src.ID}},
		{ID: "zz-test-claim-pundit", Kind: kg.KindPerson, Name: "Zz Claim Pundit", Sources: []string{src.ID}},
	}
	rel := func(t kg.RelType, from, to string, evs ...kg.Evidence) kg.Relationship {
		return kg.Relationship{ID: kg.RelationshipID(from, t, to, ""), Type: t, From: from, To: to, Evidence: evs}
	}
	planned := kg.Evidence{SourceID: src.ID, Quote: "A will establish B.", Status: kg.StatusPlanned}
	opinion := kg.Evidence{SourceID: src.ID, Quote: "B may work with C.", Status: kg.StatusOpinion, AttributedTo: "zz-test-claim-pundit"}
	asserted := kg.Evidence{SourceID: src.ID, Quote: "A works with C.", Status: kg.StatusAsserted}
	g := &kg.Graph{Sources: []kg.Source{src}, Entities: ents, Relationships: []kg.Relationship{
		rel("ESTABLISHED", "zz-test-claim-a", "zz-test-claim-b", planned),
		rel("COLLABORATES_WITH", "zz-test-claim-b", "zz-test-claim-c", opinion),
		rel("COLLABORATES_WITH", "zz-test-claim-a", "zz-test-claim-c", asserted),
	}}
	if err := st.Import(ctx, g); err != nil {
		t.Fatal(err)
	}

	bc, err := st.Relationship(ctx, "zz-test-claim-b~collaborates_with~zz-test-claim-c")
	if err != nil {
		t.Fatal(err)
	}
	if bc.Status != kg.StatusOpinion || !reflect.DeepEqual(bc.Evidence, []kg.Evidence{opinion}) {
		t.Errorf("opinion after the round trip = %+v", bc)
	}

	ids := func(adj []kg.Adjacent) []string { return otherIDs(adj) }
	adjacent := []struct {
		name     string
		id       string
		statuses []kg.ClaimStatus
		want     []string
	}{
		{"no filter keeps all", "zz-test-claim-c", nil, []string{"zz-test-claim-a", "zz-test-claim-b"}},
		{"every status keeps all", "zz-test-claim-c", kg.ClaimStatuses, []string{"zz-test-claim-a", "zz-test-claim-b"}},
		{"hiding opinions", "zz-test-claim-c", []kg.ClaimStatus{kg.StatusAsserted, kg.StatusReported, kg.StatusPlanned}, []string{"zz-test-claim-a"}},
		{"opinions only", "zz-test-claim-c", []kg.ClaimStatus{kg.StatusOpinion}, []string{"zz-test-claim-b"}},
		{"hiding plans", "zz-test-claim-a", []kg.ClaimStatus{kg.StatusAsserted, kg.StatusReported, kg.StatusOpinion}, []string{"zz-test-claim-c"}},
	}
	for _, tt := range adjacent {
		t.Run(tt.name, func(t *testing.T) {
			f := kg.RelFilter{Direction: kg.Both, Statuses: tt.statuses}
			m, err := st.Adjacent(ctx, []string{tt.id}, f, kg.Page{First: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(m[tt.id]); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("others = %v, want %v", got, tt.want)
			}
			n, err := st.CountAdjacent(ctx, tt.id, f)
			if err != nil || n != len(tt.want) {
				t.Errorf("CountAdjacent = %d, %v; want %d", n, err, len(tt.want))
			}
		})
	}

	factsOnly := []kg.ClaimStatus{kg.StatusAsserted, kg.StatusReported}
	sg, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"zz-test-claim-b"}, Depth: 2, Limit: 10, Statuses: factsOnly})
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Nodes) != 1 || len(sg.Rels) != 0 {
		t.Errorf("subgraph of facts around B = %d nodes, %d relationships; want B alone (its links are a plan and an opinion)", len(sg.Nodes), len(sg.Rels))
	}
	sg, err = st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{"zz-test-claim-b"}, Depth: 2, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Nodes) != 3 || len(sg.Rels) != 3 {
		t.Errorf("subgraph around B = %d nodes, %d relationships; want 3 and 3", len(sg.Nodes), len(sg.Rels))
	}
	for _, statuses := range [][]kg.ClaimStatus{factsOnly, nil} {
		ps, err := st.Paths(ctx, kg.PathQuery{From: "zz-test-claim-b", To: "zz-test-claim-c", MaxHops: 3, K: 5, Statuses: statuses})
		if err != nil {
			t.Fatal(err)
		}
		// Unfiltered: B-C (opinion) and B-A-C (plan, fact); facts only: none.
		want := 2
		if statuses != nil {
			want = 0
		}
		if len(ps) != want {
			t.Errorf("paths B→C with statuses %v = %d, want %d", statuses, len(ps), want)
		}
	}

	// The same quote re-imported as ASSERTED replaces the plan's status in
	// place, and the relationship's status follows.
	done := planned
	done.Status = kg.StatusAsserted
	second := kg.Evidence{SourceID: src.ID, Quote: "A set up B.", Status: kg.StatusReported, AttributedTo: "zz-test-claim-pundit"}
	g2 := &kg.Graph{Sources: []kg.Source{src}, Relationships: []kg.Relationship{rel("ESTABLISHED", "zz-test-claim-a", "zz-test-claim-b", done, second)}}
	if err := st.Import(ctx, g2); err != nil {
		t.Fatal(err)
	}
	ab, err := st.Relationship(ctx, "zz-test-claim-a~established~zz-test-claim-b")
	if err != nil {
		t.Fatal(err)
	}
	if ab.Status != kg.StatusAsserted || !reflect.DeepEqual(ab.Evidence, []kg.Evidence{done, second}) {
		t.Errorf("after re-import = status %s, evidence %+v; want ASSERTED and %+v", ab.Status, ab.Evidence, []kg.Evidence{done, second})
	}

	// Evidence stored before claims had a status reads as ASSERTED.
	raw(t, `MATCH ()-[r {id: $id}]->() SET r.evidence = [$src + '\u001f' + 'Old quote.'] REMOVE r.status`,
		map[string]any{"id": "zz-test-claim-b~collaborates_with~zz-test-claim-c", "src": src.ID})
	old, err := st.Relationship(ctx, "zz-test-claim-b~collaborates_with~zz-test-claim-c")
	if err != nil {
		t.Fatal(err)
	}
	if old.Status != kg.StatusAsserted || !reflect.DeepEqual(old.Evidence, []kg.Evidence{{SourceID: src.ID, Quote: "Old quote.", Status: kg.StatusAsserted}}) {
		t.Errorf("pre-status evidence = %+v", old)
	}
	m, err := st.Adjacent(ctx, []string{"zz-test-claim-b"}, kg.RelFilter{Direction: kg.Outgoing, Statuses: factsOnly}, kg.Page{First: 10})
	if err != nil || len(m["zz-test-claim-b"]) != 1 {
		t.Errorf("a relationship without a stored status is not kept as ASSERTED: %v, %v", m, err)
	}
}

// asOf keeps a relationship dated only by on when on, at its precision,
// contains the day; one with a period when the day is in it; an undated one
// always.
func TestAsOfPointInTime(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	cleanup(t, "zz-test-asof-")
	src := kg.Source{ID: "zz-test-asof-s1", Title: "Dates"}
	d := func(s string) *kg.Date { x := kg.MustParseDate(s); return &x }
	body := kg.Entity{ID: "zz-test-asof-bureau", Kind: kg.KindGovernmentBody, Name: "Zz Bureau", Sources: []string{src.ID}}
	var ents = []kg.Entity{body}
	var rels []kg.Relationship
	add := func(id string, since, until, on *kg.Date) {
		ents = append(ents, kg.Entity{ID: id, Kind: kg.KindPerson, Name: "Zz " + id, Sources: []string{src.ID}})
		rels = append(rels, kg.Relationship{ID: kg.RelationshipID(id, "HEADS", body.ID, ""), Type: "HEADS", From: id, To: body.ID,
			Since: since, Until: until, On: on, Evidence: []kg.Evidence{{SourceID: src.ID, Quote: id}}})
	}
	add("zz-test-asof-month", nil, nil, d("2018-05"))
	add("zz-test-asof-day", nil, nil, d("2022-01-15"))
	add("zz-test-asof-year", nil, nil, d("2011"))
	add("zz-test-asof-period", d("2015"), d("2017"), nil)
	add("zz-test-asof-open", d("2020-07"), nil, nil)
	add("zz-test-asof-undated", nil, nil, nil)
	if err := st.Import(ctx, &kg.Graph{Sources: []kg.Source{src}, Entities: ents, Relationships: rels}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		day  string
		want []string
	}{
		{"2018-05-15", []string{"zz-test-asof-month", "zz-test-asof-undated"}},
		{"2018-05-31", []string{"zz-test-asof-month", "zz-test-asof-undated"}},
		{"2018-06-01", []string{"zz-test-asof-undated"}},
		{"2022-01-15", []string{"zz-test-asof-day", "zz-test-asof-open", "zz-test-asof-undated"}},
		{"2022-01-16", []string{"zz-test-asof-open", "zz-test-asof-undated"}},
		{"2011-12-31", []string{"zz-test-asof-undated", "zz-test-asof-year"}},
		{"2016-03-01", []string{"zz-test-asof-period", "zz-test-asof-undated"}},
	}
	for _, tt := range tests {
		day := kg.MustParseDate(tt.day).Start()
		m, err := st.Adjacent(ctx, []string{body.ID}, kg.RelFilter{Types: []kg.RelType{"HEADS"}, Direction: kg.Incoming, AsOf: &day}, kg.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := otherIDs(m[body.ID]); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("heads as of %s = %v, want %v", tt.day, got, tt.want)
		}
	}
}
