package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/neo4jtest"
)

func TestMutationAuth(t *testing.T) {
	st := neo4jtest.Store(t)
	tokens, err := graph.ParseTokens("ann:admin:" + graph.HashToken("admin-secret") + ",cy:curator:" + graph.HashToken("curator-secret"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHandlerWith(t, st, func(c *graph.HandlerConfig) { c.Tokens = tokens })
	// A fresh id and key per run: the audit log outlives the entity.
	id := fmt.Sprintf("zz-test-auth-%d", time.Now().UnixNano())
	t.Cleanup(func() { rawDelete(t, id) })
	send := func(token, q string) (int, gqlResponse) {
		body, _ := json.Marshal(map[string]any{"query": q})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var resp gqlResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("not JSON: %s", rec.Body.String())
		}
		return rec.Code, resp
	}
	change := `change: {source: "s001-innovation-hub", quote: "Roborn, a robot company in Hong Kong", idempotencyKey: "` + id + `-key"}`
	create := `mutation { createEntity(input: {id: "` + id + `", kind: COMPANY, name: "ZZ Auth Robotics"}, ` + change + `) { id version } }`
	del := `mutation { deleteEntity(id: "` + id + `", expectedVersion: 1, change: {source: "s001-innovation-hub", quote: "Roborn"}) }`

	for _, tc := range []struct {
		name, token, query string
		status             int
		code               string
	}{
		{"anonymous read", "", `{ entity(id: "polyu") { id } }`, 200, ""},
		{"anonymous mutation", "", create, 200, "UNAUTHENTICATED"},
		{"wrong token", "nope", `{ entity(id: "polyu") { id } }`, 401, "UNAUTHENTICATED"},
		{"curator creates", "curator-secret", create, 200, ""},
		{"retry with the same key applies once", "curator-secret", create, 200, ""},
		{"curator may not delete", "curator-secret", del, 200, "FORBIDDEN"},
		{"admin deletes", "admin-secret", del, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := send(tc.token, tc.query)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			got := ""
			if len(resp.Errors) > 0 {
				got, _ = resp.Errors[0].Extensions["code"].(string)
			}
			if got != tc.code {
				t.Fatalf("code %q, want %q (%+v)", got, tc.code, resp.Errors)
			}
		})
	}
	// The audit log holds exactly one create and one delete, with their actors.
	_, resp := send("", `{ changes(entity: "`+id+`", first: 10) { nodes { actor operation } } }`)
	var data struct {
		Changes struct {
			Nodes []struct{ Actor, Operation string }
		}
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("%v %+v", err, resp.Errors)
	}
	got := []string{}
	for _, n := range data.Changes.Nodes {
		got = append(got, n.Actor+":"+n.Operation)
	}
	if len(got) != 2 || got[0] != "ann:DELETE_ENTITY" || got[1] != "cy:CREATE_ENTITY" {
		t.Errorf("audit log = %v, want [ann:DELETE_ENTITY cy:CREATE_ENTITY]", got)
	}
	// since may carry any UTC offset: the same instant finds the same
	// changes (Neo4j refused every offset but Z as an invalid request).
	hourAgo, inAnHour := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	for _, tc := range []struct {
		name  string
		since time.Time
		want  int
	}{
		{"Z", hourAgo.UTC(), 2},
		{"+08:00", hourAgo.In(time.FixedZone("HKT", 8*3600)), 2},
		{"-05:00", hourAgo.In(time.FixedZone("EST", -5*3600)), 2},
		{"+00:00 (Go's Local zone on a UTC machine)", hourAgo.In(time.FixedZone("", 0)), 2},
		{"an hour ahead, +08:00", inAnHour.In(time.FixedZone("HKT", 8*3600)), 0},
	} {
		since := tc.since.Format(time.RFC3339)
		if strings.HasSuffix(tc.name, "machine)") {
			since = strings.TrimSuffix(since, "Z") + "+00:00"
		}
		t.Run("since "+tc.name, func(t *testing.T) {
			_, resp := send("", `{ changes(entity: "`+id+`", since: "`+since+`", first: 10) { nodes { operation } } }`)
			var data struct {
				Changes struct{ Nodes []struct{ Operation string } }
			}
			if err := json.Unmarshal(resp.Data, &data); err != nil || len(resp.Errors) > 0 {
				t.Fatalf("since %s: %v %+v", since, err, resp.Errors)
			}
			if len(data.Changes.Nodes) != tc.want {
				t.Errorf("since %s: %d changes, want %d", since, len(data.Changes.Nodes), tc.want)
			}
		})
	}
}
