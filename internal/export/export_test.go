package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/kg"
)

var update = flag.Bool("update", false, "rewrite golden files")

func date(s string) *kg.Date { d := kg.MustParseDate(s); return &d }

// fixture is a small graph exercising every attribute: aliases, dates of
// each precision, a point in time known to the month, a funding edge,
// multiple evidence, and claim statuses (a reported, attributed quote beside
// an asserted one; a plan).
func fixture() Graph {
	return Graph{
		Nodes: []kg.Entity{
			{ID: "polyu", Kind: kg.KindUniversity, Name: "The Hong Kong Polytechnic University", Aliases: []string{"PolyU"}, Description: "A university & more <tags>.", Sources: []string{"s000"}},
			{ID: "lab-a", Kind: kg.KindLab, Name: "Lab A", Sources: []string{"s000", "s001"}},
			{ID: "jane", Kind: kg.KindPerson, Name: "Jane Doe", Aliases: []string{"Prof. Doe", "Doe Jane"}},
		},
		Rels: []kg.Relationship{
			{ID: "polyu~hosts~lab-a", Type: "HOSTS", From: "polyu", To: "lab-a", Since: date("2010"),
				Evidence: []kg.Evidence{{SourceID: "s000", Quote: "PolyU hosts Lab A."}, {SourceID: "s001", Quote: "Lab A, at PolyU \"quoted\".", Status: kg.StatusReported, AttributedTo: "jane"}}},
			{ID: "jane~directs~lab-a", Type: "DIRECTS", From: "jane", To: "lab-a", Role: "Director", Since: date("2018-05"), Until: date("2022-02-14"),
				Evidence: []kg.Evidence{{SourceID: "s001", Quote: "Jane directs Lab A."}}},
			{ID: "polyu~funds~lab-a~grant", Type: "FUNDS", From: "polyu", To: "lab-a", On: date("2019-07"), FundingID: "grant",
				Evidence: []kg.Evidence{{SourceID: "s000", Quote: "PolyU will give Lab A money.", Status: kg.StatusPlanned}}},
		},
	}
}

func TestGolden(t *testing.T) {
	for _, f := range []Format{JSON, Cytoscape, GraphML, GEXF} {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, f, fixture()); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "fixture."+f.Ext())
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/export -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s output differs from %s:\n%s", f, path, b.String())
			}
		})
	}
}

// TestGraphMLStructure checks what the GraphML schema requires of a document:
// the namespace, declared keys for every data element, unique node ids, and
// edges whose ends are nodes of the graph.
func TestGraphMLStructure(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, GraphML, fixture()); err != nil {
		t.Fatal(err)
	}
	var doc gmlDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	if doc.XMLName.Space != "http://graphml.graphdrawing.org/xmlns" || doc.XMLName.Local != "graphml" {
		t.Fatalf("root element = %v", doc.XMLName)
	}
	keys := map[string]string{}
	for _, k := range doc.Keys {
		if k.For != "node" && k.For != "edge" {
			t.Errorf("key %s has for=%q", k.ID, k.For)
		}
		keys[k.ID] = k.For
	}
	nodes := map[string]bool{}
	for _, n := range doc.Graph.Nodes {
		if nodes[n.ID] {
			t.Errorf("duplicate node id %s", n.ID)
		}
		nodes[n.ID] = true
		for _, d := range n.Data {
			if keys[d.Key] != "node" {
				t.Errorf("node %s uses undeclared node key %s", n.ID, d.Key)
			}
		}
	}
	for _, e := range doc.Graph.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s joins %s and %s, not both nodes", e.ID, e.Source, e.Target)
		}
		for _, d := range e.Data {
			if keys[d.Key] != "edge" {
				t.Errorf("edge %s uses undeclared edge key %s", e.ID, d.Key)
			}
		}
	}
	if len(doc.Graph.Nodes) != 3 || len(doc.Graph.Edges) != 3 {
		t.Errorf("got %d nodes, %d edges; want 3, 3", len(doc.Graph.Nodes), len(doc.Graph.Edges))
	}
}

// TestGEXFStructure checks the GEXF 1.2 structure (the 1.2draft namespace,
// which networkx's read_gexf requires) and that validity dates become time
// intervals on edges.
func TestGEXFStructure(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, GEXF, fixture()); err != nil {
		t.Fatal(err)
	}
	var doc gexfDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	if doc.XMLName.Space != "http://www.gexf.net/1.2draft" || doc.Version != "1.2" {
		t.Fatalf("namespace %q version %q", doc.XMLName.Space, doc.Version)
	}
	if doc.Graph.Mode != "dynamic" || doc.Graph.TimeFormat != "date" {
		t.Errorf("graph mode %q timeformat %q", doc.Graph.Mode, doc.Graph.TimeFormat)
	}
	declared := map[string]map[string]bool{"node": {}, "edge": {}}
	for _, a := range doc.Graph.Attributes {
		for _, at := range a.Attrs {
			declared[a.Class][at.ID] = true
		}
	}
	nodes := map[string]bool{}
	for _, n := range doc.Graph.Nodes {
		nodes[n.ID] = true
		for _, v := range n.Values {
			if !declared["node"][v.For] {
				t.Errorf("node %s value for undeclared attribute %s", n.ID, v.For)
			}
		}
	}
	want := map[string][2]string{
		"polyu~hosts~lab-a":       {"2010-01-01", ""},
		"jane~directs~lab-a":      {"2018-05-01", "2022-02-14"},
		"polyu~funds~lab-a~grant": {"2019-07-01", "2019-07-31"},
	}
	for _, e := range doc.Graph.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s joins unknown nodes", e.ID)
		}
		for _, v := range e.Values {
			if !declared["edge"][v.For] {
				t.Errorf("edge %s value for undeclared attribute %s", e.ID, v.For)
			}
		}
		if got := [2]string{e.Start, e.End}; got != want[e.ID] {
			t.Errorf("edge %s interval = %v, want %v", e.ID, got, want[e.ID])
		}
	}
}

