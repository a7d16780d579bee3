package graph_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
	"github.com/innograph/innograph/internal/workbench"
)

// workbenchHandler is the GraphQL handler with the workbench on, and a
// curator's and an admin's tokens.
func workbenchHandler(t testing.TB, maxBytes int) (http.Handler, *store.Store) {
	t.Helper()
	st := neo4jtest.Store(t)
	tokens, err := graph.ParseTokens("cy:curator:" + graph.HashToken("curator-secret") + ",ann:admin:" + graph.HashToken("admin-secret"))
	if err != nil {
		t.Fatal(err)
	}
	wb := workbench.Backend{Store: st, Service: &workbench.Service{Store: st, MaxBytes: maxBytes}}
	return newHandlerWith(t, st, func(c *graph.HandlerConfig) { c.Tokens, c.Workbench = tokens, wb }), st
}

func workbenchArticle(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/workbench_article.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cleanupWorkbench removes the source of text, its mentions and suggestions
// and the entities accepting them makes, now and when the test ends.
func cleanupWorkbench(t testing.TB, text string, entities ...string) {
	t.Helper()
	del := func() {
		neo4jtest.Cypher(t, `MATCH (s:Source {digest: $d}) OPTIONAL MATCH (s)-[:HAS_MENTION|HAS_SUGGESTION]->(x) DETACH DELETE x, s`,
			map[string]any{"d": workbench.DigestOf(text)})
		neo4jtest.Cypher(t, `MATCH (n:Entity) WHERE n.id IN $ids DETACH DELETE n`, map[string]any{"ids": entities})
		neo4jtest.Cypher(t, `MATCH (k:IngestKey) WHERE k.key STARTS WITH 'zz-test-' DELETE k`, nil)
	}
	del()
	t.Cleanup(del)
}

const ingestMutation = `mutation($in: IngestDocumentInput!, $key: String) { ingestDocument(input: $in, idempotencyKey: $key) {
  id title digest text mentions(first: 100) { totalCount nodes { start end text entities { id } } }
  suggestions(first: 100) { totalCount nodes { id kind status text quote start end } } } }`

type ingested struct {
	IngestDocument struct {
		ID       string  `json:"id"`
		Title    string  `json:"title"`
		Digest   *string `json:"digest"`
		Text     *string `json:"text"`
		Mentions struct {
			TotalCount int `json:"totalCount"`
			Nodes      []struct {
				Start, End int
				Text       string
				Entities   []ref
			} `json:"nodes"`
		} `json:"mentions"`
		Suggestions struct {
			TotalCount int `json:"totalCount"`
			Nodes      []suggestionNode
		} `json:"suggestions"`
	} `json:"ingestDocument"`
}

type suggestionNode struct {
	ID, Kind, Status, Text, Quote string
	Start, End                    int
}

func decode(t testing.TB, resp gqlResponse, v any) {
	t.Helper()
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %+v", resp.Errors)
	}
	if err := json.Unmarshal(resp.Data, v); err != nil {
		t.Fatal(err)
	}
}

