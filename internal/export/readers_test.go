package export_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/export"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/read"
	"github.com/innograph/innograph/internal/store"
)

// readerGraph is a graph as a reader saw it, or as GraphQL answered: nodes by
// id, edges by id.
type readerGraph struct {
	Networkx   string                `json:"networkx"`
	Directed   bool                  `json:"directed"`
	Multigraph bool                  `json:"multigraph"`
	Nodes      map[string]readerNode `json:"nodes"`
	Edges      map[string]readerEdge `json:"edges"`
}

type readerNode struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type readerEdge struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	Type   string  `json:"type"`
	Status string  `json:"status"`
	Start  *string `json:"start"`
	End    *string `json:"end"`
}

// TestReadersOpenExports reads each export format of a neighbourhood and of
// a set of paths with the readers analysts use (networkx 3.4.2's
// cytoscape_graph, read_graphml and read_gexf, run by testdata/readers/read.py
// in a virtual environment testdata/readers/setup.sh creates), through the
// production export handler on the seed graph, and checks that the reader
// finds the nodes and edges the GraphQL query with the same arguments
// answers: same ids, names, kinds, ends, types and claim statuses, and in GEXF the validity
// interval of each edge. It fails, never skips, when Python or PyPI are
// missing.
func TestReadersOpenExports(t *testing.T) {
	st := neo4jtest.Store(t)
	python := readersPython(t)
	srv := httptest.NewServer(export.Handler(st, slog.Default()))
	defer srv.Close()
	gql := graphQLHandler(st)

	const rel = `id type status from { id } to { id } since until on`
	unasserted := 0 // edges whose status is not ASSERTED: the statuses' test
	for _, tc := range []struct {
		name, export, query string
		vars                map[string]any
		dated               bool // some edges have validity intervals
	}{
		{
			name:   "neighbourhood",
			export: "/export/subgraph?ids=polyu,hkust&depth=2&limit=150",
			query:  `query($ids: [ID!]!) { subgraph(ids: $ids, depth: 2, limit: 150) { nodes { id name kind } relationships { ` + rel + ` } } }`,
			vars:   map[string]any{"ids": []string{"polyu", "hkust"}},
			dated:  true,
		},
		{
			name:   "paths",
			export: "/export/path?from=harry-shum&to=hkust-gz&maxHops=4&first=5",
			query:  `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 4, first: 5) { nodes { id name kind } relationships { ` + rel + ` } } }`,
			vars:   map[string]any{"from": "harry-shum", "to": "hkust-gz"},
		},
	} {
		want := graphQLGraph(t, gql, tc.query, tc.vars)
		if len(want.Nodes) < 3 || len(want.Edges) < 2 {
			t.Fatalf("%s: GraphQL answer too small to test: %d nodes, %d edges", tc.name, len(want.Nodes), len(want.Edges))
		}
		t.Logf("%s: GraphQL answers %d nodes, %d edges", tc.name, len(want.Nodes), len(want.Edges))
		for _, e := range want.Edges {
			if e.Status != string(kg.StatusAsserted) {
				unasserted++
			}
		}
		for _, format := range []string{"cytoscape", "graphml", "gexf"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				resp, body := get(t, srv, tc.export+"&format="+format)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				got := readWithNetworkx(t, python, format, body)
				// networkx makes a multigraph of GraphML and GEXF only when
				// they have parallel edges; Cytoscape JSON says it is one.
				if !got.Directed || (format == "cytoscape" && !got.Multigraph) {
					t.Errorf("networkx read a directed=%v multigraph=%v graph", got.Directed, got.Multigraph)
				}
				compareNodes(t, got.Nodes, want.Nodes)
				if dated := compareEdges(t, got.Edges, want.Edges, format == "gexf"); format == "gexf" && tc.dated && dated == 0 {
					t.Errorf("no edge has a validity interval: the intervals went untested")
				}
			})
		}
	}
	if unasserted == 0 {
		t.Errorf("every edge is ASSERTED: the claim statuses went untested")
	}
}

// graphQLHandler is the production GraphQL handler (graph.NewHandler) with
// cmd/innograph's default limits.
func graphQLHandler(st *store.Store) http.Handler {
	return graph.NewHandler(graph.HandlerConfig{Reader: read.New(read.Shared(st), read.Options{LoaderWait: 500 * time.Microsecond}), Writer: st,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AnonymousReads: true, ComplexityLimit: 50000, DepthLimit: 12,
		Version: st.GraphVersion, Behind: st.Behind, CacheBytes: 64 << 20})
}

type gqlEntity struct{ ID, Name, Kind string }

type gqlRel struct {
	ID, Type, Status string
	From, To         struct{ ID string }
	Since, Until, On *string
}