// TestCytoscapeStructure checks what cytoscape.js and networkx's
// cytoscape_graph read: nodes with id, value (the node networkx makes) and
// name; edges with source, target and a key naming each of several edges
// between the same two nodes; a directed multigraph with graph data.
func TestCytoscapeStructure(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Cytoscape, fixture()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Directed   *bool          `json:"directed"`
		Multigraph *bool          `json:"multigraph"`
		Data       map[string]any `json:"data"`
		Elements   struct {
			Nodes []struct{ Data map[string]any } `json:"nodes"`
			Edges []struct{ Data map[string]any } `json:"edges"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Directed == nil || !*doc.Directed || doc.Multigraph == nil || !*doc.Multigraph || doc.Data["name"] == nil {
		t.Errorf("directed %v, multigraph %v, data %v; want a directed multigraph with a name", doc.Directed, doc.Multigraph, doc.Data)
	}
	nodes := map[any]bool{}
	for _, n := range doc.Elements.Nodes {
		if n.Data["id"] == nil || n.Data["kind"] == nil || n.Data["name"] == nil {
			t.Errorf("node without id, kind or name: %v", n.Data)
		}
		if n.Data["value"] != n.Data["id"] {
			t.Errorf("node %v has value %v, want its id", n.Data["id"], n.Data["value"])
		}
		nodes[n.Data["id"]] = true
	}
	keys := map[any]bool{}
	for _, e := range doc.Elements.Edges {
		if !nodes[e.Data["source"]] || !nodes[e.Data["target"]] {
			t.Errorf("edge %v has dangling ends", e.Data["id"])
		}
		if e.Data["key"] != e.Data["id"] || keys[e.Data["key"]] {
			t.Errorf("edge %v has key %v, want its id (unique)", e.Data["id"], e.Data["key"])
		}
		keys[e.Data["key"]] = true
		if e.Data["sources"] == nil || e.Data["type"] == nil {
			t.Errorf("edge %v lacks type or sources", e.Data["id"])
		}
	}
	if len(doc.Elements.Nodes) != 3 || len(doc.Elements.Edges) != 3 {
		t.Errorf("got %d nodes, %d edges", len(doc.Elements.Nodes), len(doc.Elements.Edges))
	}
}

// TestStatusInEveryFormat checks that every format carries each edge's claim
// status (the strongest of its evidence) and, where it keeps evidence, each
// quote's status and who makes the claim.
func TestStatusInEveryFormat(t *testing.T) {
	want := map[string]string{"polyu~hosts~lab-a": "ASSERTED", "jane~directs~lab-a": "ASSERTED", "polyu~funds~lab-a~grant": "PLANNED"}
	for _, f := range []Format{JSON, Cytoscape, GraphML, GEXF} {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, f, fixture()); err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			evidence := ""
			switch f {
			case JSON:
				var doc struct{ Relationships []jsonRel }
				if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				for _, r := range doc.Relationships {
					got[r.ID] = r.Status
					for _, e := range r.Evidence {
						evidence += fmt.Sprintf("%s/%s/%s;", e.Source, e.Status, e.AttributedTo)
					}
				}
				if evidence != "s000/ASSERTED/;s001/REPORTED/jane;s001/ASSERTED/;s000/PLANNED/;" {
					t.Errorf("evidence statuses %s", evidence)
				}
			case Cytoscape:
				var doc struct {
					Elements struct {
						Edges []struct{ Data map[string]any } `json:"edges"`
					} `json:"elements"`
				}
				if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				for _, e := range doc.Elements.Edges {
					got[e.Data["id"].(string)], _ = e.Data["status"].(string)
				}
			case GraphML:
				var doc gmlDoc
				if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				for _, e := range doc.Graph.Edges {
					for _, d := range e.Data {
						switch d.Key {
						case "e_status":
							got[e.ID] = d.Value
						case "e_evidence":
							evidence += d.Value + "\n"
						}
					}
				}
			case GEXF:
				var doc gexfDoc
				if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				for _, e := range doc.Graph.Edges {
					for _, v := range e.Values {
						switch v.For {
						case "status":
							got[e.ID] = v.Value
						case "evidence":
							evidence += v.Value + "\n"
						}
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("statuses %v, want %v", got, want)
			}
			if f == GraphML || f == GEXF {
				for _, line := range []string{"[s001] (REPORTED by jane) Lab A", "[s000] (PLANNED) PolyU will give", "[s000] PolyU hosts Lab A."} {
					if !strings.Contains(evidence, line) {
						t.Errorf("evidence lacks %q:\n%s", line, evidence)
					}
				}
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
		ok   bool
	}{{"", JSON, true}, {"GEXF", GEXF, true}, {"graphml", GraphML, true}, {"cytoscape", Cytoscape, true}, {"dot", "", false}} {
		got, err := ParseFormat(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseFormat(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && kg.ErrorCode(err) != kg.CodeInvalid {
			t.Errorf("code = %s", kg.ErrorCode(err))
		}
	}
}
