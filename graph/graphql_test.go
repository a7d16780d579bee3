package graph_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/kg"
)

type ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func ids(rs []ref) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.ID)
	}
	sort.Strings(out)
	return out
}

func TestEntityUniversityLabsAndDirectors(t *testing.T) {
	h, _ := testHandler(t)
	var data struct {
		Entity struct {
			ID          string   `json:"id"`
			Name        string   `json:"name"`
			Kind        string   `json:"kind"`
			Typename    string   `json:"__typename"`
			Aliases     []string `json:"aliases"`
			Description string   `json:"description"`
			Sources     []ref    `json:"sources"`
			Labs        []struct {
				ID       string `json:"id"`
				Director *ref   `json:"director"`
				Host     *ref   `json:"host"`
				PartOf   []ref  `json:"partOf"`
			} `json:"labs"`
			People []ref `json:"people"`
		} `json:"entity"`
	}
	query(t, h, `query($id: ID!) { entity(id: $id) { __typename id name kind aliases description sources { id }
  ... on University { labs { id director { id name } host { id } partOf { id } } people { id } } } }`, map[string]any{"id": "polyu"}, &data)
	e := data.Entity
	if e.ID != "polyu" || e.Typename != "University" || e.Kind != "UNIVERSITY" || e.Name != "The Hong Kong Polytechnic University" {
		t.Errorf("entity = %+v", e)
	}
	if !contains(e.Aliases, "PolyU") || !strings.Contains(e.Description, "Chang’e 4") {
		t.Errorf("aliases %v / description %q", e.Aliases, e.Description)
	}
	if got := ids(e.Sources); fmt.Sprint(got) != "[s000-hk-china-hi-tech-drive s002-mainland-hk-it-forum-2018]" {
		t.Errorf("sources = %v", got)
	}
	wantDirector := map[string]string{
		"pskl-chirosciences":             "wong-kwok-yin",
		"pskl-ultra-precision-machining": "benny-cheung",
		"cnerc-steel-hk":                 "kwok-fai-chung",
		"cnerc-rail-hk":                  "ni-yiqing",
	}
	if len(e.Labs) != len(wantDirector) {
		t.Fatalf("labs = %+v", e.Labs)
	}
	for _, l := range e.Labs {
		if l.Director == nil || l.Director.ID != wantDirector[l.ID] {
			t.Errorf("lab %s director = %+v, want %s", l.ID, l.Director, wantDirector[l.ID])
		}
		if l.Host == nil || l.Host.ID != "polyu" {
			t.Errorf("lab %s host = %+v", l.ID, l.Host)
		}
	}
	if len(e.People) != 0 {
		// PolyU's people come in through departments, not directly.
		t.Logf("people: %v", ids(e.People))
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestPersonRolesWithEvidence(t *testing.T) {
	h, _ := testHandler(t)
	var data struct {
		Entity struct {
			Roles []struct {
				Organization ref     `json:"organization"`
				Title        *string `json:"title"`
				Type         string  `json:"type"`
				Since        *string `json:"since"`
				Relationship struct {
					ID       string `json:"id"`
					From     ref    `json:"from"`
					To       ref    `json:"to"`
					Evidence []struct {
						Quote  string `json:"quote"`
						Source ref    `json:"source"`
					} `json:"evidence"`
				} `json:"relationship"`
			} `json:"roles"`
		} `json:"entity"`
	}
	query(t, h, `{ entity(id: "kwok-fai-chung") { ... on Person { roles { organization { id name } title type since
  relationship { id from { id } to { id } evidence { quote source { id } } } } } } }`, nil, &data)
	byOrg := map[string]int{}
	for i, r := range data.Entity.Roles {
		byOrg[r.Organization.ID] = i
		if r.Relationship.From.ID != "kwok-fai-chung" || r.Relationship.To.ID != r.Organization.ID {
			t.Errorf("role %s: relationship %s runs %s -> %s", r.Organization.ID, r.Relationship.ID, r.Relationship.From.ID, r.Relationship.To.ID)
		}
	}
	d, ok := byOrg["cnerc-steel-hk"]
	if !ok {
		t.Fatalf("no role at cnerc-steel-hk: %+v", data.Entity.Roles)
	}
	dir := data.Entity.Roles[d]
	if dir.Type != "DIRECTS" || dir.Title == nil || *dir.Title != "Director" || len(dir.Relationship.Evidence) != 2 {
		t.Errorf("director role = %+v", dir)
	}
	srcs := []string{dir.Relationship.Evidence[0].Source.ID, dir.Relationship.Evidence[1].Source.ID}
	sort.Strings(srcs)
	if fmt.Sprint(srcs) != "[s001-innovation-hub s002-mainland-hk-it-forum-2018]" {
		t.Errorf("evidence sources = %v", srcs)
	}
	w, ok := byOrg["polyu-cee"]
	if !ok || data.Entity.Roles[w].Type != "WORKS_AT" || *data.Entity.Roles[w].Title != "Associate Head" {
		t.Errorf("no Associate Head role at polyu-cee: %+v", data.Entity.Roles)
	}

	// Alfred Sit heads the Innovation and Technology Bureau.
	query(t, h, `{ entity(id: "alfred-sit") { ... on Person { roles { organization { id name } title type
  relationship { id from { id } to { id } evidence { quote source { id } } } } } } }`, nil, &data)
	if len(data.Entity.Roles) != 1 || data.Entity.Roles[0].Organization.ID != "innovation-and-technology-bureau" ||
		*data.Entity.Roles[0].Title != "Secretary for Innovation and Technology" || data.Entity.Roles[0].Type != "HEADS" ||
		data.Entity.Roles[0].Relationship.Evidence[0].Source.ID != "s003-digital-economy-blueprint" {
		t.Errorf("Alfred Sit's roles = %+v", data.Entity.Roles)
	}
}

func TestAgreementPartiesSignatoriesSignedOn(t *testing.T) {
	h, _ := testHandler(t)
	tests := []struct {
		id                   string
		parties, signatories string
		signedOn             *string
	}{
		// "In early November this year", in an article of 2018.
		{"hksar-cas-mou", "[cas hksar-government]", "[carrie-lam chunli-bai]", ptr("2018-11")},
		{"arrangement-it-cooperation-2018", "[hksar-government most]", "[]", ptr("2018")},
		// A party's dated PARTY_TO stands in for the signing date.
		{"roborn-zte-china-mobile-partnership", "[china-mobile roborn zte]", "[]", ptr("2018")},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			var data struct {
				Entity struct {
					Typename    string  `json:"__typename"`
					Parties     []ref   `json:"parties"`
					Signatories []ref   `json:"signatories"`
					SignedOn    *string `json:"signedOn"`
				} `json:"entity"`
			}
			query(t, h, `query($id: ID!) { entity(id: $id) { __typename ... on Agreement { parties { id } signatories { id name } signedOn } } }`,
				map[string]any{"id": tt.id}, &data)
			e := data.Entity
			if e.Typename != "Agreement" || fmt.Sprint(ids(e.Parties)) != tt.parties || fmt.Sprint(ids(e.Signatories)) != tt.signatories {
				t.Errorf("%s: parties %v, signatories %v", e.Typename, ids(e.Parties), ids(e.Signatories))
			}
			if (e.SignedOn == nil) != (tt.signedOn == nil) || e.SignedOn != nil && *e.SignedOn != *tt.signedOn {
				t.Errorf("signedOn = %v, want %v", deref(e.SignedOn), deref(tt.signedOn))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestGovernmentBodyFundings(t *testing.T) {
	h, _ := testHandler(t)
	var data struct {
		Entity struct {
			Fundings []struct {
				ID     string `json:"id"`
				Funder ref    `json:"funder"`
				Amount *struct {
					Value, Currency string
					Note            *string
				} `json:"amount"`
				Period *struct {
					Since, Until, On *string
				} `json:"period"`
				Recipients     []ref `json:"recipients"`
				AdministeredBy *ref  `json:"administeredBy"`
				Evidence       []struct {
					Quote  string `json:"quote"`
					Source ref    `json:"source"`
				} `json:"evidence"`
			} `json:"fundings"`
		} `json:"entity"`
	}
	query(t, h, `{ entity(id: "central-government") { ... on GovernmentBody { fundings {
  id funder { id } amount { value currency note } period { since until on } recipients { id } administeredBy { id }
  evidence { quote source { id } } } } } }`, nil, &data)
	fs := data.Entity.Fundings
	if len(fs) != 2 || fs[0].ID != "central-gov-hk-rd-2020-2021" || fs[1].ID != "central-gov-hk-first-batch-2018" {
		t.Fatalf("fundings = %+v", fs)
	}
	f := fs[0]
	if f.Funder.ID != "central-government" || f.Amount == nil || f.Amount.Value != "440000000" || f.Amount.Currency != "CNY" ||
		deref(f.Amount.Note) != "more than" || f.Period == nil || deref(f.Period.Since) != "2020" || deref(f.Period.Until) != "2021" ||
		f.Period.On != nil || fmt.Sprint(ids(f.Recipients)) != "[hk-research-institutes hk-universities]" || f.AdministeredBy != nil {
		t.Errorf("440M funding = %+v", f)
	}
	if len(f.Evidence) != 1 || f.Evidence[0].Source.ID != "s001-innovation-hub" || !strings.Contains(f.Evidence[0].Quote, "440 million RMB") {
		t.Errorf("evidence = %+v", f.Evidence)
	}
	if fs[1].Amount != nil || deref(fs[1].Period.On) != "2018" {
		t.Errorf("first batch = %+v", fs[1])
	}
}

func TestEntitiesConnection(t *testing.T) {
	h, st := testHandler(t)
	type conn struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Cursor string `json:"cursor"`
			Node   ref    `json:"node"`
		} `json:"edges"`
		Nodes    []ref `json:"nodes"`
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		} `json:"pageInfo"`
	}
	var data struct {
		Entities conn `json:"entities"`
	}
	q := `query($after: String, $kinds: [EntityKind!], $filter: EntityFilter, $order: EntityOrder) {
  entities(first: 2, after: $after, kinds: $kinds, filter: $filter, orderBy: $order) {
    totalCount edges { cursor node { id name } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`
	vars := map[string]any{"kinds": []string{"LAB"}, "order": map[string]any{"field": "ID", "direction": "DESC"}}
	var walked []string
	for page := 0; page < 10; page++ {
		query(t, h, q, vars, &data)
		c := data.Entities
		if c.TotalCount != 4 {
			t.Errorf("totalCount = %d, want 4 labs", c.TotalCount)
		}
		if len(c.Edges) != len(c.Nodes) || len(c.Edges) == 0 {
			t.Fatalf("page %d: %d edges, %d nodes", page, len(c.Edges), len(c.Nodes))
		}
		for i, e := range c.Edges {
			walked = append(walked, e.Node.ID)
			if c.Nodes[i].ID != e.Node.ID {
				t.Errorf("nodes and edges differ at %d", i)
			}
		}
		if *c.PageInfo.StartCursor != c.Edges[0].Cursor || *c.PageInfo.EndCursor != c.Edges[len(c.Edges)-1].Cursor {
			t.Error("pageInfo cursors do not match the edges")
		}
		if c.PageInfo.HasPreviousPage != (page > 0) {
			t.Errorf("page %d: hasPreviousPage = %v", page, c.PageInfo.HasPreviousPage)
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		vars["after"] = *c.PageInfo.EndCursor
	}
	if fmt.Sprint(walked) != "[pskl-ultra-precision-machining pskl-chirosciences cnerc-steel-hk cnerc-rail-hk]" {
		t.Errorf("labs by id desc = %v", walked)
	}
	// Filters: ids, nameContains, source.
	query(t, h, `{ entities(first: 100, filter: {source: "s004-hk-cas-mou", nameContains: "chunli"}) { totalCount nodes { id } } }`, nil, &data)
	if fmt.Sprint(ids(data.Entities.Nodes)) != "[chunli-bai]" || data.Entities.TotalCount != 1 {
		t.Errorf("filtered = %v (%d)", ids(data.Entities.Nodes), data.Entities.TotalCount)
	}
	query(t, h, `{ entities(filter: {ids: ["polyu", "hkust", "no-such-id"]}) { totalCount nodes { id } } }`, nil, &data)
	if fmt.Sprint(ids(data.Entities.Nodes)) != "[hkust polyu]" || data.Entities.TotalCount != 2 {
		t.Errorf("by ids = %v", ids(data.Entities.Nodes))
	}
	// Default page size and order (name ascending).
	query(t, h, `{ entities { totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage } } }`, nil, &data)
	total, err := st.CountEntities(ctxT(t), kg.EntityFilter{})
	if err != nil || len(data.Entities.Nodes) != 20 || data.Entities.TotalCount != total || !data.Entities.PageInfo.HasNextPage {
		t.Errorf("default page: %d nodes, totalCount %d (store %d)", len(data.Entities.Nodes), data.Entities.TotalCount, total)
	}
	for i := 1; i < len(data.Entities.Nodes); i++ {
		if data.Entities.Nodes[i-1].Name > data.Entities.Nodes[i].Name {
			t.Errorf("default order is not by name: %q before %q", data.Entities.Nodes[i-1].Name, data.Entities.Nodes[i].Name)
		}
	}
}

func TestSearchPathsSubgraph(t *testing.T) {
	h, _ := testHandler(t)
	var s struct {
		Search []struct {
			Entity struct {
				ID       string `json:"id"`
				Typename string `json:"__typename"`
			} `json:"entity"`
			Score       float64 `json:"score"`
			MatchedName *string `json:"matchedName"`
		} `json:"search"`
	}
	query(t, h, `{ search(query: "polyu) AND (", first: 5) { entity { __typename id } score matchedName } }`, nil, &s)
	if len(s.Search) == 0 || len(s.Search) > 5 {
		t.Fatalf("search = %+v", s.Search)
	}
	query(t, h, `{ search(query: "HKUST", kinds: [UNIVERSITY]) { entity { __typename id } score matchedName } }`, nil, &s)
	if s.Search[0].Entity.ID != "hkust" || deref(s.Search[0].MatchedName) != "HKUST" || s.Search[0].Score <= 0 {
		t.Errorf("search HKUST = %+v", s.Search)
	}
	for _, hit := range s.Search {
		if hit.Entity.Typename != "University" {
			t.Errorf("kind filter let through %+v", hit)
		}
	}

	var p struct {
		Paths []struct {
			Length        int   `json:"length"`
			Nodes         []ref `json:"nodes"`
			Relationships []struct {
				ID   string `json:"id"`
				Type string `json:"type"`
				From ref    `json:"from"`
				To   ref    `json:"to"`
			} `json:"relationships"`
		} `json:"paths"`
	}
	query(t, h, `{ paths(from: "carrie-lam", to: "chunli-bai", first: 3, maxHops: 3) { length nodes { id } relationships { id type from { id } to { id } } } }`, nil, &p)
	if len(p.Paths) != 3 || p.Paths[0].Length != 2 {
		t.Fatalf("paths = %+v", p.Paths)
	}
	for i, path := range p.Paths {
		if path.Length != len(path.Relationships) || len(path.Nodes) != path.Length+1 || (i > 0 && path.Length < p.Paths[i-1].Length) {
			t.Errorf("path %d malformed: %+v", i, path)
		}
		for j, r := range path.Relationships {
			a, b := path.Nodes[j].ID, path.Nodes[j+1].ID
			if !(r.From.ID == a && r.To.ID == b || r.From.ID == b && r.To.ID == a) {
				t.Errorf("path %d hop %d: %s does not join %s and %s", i, j, r.ID, a, b)
			}
		}
	}
	if p.Paths[0].Relationships[0].Type != "SIGNED" {
		t.Errorf("shortest path = %+v", p.Paths[0])
	}
	query(t, h, `{ paths(from: "polyu", to: "kwok-fai-chung", directed: true) { length } }`, nil, &p)
	if len(p.Paths) != 0 {
		t.Errorf("directed paths against the edges = %+v", p.Paths)
	}

	var g struct {
		Subgraph struct {
			Nodes         []ref `json:"nodes"`
			Relationships []struct {
				ID   string `json:"id"`
				From ref    `json:"from"`
				To   ref    `json:"to"`
			} `json:"relationships"`
			Truncated bool `json:"truncated"`
		} `json:"subgraph"`
	}
	query(t, h, `{ subgraph(ids: ["hksar-cas-mou"], depth: 1, relationshipTypes: [SIGNED, PARTY_TO]) { nodes { id } relationships { id from { id } to { id } } truncated } }`, nil, &g)
	if fmt.Sprint(ids(g.Subgraph.Nodes)) != "[carrie-lam cas chunli-bai hksar-cas-mou hksar-government]" || g.Subgraph.Truncated || len(g.Subgraph.Relationships) != 4 {
		t.Errorf("subgraph = %+v", g.Subgraph)
	}
	query(t, h, `{ subgraph(ids: ["polyu"], depth: 2, limit: 4) { nodes { id } truncated } }`, nil, &g)
	if len(g.Subgraph.Nodes) != 4 || !g.Subgraph.Truncated {
		t.Errorf("limited subgraph = %d nodes, truncated %v", len(g.Subgraph.Nodes), g.Subgraph.Truncated)
	}
}

func TestFundingsSourcesSchemaInfo(t *testing.T) {
	h, _ := testHandler(t)
	var f struct {
		Fundings struct {
			TotalCount int `json:"totalCount"`
			Totals     []struct {
				Value, Currency string
			} `json:"totals"`
			Edges []struct {
				Cursor string `json:"cursor"`
				Node   ref    `json:"node"`
			} `json:"edges"`
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			} `json:"pageInfo"`
		} `json:"fundings"`
	}
	query(t, h, `{ fundings(first: 2) { totalCount totals { value currency } edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, nil, &f)
	if f.Fundings.TotalCount != 5 || len(f.Fundings.Edges) != 2 || !f.Fundings.PageInfo.HasNextPage {
		t.Errorf("fundings page = %+v", f.Fundings)
	}
	if fmt.Sprint(f.Fundings.Totals) != "[{440000000 CNY} {130030000000 HKD}]" {
		t.Errorf("totals over all records (not the page) = %v", f.Fundings.Totals)
	}
	query(t, h, `query($after: String) { fundings(first: 10, after: $after, to: "2018") { totalCount edges { node { id } } pageInfo { hasNextPage } } }`,
		map[string]any{"after": nil}, &f)
	// The HKD 130 billion invested by the current-term government up to
	// January 2022 has no stated start, so it may have started by 2018.
	if f.Fundings.TotalCount != 3 || len(f.Fundings.Edges) != 3 || f.Fundings.PageInfo.HasNextPage {
		t.Errorf("fundings to 2018 = %+v", f.Fundings)
	}
	query(t, h, `{ fundings(recipient: "cas-hk-joint-labs") { totalCount totals { value currency } edges { node { id } } } }`, nil, &f)
	if f.Fundings.TotalCount != 1 || fmt.Sprint(f.Fundings.Totals) != "[{30000000 HKD}]" {
		t.Errorf("fundings of the joint labs = %+v", f.Fundings)
	}

	var s struct {
		Sources struct {
			TotalCount int `json:"totalCount"`
			Edges      []struct {
				Cursor string `json:"cursor"`
				Node   struct {
					ID, Title string
					File      *string
				} `json:"node"`
			} `json:"edges"`
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			} `json:"pageInfo"`
		} `json:"sources"`
	}
	query(t, h, `{ sources(first: 2) { totalCount edges { cursor node { id title file } } pageInfo { hasNextPage endCursor } } }`, nil, &s)
	if s.Sources.TotalCount != 5 || len(s.Sources.Edges) != 2 || s.Sources.Edges[0].Node.ID != "s000-hk-china-hi-tech-drive" || !s.Sources.PageInfo.HasNextPage {
		t.Errorf("sources = %+v", s.Sources)
	}

	var one struct {
		Source *struct {
			ID        string  `json:"id"`
			Title     string  `json:"title"`
			Published *string `json:"published"`
			Author    *string `json:"author"`
			Entities  struct {
				TotalCount int   `json:"totalCount"`
				Nodes      []ref `json:"nodes"`
			} `json:"entities"`
			Facts struct {
				TotalCount int `json:"totalCount"`
				Nodes      []struct {
					ID string `json:"id"`
				} `json:"nodes"`
			} `json:"facts"`
			Fundings []ref `json:"fundings"`
		} `json:"source"`
	}
	query(t, h, `{ source(id: "s001-innovation-hub") { id title published author entities(first: 3) { totalCount nodes { id } }
  facts(first: 5) { totalCount nodes { id } } fundings { id } } }`, nil, &one)
	src := one.Source
	if src == nil || deref(src.Published) != "2022-07-07" || deref(src.Author) != "LU Zijian" || len(src.Entities.Nodes) != 3 ||
		src.Entities.TotalCount < 40 || len(src.Facts.Nodes) != 5 || src.Facts.TotalCount < 40 ||
		fmt.Sprint(ids(src.Fundings)) != "[central-gov-hk-first-batch-2018 central-gov-hk-rd-2020-2021]" {
		t.Errorf("source = %+v", src)
	}

	var info struct {
		SchemaInfo struct {
			Kinds []struct {
				Kind, Description string
				Count             int
			} `json:"kinds"`
			RelationshipTypes []struct {
				Type  string
				Count int
			} `json:"relationshipTypes"`
		} `json:"schemaInfo"`
	}
	query(t, h, `{ schemaInfo { kinds { kind description count } relationshipTypes { type count } } }`, nil, &info)
	if len(info.SchemaInfo.Kinds) != len(kg.Kinds) || len(info.SchemaInfo.RelationshipTypes) != len(kg.RelTypes) {
		t.Fatalf("schemaInfo lists %d kinds, %d types", len(info.SchemaInfo.Kinds), len(info.SchemaInfo.RelationshipTypes))
	}
	counts := map[string]int{}
	for _, k := range info.SchemaInfo.Kinds {
		counts[k.Kind] = k.Count
		if k.Description == "" {
			t.Errorf("kind %s has no description", k.Kind)
		}
	}
	if counts["LAB"] != 4 || counts["UNIVERSITY"] < 3 {
		t.Errorf("kind counts = %v", counts)
	}
	for _, r := range info.SchemaInfo.RelationshipTypes {
		if r.Type == "SIGNED" && r.Count < 6 {
			t.Errorf("SIGNED count = %d", r.Count)
		}
	}
}

// Every error carries extensions.code; argument errors name the argument.
func TestErrorCodes(t *testing.T) {
	h, _ := testHandler(t)
	tests := []struct {
		name, query string
		code        string
		argument    string // "" when none is expected
		path        string // first path element
	}{
		{"unknown entity", `{ entity(id: "no-such-id") { id } }`, "NOT_FOUND", "id", "entity"},
		{"unknown source", `{ source(id: "no-such-source") { id } }`, "NOT_FOUND", "id", "source"},
		{"unknown path end", `{ paths(from: "polyu", to: "no-such-id") { length } }`, "NOT_FOUND", "to", "paths"},
		{"unknown subgraph centre", `{ subgraph(ids: ["no-such-id"]) { truncated } }`, "NOT_FOUND", "ids", "subgraph"},
		{"first 0", `{ entities(first: 0) { totalCount } }`, "BAD_USER_INPUT", "first", "entities"},
		{"first 1000", `{ entities(first: 1000) { totalCount } }`, "BAD_USER_INPUT", "first", "entities"},
		{"search first too big", `{ search(query: "polyu", first: 51) { score } }`, "BAD_USER_INPUT", "first", "search"},
		{"nested first too big", `{ entity(id: "polyu") { relationships(first: 101) { totalCount } } }`, "BAD_USER_INPUT", "first", "entity"},
		{"malformed id", `{ entity(id: "Bad ID!") { id } }`, "BAD_USER_INPUT", "id", "entity"},
		{"malformed funder id", `{ fundings(funder: "Bad ID!") { totalCount } }`, "BAD_USER_INPUT", "funder", "fundings"},
		{"malformed cursor", `{ entities(after: "not-a-cursor") { totalCount } }`, "BAD_USER_INPUT", "after", "entities"},
		{"malformed fundings cursor", `{ fundings(after: "%%%") { totalCount } }`, "BAD_USER_INPUT", "after", "fundings"},
		{"punctuation-only search", `{ search(query: "*~[") { score } }`, "BAD_USER_INPUT", "query", "search"},
		{"maxHops too big", `{ paths(from: "polyu", to: "hkust", maxHops: 7) { length } }`, "BAD_USER_INPUT", "maxHops", "paths"},
		{"depth too big", `{ subgraph(ids: ["polyu"], depth: 4) { truncated } }`, "BAD_USER_INPUT", "depth", "subgraph"},
		{"to before from", `{ fundings(from: "2020", to: "2019") { totalCount } }`, "BAD_USER_INPUT", "to", "fundings"},
		{"bad date month", `{ paths(from: "polyu", to: "hkust", asOf: "2019-13") { length } }`, "BAD_USER_INPUT", "asOf", "paths"},
		{"impossible date", `{ fundings(from: "2019-02-30") { totalCount } }`, "BAD_USER_INPUT", "from", "fundings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, h, tt.query, nil)
			if len(resp.Errors) == 0 {
				t.Fatalf("no error; data %s", resp.Data)
			}
			e := resp.Errors[0]
			if e.Extensions["code"] != tt.code {
				t.Errorf("code = %v, want %s (%+v)", e.Extensions["code"], tt.code, e)
			}
			if tt.argument != "" && e.Extensions["argument"] != tt.argument {
				t.Errorf("argument = %v, want %s (%+v)", e.Extensions["argument"], tt.argument, e)
			}
			if len(e.Path) == 0 || e.Path[0] != tt.path {
				t.Errorf("path = %v, want it to start at %s", e.Path, tt.path)
			}
			if e.Message == "" || e.Message == "internal error" {
				t.Errorf("message %q does not help the user", e.Message)
			}
		})
	}
	// Enum values in variables must match exactly: gqlparser accepted any
	// case and the generated enum then failed in the resolver as INTERNAL.
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		want        string
		path        []any
	}{
		{"lower-case list item", `query($t: [RelationshipType!]) { subgraph(ids: ["polyu"], relationshipTypes: $t) { truncated } }`,
			map[string]any{"t": []any{"HOSTS", "hosts"}}, "hosts is not a valid RelationshipType: enum values are case-sensitive; did you mean HOSTS?", []any{"variable", "t", 1.0}},
		{"lower-case single value", `query($k: [EntityKind!]) { subgraph(ids: ["polyu"], kinds: $k) { truncated } }`,
			map[string]any{"k": "lab"}, "lab is not a valid EntityKind: enum values are case-sensitive; did you mean LAB?", []any{"variable", "k", 0.0}},
		{"inside an input object", `mutation($in: CreateEntityInput!, $c: ChangeInput!) { createEntity(input: $in, change: $c) { id } }`,
			map[string]any{"in": map[string]any{"id": "zz-enum", "kind": "Company", "name": "ZZ enum"}, "c": map[string]any{"source": "x", "quote": "y"}},
			"Company is not a valid EntityKind: enum values are case-sensitive; did you mean COMPANY?", []any{"variable", "in", "kind"}},
		{"an order direction", `query($o: EntityOrder) { entities(first: 1, orderBy: $o) { totalCount } }`,
			map[string]any{"o": map[string]any{"field": "NAME", "direction": "desc"}}, "desc is not a valid OrderDirection: enum values are case-sensitive; did you mean DESC?", []any{"variable", "o", "direction"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := post(t, h, tc.query, tc.vars)
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" || resp.Errors[0].Message != tc.want ||
				fmt.Sprint(resp.Errors[0].Path) != fmt.Sprint(tc.path) {
				t.Errorf("errors %+v; want one GRAPHQL_VALIDATION_FAILED %q at %v", resp.Errors, tc.want, tc.path)
			}
		})
	}
	// The same with a variable: a malformed Date variable is the caller's fault.
	resp := post(t, h, `query($d: Date) { paths(from: "polyu", to: "hkust", asOf: $d) { length } }`, map[string]any{"d": "2019-13"})
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] == "INTERNAL" || !strings.Contains(resp.Errors[0].Message, "2019-13") {
		t.Errorf("malformed Date variable = %+v", resp.Errors)
	}
}

func TestUnavailable(t *testing.T) {
	st := unavailableStore(t)
	h := newHandler(t, st)
	for _, q := range []string{
		`{ entity(id: "polyu") { id name } }`,
		`{ entities(first: 3) { nodes { id } } }`,
		`{ search(query: "polyu") { score } }`,
	} {
		resp := post(t, h, q, nil)
		if len(resp.Errors) == 0 {
			t.Fatalf("%s: no error with Neo4j gone; data %s", q, resp.Data)
		}
		e := resp.Errors[0]
		if e.Extensions["code"] != "UNAVAILABLE" {
			t.Errorf("%s: code = %v, want UNAVAILABLE (%q)", q, e.Extensions["code"], e.Message)
		}
		for _, leak := range []string{"bolt", "connection refused", "neo4j", "Neo4j", "127.0.0.1", "dial"} {
			if strings.Contains(e.Message, leak) {
				t.Errorf("message %q leaks driver detail %q", e.Message, leak)
			}
		}
		raw, _ := json.Marshal(resp)
		if strings.Contains(string(raw), "refused") {
			t.Errorf("response leaks the driver error: %s", raw)
		}
	}
}
