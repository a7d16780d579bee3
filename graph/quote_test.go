package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
)

// TestChangeQuoteChecked checks that a change's quote must occur verbatim
// in its source's document when the server has the documents, as the
// seed's quotes must: a curator could otherwise cite a source for words it
// does not contain. The documents are fixtures written for the test, under
// the file names of the seed's sources.
func TestChangeQuoteChecked(t *testing.T) {
	st := neo4jtest.Store(t)
	g, err := neo4jtest.SeedGraph()
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, s := range g.Sources {
		docs[s.File] = "A fixture document that says nothing of robots."
		if s.ID == "s001-innovation-hub" {
			docs[s.File] = kg.CollapseSpace("A fixture document: Roborn, a robot company in Hong Kong, makes robots.")
		}
	}
	tokens, err := graph.ParseTokens("cy:curator:" + graph.HashToken("curator-secret"))
	if err != nil {
		t.Fatal(err)
	}
	h := newHandlerWith(t, st, func(c *graph.HandlerConfig) { c.Tokens, c.Docs = tokens, docs })
	id := fmt.Sprintf("zz-test-quote-%d", time.Now().UnixNano())
	t.Cleanup(func() { rawDelete(t, id) })
	for _, tc := range []struct {
		name, source, quote string
		code                string // "" for success
	}{
		{"words the source does not contain", "s001-innovation-hub", "Roborn, a spaceship company on Mars", "BAD_USER_INPUT"},
		{"another source's words", "s000-hk-china-hi-tech-drive", "Roborn, a robot company in Hong Kong", "BAD_USER_INPUT"},
		{"unknown source", "no-such-source", "anything", "NOT_FOUND"},
		{"verbatim, whitespace aside", "s001-innovation-hub", "Roborn,   a robot\ncompany in Hong Kong", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := `mutation($id: ID!, $src: ID!, $quote: String!) { createEntity(input: {id: $id, kind: COMPANY, name: "ZZ Quote Robotics"}, change: {source: $src, quote: $quote}) { id } }`
			resp := postAs(t, h, "curator-secret", q, map[string]any{"id": id, "src": tc.source, "quote": tc.quote})
			got := ""
			if len(resp.Errors) > 0 {
				got, _ = resp.Errors[0].Extensions["code"].(string)
			}
			if got != tc.code {
				t.Fatalf("code %q, want %q (%+v)", got, tc.code, resp.Errors)
			}
			if tc.code == "BAD_USER_INPUT" && resp.Errors[0].Extensions["argument"] != "change.quote" {
				t.Errorf("error does not name change.quote: %+v", resp.Errors[0])
			}
		})
	}
}
