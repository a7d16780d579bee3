package export_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/export"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
)

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestExportMatchesSubgraph checks that the export endpoint returns the same
// nodes and edges as the store's subgraph, in every format.
func TestExportMatchesSubgraph(t *testing.T) {
	st := neo4jtest.Store(t)
	srv := httptest.NewServer(export.Handler(st, slog.Default()))
	defer srv.Close()
	sg, err := st.Subgraph(context.Background(), kg.SubgraphQuery{IDs: []string{"polyu"}, Depth: 2, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(sg.Nodes) < 3 || len(sg.Rels) < 2 {
		t.Fatalf("subgraph around polyu too small to test: %d nodes %d rels", len(sg.Nodes), len(sg.Rels))
	}
	var wantNodes, wantRels []string
	for _, n := range sg.Nodes {
		wantNodes = append(wantNodes, n.ID)
	}
	for _, r := range sg.Rels {
		wantRels = append(wantRels, r.ID)
	}
	sort.Strings(wantNodes)
	sort.Strings(wantRels)

	for _, tc := range []struct {
		format, contentType string
		ids                 func(t *testing.T, b []byte) (nodes, rels []string)
	}{
		{"json", "application/json", func(t *testing.T, b []byte) (ns, rs []string) {
			var doc struct {
				Nodes         []struct{ ID string }
				Relationships []struct{ ID string }
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			for _, n := range doc.Nodes {
				ns = append(ns, n.ID)
			}
			for _, r := range doc.Relationships {
				rs = append(rs, r.ID)
			}
			return
		}},
		{"cytoscape", "application/json", func(t *testing.T, b []byte) (ns, rs []string) {
			var doc struct {
				Elements struct {
					Nodes, Edges []struct{ Data struct{ ID string } }
				}
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			for _, n := range doc.Elements.Nodes {
				ns = append(ns, n.Data.ID)
			}
			for _, e := range doc.Elements.Edges {
				rs = append(rs, e.Data.ID)
			}
			return
		}},
		{"graphml", "application/graphml+xml", xmlIDs("node", "edge")},
		{"gexf", "application/gexf+xml", xmlIDs("node", "edge")},
	} {
		t.Run(tc.format, func(t *testing.T) {
			resp, b := get(t, srv, "/export/subgraph?ids=polyu&depth=2&limit=100&format="+tc.format)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("Content-Type = %q, want %s", ct, tc.contentType)
			}
			ns, rs := tc.ids(t, b)
			sort.Strings(ns)
			sort.Strings(rs)
			if strings.Join(ns, ",") != strings.Join(wantNodes, ",") {
				t.Errorf("nodes = %v\nwant %v", ns, wantNodes)
			}
			if strings.Join(rs, ",") != strings.Join(wantRels, ",") {
				t.Errorf("relationships = %v\nwant %v", rs, wantRels)
			}
		})
	}
}

func xmlIDs(node, edge string) func(t *testing.T, b []byte) (ns, rs []string) {
	return func(t *testing.T, b []byte) (ns, rs []string) {
		dec := xml.NewDecoder(strings.NewReader(string(b)))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("malformed XML: %v", err)
			}
			if se, ok := tok.(xml.StartElement); ok && (se.Name.Local == node || se.Name.Local == edge) {
				for _, a := range se.Attr {
					if a.Name.Local == "id" {
						if se.Name.Local == node {
							ns = append(ns, a.Value)
						} else {
							rs = append(rs, a.Value)
						}
					}
				}
			}
		}
	}
}

func TestExportPath(t *testing.T) {
	st := neo4jtest.Store(t)
	srv := httptest.NewServer(export.Handler(st, slog.Default()))
	defer srv.Close()
	resp, b := get(t, srv, "/export/path?from=polyu&to=central-government&maxHops=4&first=2&format=json")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	var doc struct {
		Nodes []struct{ ID string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, n := range doc.Nodes {
		ids[n.ID] = true
	}
	if !ids["polyu"] || !ids["central-government"] {
		t.Errorf("path export lacks its ends: %v", ids)
	}
}

func TestExportErrors(t *testing.T) {
	st := neo4jtest.Store(t)
	srv := httptest.NewServer(export.Handler(st, slog.Default()))
	defer srv.Close()
	for _, tc := range []struct {
		path     string
		status   int
		code     string
		argument string
	}{
		{"/export/subgraph?format=gexf", 400, kg.CodeInvalid, "ids"},
		{"/export/subgraph?ids=polyu&format=dot", 400, kg.CodeInvalid, "format"},
		{"/export/subgraph?ids=polyu&depth=9", 400, kg.CodeInvalid, "depth"},
		{"/export/subgraph?ids=polyu&limit=100000", 400, kg.CodeInvalid, "limit"},
		{"/export/subgraph?ids=Bad%20Id", 400, kg.CodeInvalid, "ids"},
		{"/export/subgraph?ids=polyu&types=LIKES", 400, kg.CodeInvalid, "types"},
		{"/export/subgraph?ids=polyu&asOf=2019-13", 400, kg.CodeInvalid, "asOf"},
		{"/export/subgraph?ids=no-such-entity", 404, kg.CodeNotFound, "ids"},
		{"/export/path?from=polyu&to=no-such-entity", 404, kg.CodeNotFound, "to"},
		{"/export/path?from=polyu&to=polyu", 400, kg.CodeInvalid, "to"},
		{"/export/path?from=polyu&to=hkust&maxHops=50", 400, kg.CodeInvalid, "maxHops"},
		// Read as false before; now refused.
		{"/export/path?from=polyu&to=hkust&directed=yes", 400, kg.CodeInvalid, "directed"},
		// Parameters the endpoint does not know were left out silently.
		{"/export/path?from=polyu&to=hkust&maxhops=2", 400, kg.CodeInvalid, "maxhops"},
		{"/export/subgraph?ids=polyu&first=5", 400, kg.CodeInvalid, "first"},
		// Other paths were a plain-text 404.
		{"/export/nope", 404, kg.CodeNotFound, ""},
		{"/export/subgraph/", 404, kg.CodeNotFound, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, b := get(t, srv, tc.path)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			var body struct {
				Error struct{ Message, Code, Argument string }
			}
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatal(err)
			}
			if body.Error.Code != tc.code || body.Error.Argument != tc.argument || body.Error.Message == "" {
				t.Errorf("error = %+v, want code %s argument %s", body.Error, tc.code, tc.argument)
			}
		})
	}
}

// TestExportMethods checks that exports are read with GET or HEAD, and
// that other methods get a JSON 405 saying so (they were a plain-text 405).
func TestExportMethods(t *testing.T) {
	st := neo4jtest.Store(t)
	srv := httptest.NewServer(export.Handler(st, slog.Default()))
	defer srv.Close()
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodHead, "/export/path?from=polyu&to=hkust&directed=true", 200},
		{http.MethodPost, "/export/subgraph?ids=polyu", 405},
		{http.MethodDelete, "/export/path?from=polyu&to=hkust", 405},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			if tc.status != 405 {
				return
			}
			var body struct {
				Error struct{ Message, Code string }
			}
			if err := json.Unmarshal(b, &body); err != nil || body.Error.Code != kg.CodeBadRequest ||
				!strings.Contains(body.Error.Message, tc.method) || resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("body %s (%v), Allow %q", b, err, resp.Header.Get("Allow"))
			}
		})
	}
}