// ingestDocument stores the text with its digest, offsets count code
// points, the same text again answers the same source, and only curators
// and admins ingest.
func TestIngestDocumentGraphQL(t *testing.T) {
	h, _ := workbenchHandler(t, 0)
	text := workbenchArticle(t)
	cleanupWorkbench(t, text)
	in := map[string]any{"title": "Zyxo opens in Kowloon", "publisher": "Zyxo Wire", "published": "2024-05-06", "url": "https://zyxo.example/2", "text": text}
	var first ingested
	decode(t, postAs(t, h, "curator-secret", ingestMutation, map[string]any{"in": in, "key": "zz-test-ingest-1"}), &first)
	d := first.IngestDocument
	if d.Digest == nil || *d.Digest != workbench.DigestOf(text) || d.Text == nil || *d.Text != text {
		t.Fatalf("source %s: digest %v, text stored %v", d.ID, d.Digest, d.Text != nil)
	}
	runes := []rune(text)
	if d.Mentions.TotalCount == 0 || d.Suggestions.TotalCount == 0 {
		t.Fatalf("%d mentions, %d suggestions", d.Mentions.TotalCount, d.Suggestions.TotalCount)
	}
	for _, m := range d.Mentions.Nodes {
		if string(runes[m.Start:m.End]) != m.Text || len(m.Entities) == 0 {
			t.Errorf("mention %+v: code points give %q", m, string(runes[m.Start:m.End]))
		}
	}
	for _, s := range d.Suggestions.Nodes {
		if string(runes[s.Start:s.End]) != s.Text || s.Status != "OPEN" {
			t.Errorf("suggestion %+v: code points give %q", s, string(runes[s.Start:s.End]))
		}
	}
	// Again, by the admin and with another key: the same source, no new suggestion.
	var second ingested
	decode(t, postAs(t, h, "admin-secret", ingestMutation, map[string]any{"in": in, "key": "zz-test-ingest-2"}), &second)
	if second.IngestDocument.ID != d.ID || second.IngestDocument.Suggestions.TotalCount != d.Suggestions.TotalCount {
		t.Errorf("second ingest: source %s with %d suggestions, want %s with %d", second.IngestDocument.ID, second.IngestDocument.Suggestions.TotalCount, d.ID, d.Suggestions.TotalCount)
	}
	// A key reused for another text is a conflict; anonymous callers are refused.
	other := map[string]any{"title": "Other", "text": "Another text entirely."}
	for _, tc := range []struct {
		name, token string
		vars        map[string]any
		code        string
	}{
		{"key reused for another text", "curator-secret", map[string]any{"in": other, "key": "zz-test-ingest-1"}, "CONFLICT"},
		{"anonymous", "", map[string]any{"in": in}, "UNAUTHENTICATED"},
	} {
		resp := postAs(t, h, tc.token, ingestMutation, tc.vars)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != tc.code {
			t.Errorf("%s: errors %+v, want %s", tc.name, resp.Errors, tc.code)
		}
	}
}

// Each limit of a document is a BAD_USER_INPUT naming its argument.
func TestIngestDocumentLimits(t *testing.T) {
	h, _ := workbenchHandler(t, 1024)
	base := func(k, v string) map[string]any {
		in := map[string]any{"title": "Limits", "text": "Plain text."}
		in[k] = v
		return map[string]any{"in": in}
	}
	tests := []struct {
		name string
		vars map[string]any
		arg  string
		says string
	}{
		{"over INGEST_MAX_BYTES", base("text", strings.Repeat("word ", 205)), "input.text", "at most 1024"},
		{"control character", base("text", "bell\a"), "input.text", "U+0007"},
		{"carriage return", base("text", "line\r\nline"), "input.text", "U+000D"},
		{"empty text", base("text", ""), "input.text", "empty"},
		{"not http", base("url", "file:///etc/passwd"), "input.url", "http(s)"},
		{"empty title", base("title", ""), "input.title", "title"},
		{"bad date", base("published", "2024-13"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := postAs(t, h, "curator-secret", `mutation($in: IngestDocumentInput!) { ingestDocument(input: $in) { id } }`, tt.vars)
			if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
				t.Fatalf("errors %+v, want BAD_USER_INPUT", resp.Errors)
			}
			e := resp.Errors[0]
			if tt.arg != "" && (e.Extensions["argument"] != tt.arg || !strings.Contains(e.Message, tt.says)) {
				t.Errorf("error %+v, want argument %s saying %q", e, tt.arg, tt.says)
			}
		})
	}
}