// graphQLGraph runs a subgraph or paths query and merges its nodes and
// relationships into one graph, as the export of the same arguments does.
// Each edge's expected validity interval is the export's: since..until (the
// first day of since, the last day of until), or the first to the last day
// of on at its precision.
func graphQLGraph(t *testing.T, h http.Handler, query string, vars map[string]any) readerGraph {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	type part struct {
		Nodes         []gqlEntity
		Relationships []gqlRel
	}
	var resp struct {
		Data struct {
			Subgraph *part
			Paths    []part
		}
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("GraphQL: %v %s", err, rec.Body.String())
	}
	parts := resp.Data.Paths
	if resp.Data.Subgraph != nil {
		parts = append(parts, *resp.Data.Subgraph)
	}
	g := readerGraph{Nodes: map[string]readerNode{}, Edges: map[string]readerEdge{}}
	for _, p := range parts {
		for _, n := range p.Nodes {
			g.Nodes[n.ID] = readerNode{Name: n.Name, Kind: n.Kind}
		}
		for _, r := range p.Relationships {
			e := readerEdge{Source: r.From.ID, Target: r.To.ID, Type: r.Type, Status: r.Status}
			switch {
			case r.Since != nil || r.Until != nil:
				e.Start, e.End = day(t, r.Since, kg.Date.Start), day(t, r.Until, kg.Date.End)
			case r.On != nil:
				e.Start, e.End = day(t, r.On, kg.Date.Start), day(t, r.On, kg.Date.End)
			}
			g.Edges[r.ID] = e
		}
	}
	return g
}

// day is the first or last day (as pick says) of a GraphQL Date, nil for nil.
func day(t *testing.T, s *string, pick func(kg.Date) time.Time) *string {
	t.Helper()
	if s == nil {
		return nil
	}
	d, err := kg.ParseDate(*s)
	if err != nil {
		t.Fatalf("GraphQL date %q: %v", *s, err)
	}
	out := pick(d).Format(time.DateOnly)
	return &out
}

// readersPython returns the Python of the readers' virtual environment,
// creating it with testdata/readers/setup.sh under the user's cache folder
// when missing. Its folder is named after requirements.txt's hash, so that
// checkouts pinning different versions do not share one.
func readersPython(t *testing.T) string {
	t.Helper()
	req, err := os.ReadFile(filepath.Join("testdata", "readers", "requirements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("no cache folder for the readers' virtual environment: %v", err)
	}
	sum := sha256.Sum256(req)
	venv := filepath.Join(cache, "innograph", "export-readers-"+hex.EncodeToString(sum[:6]))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join("testdata", "readers", "setup.sh"), venv)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("FATAL: the export readers (Python, networkx) could not be set up: %v\n%s", err, out)
	}
	return filepath.Join(venv, "bin", "python")
}

// readWithNetworkx saves an export to a file and reads it with read.py.
func readWithNetworkx(t *testing.T, python, format string, export []byte) readerGraph {
	t.Helper()
	file := filepath.Join(t.TempDir(), "export."+format)
	if err := os.WriteFile(file, export, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "readers", "read.py"), format, file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("networkx could not read the %s export: %v\n%s", format, err, stderr.String())
	}
	var g readerGraph
	if err := json.Unmarshal(stdout.Bytes(), &g); err != nil {
		t.Fatalf("read.py printed %q: %v", stdout.String(), err)
	}
	if g.Networkx != "3.4.2" {
		t.Fatalf("read with networkx %s, want the pinned 3.4.2", g.Networkx)
	}
	return g
}

func compareNodes(t *testing.T, got, want map[string]readerNode) {
	t.Helper()
	if g, w := keys(got), keys(want); g != w {
		t.Errorf("networkx read %d nodes, GraphQL answered %d:\n got %s\nwant %s", len(got), len(want), g, w)
	}
	for id, w := range want {
		if g, ok := got[id]; ok && g != w {
			t.Errorf("node %s read as %+v, want %+v", id, g, w)
		}
	}
}

// compareEdges compares the edges read with GraphQL's, their validity
// intervals too when intervals is set, and returns how many have one.
func compareEdges(t *testing.T, got, want map[string]readerEdge, intervals bool) (dated int) {
	t.Helper()
	if g, w := keys(got), keys(want); g != w {
		t.Errorf("networkx read %d edges, GraphQL answered %d:\n got %s\nwant %s", len(got), len(want), g, w)
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			continue
		}
		if !intervals {
			g.Start, g.End, w.Start, w.End = nil, nil, nil, nil
		} else if w.Start != nil || w.End != nil {
			dated++
		}
		if str(g) != str(w) {
			t.Errorf("edge %s read as %s, want %s", id, str(g), str(w))
		}
	}
	return dated
}

func keys[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

func str(e readerEdge) string {
	s := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return fmt.Sprintf("%s -%s-> %s %s [%s, %s]", e.Source, e.Type, e.Target, e.Status, s(e.Start), s(e.End))
}
