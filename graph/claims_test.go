package graph_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/neo4jtest"
)

// "Who heads the Innovation and Technology Bureau?" answers one person for a
// day: each Secretary's title is observed on the date of the article or event
// that gives it.
func TestHeadsOfBureauAsOf(t *testing.T) {
	h, _ := testHandler(t)
	tests := []struct {
		asOf string
		want []string
	}{
		{"2022-01-15", []string{"alfred-sit"}},
		{"2018-05-15", []string{"nicholas-yang"}},
		{"2020-06-01", []string{}},
	}
	for _, tt := range tests {
		var data struct {
			Entity struct {
				Relationships struct {
					Nodes []struct {
						From ref `json:"from"`
						On   string
					} `json:"nodes"`
				} `json:"relationships"`
			} `json:"entity"`
		}
		query(t, h, `query($d: Date) { entity(id: "innovation-and-technology-bureau") {
  relationships(types: [HEADS], direction: INCOMING, asOf: $d) { nodes { from { id } on } } } }`, map[string]any{"d": tt.asOf}, &data)
		got := []string{}
		for _, n := range data.Entity.Relationships.Nodes {
			got = append(got, n.From.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("heads of the bureau as of %s = %v, want %v", tt.asOf, got, tt.want)
		}
	}
}

// A person's roles carry the date a title was observed on.
func TestRolesObservedOn(t *testing.T) {
	h, _ := testHandler(t)
	var data struct {
		Entity struct {
			Roles []struct {
				Organization ref     `json:"organization"`
				On           *string `json:"on"`
				Since        *string `json:"since"`
				Until        *string `json:"until"`
				Status       string  `json:"status"`
			} `json:"roles"`
		} `json:"entity"`
	}
	query(t, h, `{ entity(id: "carrie-lam") { ... on Person { roles { organization { id } on since until status } } } }`, nil, &data)
	got := []string{}
	for _, r := range data.Entity.Roles {
		if r.Organization.ID == "hksar-government" {
			got = append(got, fmt.Sprintf("on=%s until=%s %s", deref(r.On), deref(r.Until), r.Status))
		}
	}
	want := "[on=<nil> until=2022-07-07 ASSERTED on=2018-05-15 until=<nil> ASSERTED on=2018-11 until=<nil> ASSERTED]"
	if fmt.Sprint(got) != want {
		t.Errorf("Carrie Lam's posts at the HKSAR Government = %v, want %s", got, want)
	}
}

// Evidence carries its status and attribution; a relationship the status of
// its strongest evidence; statuses filters relationships, neighbours,
// subgraph and paths.
func TestClaimStatusesThroughGraphQL(t *testing.T) {
	h, _ := testHandler(t)
	type evidence struct {
		Quote        string `json:"quote"`
		Status       string `json:"status"`
		AttributedTo *ref   `json:"attributedTo"`
	}
	type rel struct {
		ID       string     `json:"id"`
		Status   string     `json:"status"`
		Evidence []evidence `json:"evidence"`
	}
	var data struct {
		Entity struct {
			All   struct{ Nodes []rel } `json:"all"`
			Facts struct {
				Nodes      []rel
				TotalCount int `json:"totalCount"`
			} `json:"facts"`
			Neighbours []struct {
				Entity ref `json:"entity"`
			} `json:"neighbours"`
		} `json:"entity"`
		Fundings struct {
			Nodes []struct {
				ID       string     `json:"id"`
				Status   string     `json:"status"`
				Evidence []evidence `json:"evidence"`
			} `json:"nodes"`
		} `json:"fundings"`
	}
	query(t, h, `{ entity(id: "cas-hk-institution") {
  all: relationships(first: 50) { nodes { id status evidence { quote status attributedTo { id name } } } }
  facts: relationships(statuses: [ASSERTED, REPORTED], first: 50) { nodes { id status } totalCount }
  neighbours(statuses: [OPINION], first: 50) { entity { id } } }
  fundings(funder: "hksar-government") { nodes { id status evidence { status attributedTo { id } } } } }`, nil, &data)
	byID := map[string]rel{}
	for _, r := range data.Entity.All.Nodes {
		byID[r.ID] = r
	}
	liaison := byID["cas-hk-institution~collaborates_with~most"]
	if liaison.Status != "OPINION" || len(liaison.Evidence) != 1 || liaison.Evidence[0].Status != "OPINION" ||
		liaison.Evidence[0].AttributedTo == nil || liaison.Evidence[0].AttributedTo.Name != "Karen Hsu" {
		t.Errorf("the commentator's liaison = %+v", liaison)
	}
	if est := byID["cas~established~cas-hk-institution"]; est.Status != "PLANNED" || est.Evidence[0].AttributedTo != nil {
		t.Errorf("the institution's establishment = %+v; want PLANNED, the source speaking", est)
	}
	for _, r := range data.Entity.Facts.Nodes {
		if r.Status != "ASSERTED" && r.Status != "REPORTED" {
			t.Errorf("statuses [ASSERTED, REPORTED] kept %s (%s)", r.ID, r.Status)
		}
	}
	if n := len(data.Entity.Facts.Nodes); n == 0 || n >= len(data.Entity.All.Nodes) || data.Entity.Facts.TotalCount != n {
		t.Errorf("facts only: %d of %d relationships, totalCount %d", n, len(data.Entity.All.Nodes), data.Entity.Facts.TotalCount)
	}
	got := []string{}
	for _, n := range data.Entity.Neighbours {
		got = append(got, n.Entity.ID)
	}
	if fmt.Sprint(ids(toRefs(got))) != "[innovation-and-technology-bureau most]" {
		t.Errorf("neighbours by opinion = %v", got)
	}
	statusOf := map[string]string{}
	for _, f := range data.Fundings.Nodes {
		statusOf[f.ID] = f.Status
		if f.ID == "hksar-gov-it-investment-current-term" && (f.Evidence[0].AttributedTo == nil || f.Evidence[0].AttributedTo.ID != "alfred-sit") {
			t.Errorf("HKD 130 billion attributed to %+v, want Alfred Sit", f.Evidence[0].AttributedTo)
		}
	}
	if statusOf["hksar-gov-cas-joint-labs-2018-19"] != "PLANNED" || statusOf["hksar-gov-it-investment-current-term"] != "REPORTED" {
		t.Errorf("funding statuses = %v", statusOf)
	}

	// fundings(statuses:) keeps the records of those statuses; its count and
	// totals follow.
	var fs struct {
		Plans, NoPlans struct {
			Nodes []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"nodes"`
			TotalCount int `json:"totalCount"`
			Totals     []struct {
				Currency string `json:"currency"`
			} `json:"totals"`
		}
	}
	query(t, h, `{ plans: fundings(funder: "hksar-government", statuses: [PLANNED]) { nodes { id status } totalCount totals { currency } }
  noPlans: fundings(funder: "hksar-government", statuses: [ASSERTED, REPORTED, OPINION]) { nodes { id status } totalCount } }`, nil, &fs)
	if len(fs.Plans.Nodes) == 0 || fs.Plans.TotalCount != len(fs.Plans.Nodes) {
		t.Errorf("planned fundings of the government: %+v", fs.Plans)
	}
	for _, f := range fs.Plans.Nodes {
		if f.Status != "PLANNED" {
			t.Errorf("fundings(statuses: [PLANNED]) kept %s (%s)", f.ID, f.Status)
		}
	}
	for _, f := range fs.NoPlans.Nodes {
		if f.Status == "PLANNED" {
			t.Errorf("fundings without plans kept %s", f.ID)
		}
	}
	if got := len(fs.Plans.Nodes) + len(fs.NoPlans.Nodes); got != len(data.Fundings.Nodes) {
		t.Errorf("plans (%d) and the rest (%d) make %d fundings, want all %d", len(fs.Plans.Nodes), len(fs.NoPlans.Nodes), got, len(data.Fundings.Nodes))
	}

	// Subgraph and paths: Karen Hsu's liaison is the only link between the
	// institution and the bureau within two hops.
	var sp struct {
		Subgraph struct {
			Relationships []rel `json:"relationships"`
		} `json:"subgraph"`
		All   []struct{ Length int } `json:"all"`
		Facts []struct{ Length int } `json:"facts"`
	}
	query(t, h, `{ subgraph(ids: ["cas-hk-institution"], depth: 1, statuses: [PLANNED]) { relationships { id status } }
  all: paths(from: "cas-hk-institution", to: "innovation-and-technology-bureau", maxHops: 1) { length }
  facts: paths(from: "cas-hk-institution", to: "innovation-and-technology-bureau", maxHops: 1, statuses: [ASSERTED, REPORTED, PLANNED]) { length } }`, nil, &sp)
	if len(sp.Subgraph.Relationships) == 0 {
		t.Error("no planned relationships around the planned institution")
	}
	for _, r := range sp.Subgraph.Relationships {
		if r.Status != "PLANNED" {
			t.Errorf("subgraph of plans holds %s (%s)", r.ID, r.Status)
		}
	}
	if len(sp.All) != 1 || len(sp.Facts) != 0 {
		t.Errorf("one-hop paths to the bureau: %d in all, %d without opinions; want 1 and 0", len(sp.All), len(sp.Facts))
	}
}

func toRefs(ss []string) []ref {
	out := make([]ref, 0, len(ss))
	for _, s := range ss {
		out = append(out, ref{ID: s})
	}
	return out
}

// A curator states a claim's status and attribution with the change that
// creates a relationship; an unknown attribution is refused, and so is a
// status on a change that states no claim.
func TestCreateRelationshipClaim(t *testing.T) {
	st := neo4jtest.Store(t)
	tokens, err := graph.ParseTokens("cy:curator:" + graph.HashToken("curator-secret") + ",ann:admin:" + graph.HashToken("admin-secret"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHandlerWith(t, st, func(c *graph.HandlerConfig) { c.Tokens = tokens })
	id := fmt.Sprintf("zz-test-claim-%d", time.Now().UnixNano())
	t.Cleanup(func() { rawDelete(t, id) })
	create := `mutation($id: ID!) { createEntity(input: {id: $id, kind: COMPANY, name: "ZZ Claim Robotics"},
  change: {source: "s003-digital-economy-blueprint", quote: "IDEA also signed a strategic cooperation framework agreement"}) { id } }`
	if resp := postAs(t, h, "curator-secret", create, map[string]any{"id": id}); len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	relate := `mutation($id: ID!, $status: ClaimStatus, $by: ID) { createRelationship(input: {from: $id, type: COLLABORATES_WITH, to: "idea"},
  change: {source: "s003-digital-economy-blueprint", quote: "IDEA will put the multidisciplinary industrial forte into full play", status: $status, attributedTo: $by}) {
  id status evidence { status attributedTo { id } } } }`
	for _, tc := range []struct {
		name, status, by string
		code, arg        string
	}{
		{"attributed to no entity", "PLANNED", "no-such-speaker", "NOT_FOUND", "change.attributedTo"},
		{"a malformed attribution", "PLANNED", "Harry Shum", "BAD_USER_INPUT", "change.attributedTo"},
		{"a plan in Shum's words", "PLANNED", "harry-shum", "", ""},
	} {
		resp := postAs(t, h, "curator-secret", relate, map[string]any{"id": id, "status": tc.status, "by": tc.by})
		if tc.code != "" {
			if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != tc.code || resp.Errors[0].Extensions["argument"] != tc.arg {
				t.Errorf("%s: errors %+v, want %s on %s", tc.name, resp.Errors, tc.code, tc.arg)
			}
			continue
		}
		if len(resp.Errors) > 0 {
			t.Fatalf("%s: %+v", tc.name, resp.Errors)
		}
		var data struct {
			CreateRelationship struct {
				Status   string `json:"status"`
				Evidence []struct {
					Status       string `json:"status"`
					AttributedTo *ref   `json:"attributedTo"`
				} `json:"evidence"`
			} `json:"createRelationship"`
		}
		if err := json.Unmarshal(resp.Data, &data); err != nil {
			t.Fatal(err)
		}
		r := data.CreateRelationship
		if r.Status != "PLANNED" || len(r.Evidence) != 1 || r.Evidence[0].AttributedTo == nil || r.Evidence[0].AttributedTo.ID != "harry-shum" {
			t.Errorf("%s: %+v", tc.name, r)
		}
	}
	// The audit log keeps the claim as it was given: its status and speaker.
	var log struct {
		Changes struct {
			Nodes []struct {
				Operation string `json:"operation"`
				Evidence  struct {
					Status       string `json:"status"`
					AttributedTo *ref   `json:"attributedTo"`
				} `json:"evidence"`
			} `json:"nodes"`
		} `json:"changes"`
	}
	query(t, h, `query($id: ID!) { changes(entity: $id, first: 10) { nodes { operation evidence { status attributedTo { id } } } } }`, map[string]any{"id": id}, &log)
	seen := map[string]string{}
	for _, c := range log.Changes.Nodes {
		by := ""
		if c.Evidence.AttributedTo != nil {
			by = c.Evidence.AttributedTo.ID
		}
		seen[c.Operation] = c.Evidence.Status + " " + by
	}
	if seen["CREATE_RELATIONSHIP"] != "PLANNED harry-shum" || seen["CREATE_ENTITY"] != "ASSERTED " {
		t.Errorf("audit entries' claims = %q", seen)
	}
	// The attribution follows its entity when that is merged into another.
	speaker, survivor := id+"-speaker", id+"-survivor"
	mk := `mutation($id: ID!, $name: String!) { createEntity(input: {id: $id, kind: PERSON, name: $name},
  change: {source: "s003-digital-economy-blueprint", quote: "Harry Shum, the Academy’s Chairman"}) { id } }`
	for _, e := range [][2]string{{speaker, "ZZ Claim Speaker"}, {survivor, "ZZ Claim Survivor"}} {
		if resp := postAs(t, h, "curator-secret", mk, map[string]any{"id": e[0], "name": e[1]}); len(resp.Errors) > 0 {
			t.Fatal(resp.Errors)
		}
	}
	relateBy := `mutation($id: ID!, $by: ID) { createRelationship(input: {from: $id, type: SUPPORTS, to: "idea"},
  change: {source: "s003-digital-economy-blueprint", quote: "Harry Shum, the Academy’s Chairman", status: REPORTED, attributedTo: $by}) { id } }`
	if resp := postAs(t, h, "curator-secret", relateBy, map[string]any{"id": id, "by": speaker}); len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	merge := `mutation($keep: ID!, $remove: ID!) { mergeEntities(keep: $keep, remove: $remove,
  change: {source: "s003-digital-economy-blueprint", quote: "Harry Shum, the Academy’s Chairman"}) { id } }`
	if resp := postAs(t, h, "admin-secret", merge, map[string]any{"keep": survivor, "remove": speaker}); len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	var after struct {
		Entity struct {
			Relationships struct {
				Nodes []struct {
					Status   string `json:"status"`
					Evidence []struct {
						AttributedTo *ref `json:"attributedTo"`
					} `json:"evidence"`
				} `json:"nodes"`
			} `json:"relationships"`
		} `json:"entity"`
	}
	query(t, h, `query($id: ID!) { entity(id: $id) { relationships(types: [SUPPORTS]) { nodes { status evidence { attributedTo { id } } } } } }`,
		map[string]any{"id": id}, &after)
	if n := after.Entity.Relationships.Nodes; len(n) != 1 || n[0].Status != "REPORTED" || n[0].Evidence[0].AttributedTo == nil || n[0].Evidence[0].AttributedTo.ID != survivor {
		t.Errorf("attribution after merging the speaker into %s: %+v", survivor, n)
	}

	update := `mutation($id: ID!) { updateEntity(input: {id: $id, expectedVersion: 1, description: "x"},
  change: {source: "s003-digital-economy-blueprint", quote: "IDEA also signed a strategic cooperation framework agreement", status: OPINION}) { id } }`
	resp := postAs(t, h, "curator-secret", update, map[string]any{"id": id})
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["argument"] != "change.status" {
		t.Errorf("a status on an entity change: %+v, want BAD_USER_INPUT on change.status", resp.Errors)
	}
}