// Review: list open suggestions, reject one, accept a relationship whose end
// is a new entity; the fact then shows on the entity with its quote, a quote
// not in the stored text is refused, and the rejected suggestion stays
// rejected when the document is ingested again.
func TestReviewSuggestionsGraphQL(t *testing.T) {
	h, _ := workbenchHandler(t, 0)
	text := workbenchArticle(t)
	cleanupWorkbench(t, text, "zyxo-robotics-centre", "merel-quandt")
	in := map[string]any{"title": "Zyxo opens in Kowloon", "text": text}
	var doc ingested
	decode(t, postAs(t, h, "curator-secret", ingestMutation, map[string]any{"in": in}), &doc)
	byText := map[string]suggestionNode{}
	for _, s := range doc.IngestDocument.Suggestions.Nodes {
		byText[s.Kind+" "+s.Text] = s
	}
	wire, ok := byText["ENTITY Zyxo Wire"]
	if !ok {
		t.Fatalf("no entity suggestion for the masthead among %v", byText)
	}
	var rejected struct {
		RejectSuggestion struct{ Status, DecidedBy string } `json:"rejectSuggestion"`
	}
	decode(t, postAs(t, h, "curator-secret", `mutation($id: ID!) { rejectSuggestion(id: $id, reason: "masthead") { status decidedBy } }`, map[string]any{"id": wire.ID}), &rejected)
	if rejected.RejectSuggestion.Status != "REJECTED" || rejected.RejectSuggestion.DecidedBy != "cy" {
		t.Errorf("rejected: %+v", rejected)
	}
	var rel suggestionNode
	for k, s := range byText {
		if strings.HasPrefix(k, "RELATIONSHIP Merel Quandt") {
			rel = s
		}
	}
	if rel.ID == "" {
		t.Fatalf("no relationship suggestion for Merel Quandt among %v", byText)
	}
	var accepted struct {
		AcceptSuggestion struct {
			Status               string
			AcceptedRelationship struct {
				ID       string
				From, To ref
				Evidence []struct{ Quote string }
			} `json:"acceptedRelationship"`
		} `json:"acceptSuggestion"`
	}
	decode(t, postAs(t, h, "curator-secret", `mutation($id: ID!) { acceptSuggestion(id: $id, change: null) {
  status acceptedRelationship { id from { id } to { id } evidence { quote } } } }`, map[string]any{"id": rel.ID}), &accepted)
	a := accepted.AcceptSuggestion
	if a.Status != "ACCEPTED" || a.AcceptedRelationship.From.ID != "merel-quandt" || a.AcceptedRelationship.To.ID != "zyxo-robotics-centre" {
		t.Fatalf("accepted: %+v", a)
	}
	// The fact is on the entity page, with its quote.
	var ent struct {
		Entity struct {
			Relationships struct {
				Nodes []struct {
					ID       string
					Evidence []struct{ Quote string }
				}
			}
		}
	}
	decode(t, post(t, h, `query { entity(id: "zyxo-robotics-centre") { relationships { nodes { id evidence { quote } } } } }`, nil), &ent)
	found := false
	for _, r := range ent.Entity.Relationships.Nodes {
		if r.ID == a.AcceptedRelationship.ID && len(r.Evidence) == 1 && strings.Contains(text, strings.Fields(r.Evidence[0].Quote)[0]) {
			found = true
		}
	}
	if !found {
		t.Errorf("relationship %s not on the entity: %+v", a.AcceptedRelationship.ID, ent)
	}
	// A quote that is not in the stored text is refused; one that is passes.
	relate := `mutation($src: ID!, $q: String!) { createRelationship(input: {from: "merel-quandt", type: WORKS_AT, to: "zyxo-robotics-centre"},
  change: {source: $src, quote: $q}) { id } }`
	resp := postAs(t, h, "curator-secret", relate, map[string]any{"src": doc.IngestDocument.ID, "q": "Merel Quandt founded a bakery."})
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["argument"] != "change.quote" {
		t.Errorf("a quote not in the text: %+v", resp.Errors)
	}
	// Accepting again is a conflict; re-ingesting keeps the decisions.
	resp = postAs(t, h, "curator-secret", `mutation($id: ID!) { acceptSuggestion(id: $id) { status } }`, map[string]any{"id": rel.ID})
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Errorf("accepting twice: %+v", resp.Errors)
	}
	var again ingested
	decode(t, postAs(t, h, "curator-secret", ingestMutation, map[string]any{"in": in}), &again)
	for _, s := range again.IngestDocument.Suggestions.Nodes {
		if s.ID == wire.ID && s.Status != "REJECTED" || s.ID == rel.ID && s.Status != "ACCEPTED" {
			t.Errorf("after re-ingest %s is %s", s.Text, s.Status)
		}
	}
	var open struct {
		Source struct {
			Suggestions struct{ TotalCount int } `json:"suggestions"`
		} `json:"source"`
	}
	decode(t, post(t, h, `query($id: ID!) { source(id: $id) { suggestions(status: [REJECTED]) { totalCount } } }`, map[string]any{"id": doc.IngestDocument.ID}), &open)
	if open.Source.Suggestions.TotalCount != 1 {
		t.Errorf("%d rejected suggestions, want 1", open.Source.Suggestions.TotalCount)
	}
}
