// Package export renders a piece of the graph (a subgraph or a set of paths)
// in the formats analysis and visualization tools read: Cytoscape JSON (for
// cytoscape.js and networkx's cytoscape_graph), GraphML, GEXF 1.2 (for
// Gephi, networkx's read_gexf and graphology, with validity dates as time
// intervals) and innograph's plain JSON. It also serves them over HTTP at
// /export/subgraph and /export/path.
package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// Format is an export format.
type Format string

// The formats.
const (
	Cytoscape Format = "cytoscape"
	GraphML   Format = "graphml"
	GEXF      Format = "gexf"
	JSON      Format = "json"
)

// ContentType returns the media type of f.
func (f Format) ContentType() string {
	switch f {
	case GraphML:
		return "application/graphml+xml; charset=utf-8"
	case GEXF:
		return "application/gexf+xml; charset=utf-8"
	default:
		return "application/json; charset=utf-8"
	}
}

// Ext returns the file extension of f.
func (f Format) Ext() string {
	switch f {
	case GraphML:
		return "graphml"
	case GEXF:
		return "gexf"
	case Cytoscape:
		return "cyjs"
	default:
		return "json"
	}
}

// ParseFormat parses a format name; empty means JSON.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case "":
		return JSON, nil
	case Cytoscape, GraphML, GEXF, JSON:
		return f, nil
	}
	return "", kg.InvalidArg("format", "unknown format %q: want cytoscape, graphml, gexf or json", s)
}

// Graph is what gets exported: nodes and relationships, deduplicated.
type Graph struct {
	Nodes     []kg.Entity
	Rels      []kg.Relationship
	Truncated bool
}

// FromSubgraph wraps a subgraph.
func FromSubgraph(sg kg.Subgraph) Graph {
	return Graph{Nodes: sg.Nodes, Rels: sg.Rels, Truncated: sg.Truncated}
}

// FromPaths merges paths into one graph, keeping first-seen order.
func FromPaths(ps []kg.Path) Graph {
	var g Graph
	seenN, seenR := map[string]bool{}, map[string]bool{}
	for _, p := range ps {
		for _, n := range p.Nodes {
			if !seenN[n.ID] {
				seenN[n.ID] = true
				g.Nodes = append(g.Nodes, n)
			}
		}
		for _, r := range p.Rels {
			if !seenR[r.ID] {
				seenR[r.ID] = true
				g.Rels = append(g.Rels, r)
			}
		}
	}
	return g
}

// Write renders g in format f.
func Write(w io.Writer, f Format, g Graph) error {
	switch f {
	case Cytoscape:
		return writeCytoscape(w, g)
	case GraphML:
		return writeGraphML(w, g)
	case GEXF:
		return writeGEXF(w, g)
	default:
		return writeJSON(w, g)
	}
}

func sourcesOf(r kg.Relationship) []string {
	seen := map[string]bool{}
	var out []string
	for _, ev := range r.Evidence {
		if !seen[ev.SourceID] {
			seen[ev.SourceID] = true
			out = append(out, ev.SourceID)
		}
	}
	return out
}

func dateStr(d *kg.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// --- JSON -----------------------------------------------------------------

type jsonEvidence struct {
	Quote        string `json:"quote"`
	Source       string `json:"source"`
	Status       string `json:"status"`
	AttributedTo string `json:"attributedTo,omitempty"`
}

type jsonNode struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description,omitempty"`
	Sources     []string `json:"sources"`
}

type jsonRel struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Status   string         `json:"status"`
	From     string         `json:"from"`
	To       string         `json:"to"`
	Role     string         `json:"role,omitempty"`
	Since    string         `json:"since,omitempty"`
	Until    string         `json:"until,omitempty"`
	On       string         `json:"on,omitempty"`
	Funding  string         `json:"funding,omitempty"`
	Sources  []string       `json:"sources"`
	Evidence []jsonEvidence `json:"evidence"`
}

func nodeJSON(e kg.Entity) jsonNode {
	return jsonNode{ID: e.ID, Name: e.Name, Kind: string(e.Kind), Aliases: nonNil(e.Aliases), Description: e.Description, Sources: nonNil(e.Sources)}
}

func relJSON(r kg.Relationship) jsonRel {
	out := jsonRel{ID: r.ID, Type: string(r.Type), Status: string(relStatus(r)), From: r.From, To: r.To, Role: r.Role,
		Since: dateStr(r.Since), Until: dateStr(r.Until), On: dateStr(r.On), Funding: r.FundingID,
		Sources: nonNil(sourcesOf(r)), Evidence: []jsonEvidence{}}
	for _, ev := range r.Evidence {
		out.Evidence = append(out.Evidence, jsonEvidence{Quote: ev.Quote, Source: ev.SourceID,
			Status: string(ev.Status.Or(kg.StatusAsserted)), AttributedTo: ev.AttributedTo})
	}
	return out
}

func relStatus(r kg.Relationship) kg.ClaimStatus { return kg.StatusOf(r.Status, r.Evidence) }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeJSON(w io.Writer, g Graph) error {
	doc := struct {
		Nodes         []jsonNode `json:"nodes"`
		Relationships []jsonRel  `json:"relationships"`
		Truncated     bool       `json:"truncated"`
	}{Nodes: []jsonNode{}, Relationships: []jsonRel{}, Truncated: g.Truncated}
	for _, n := range g.Nodes {
		doc.Nodes = append(doc.Nodes, nodeJSON(n))
	}
	for _, r := range g.Rels {
		doc.Relationships = append(doc.Relationships, relJSON(r))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// --- Cytoscape JSON ---------------------------------------------------------

// writeCytoscape writes the Cytoscape JSON that cytoscape.js (elements),
// Cytoscape desktop and networkx's cytoscape_graph read. networkx names a
// node by data.value and an edge of a multigraph by data.key, and takes
// directed, multigraph and data from the top level: the graph is directed,
// and a multigraph because two entities can be joined by several
// relationships; value and key are the entity and relationship ids.
func writeCytoscape(w io.Writer, g Graph) error {
	type el struct {
		Data  map[string]any `json:"data"`
		Group string         `json:"group"`
	}
	doc := struct {
		FormatVersion string         `json:"format_version"`
		GeneratedBy   string         `json:"generated_by"`
		Directed      bool           `json:"directed"`
		Multigraph    bool           `json:"multigraph"`
		Data          map[string]any `json:"data"`
		Elements      struct {
			Nodes []el `json:"nodes"`
			Edges []el `json:"edges"`
		} `json:"elements"`
	}{FormatVersion: "1.0", GeneratedBy: "innograph", Directed: true, Multigraph: true,
		Data: map[string]any{"name": "innograph export", "truncated": g.Truncated}}
	doc.Elements.Nodes, doc.Elements.Edges = []el{}, []el{}
	for _, n := range g.Nodes {
		doc.Elements.Nodes = append(doc.Elements.Nodes, el{Group: "nodes", Data: map[string]any{
			"id": n.ID, "value": n.ID, "label": n.Name, "name": n.Name, "kind": string(n.Kind), "aliases": nonNil(n.Aliases),
			"description": n.Description, "sources": nonNil(n.Sources),
		}})
	}
	for _, r := range g.Rels {
		j := relJSON(r)
		d := map[string]any{"id": r.ID, "key": r.ID, "source": r.From, "target": r.To, "type": j.Type, "label": j.Type, "status": j.Status,
			"sources": j.Sources, "evidence": j.Evidence}
		for k, v := range map[string]string{"role": j.Role, "since": j.Since, "until": j.Until, "on": j.On, "funding": j.Funding} {
			if v != "" {
				d[k] = v
			}
		}
		doc.Elements.Edges = append(doc.Elements.Edges, el{Group: "edges", Data: d})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// --- GraphML --------------------------------------------------------------

type gmlKey struct {
	ID       string `xml:"id,attr"`
	For      string `xml:"for,attr"`
	AttrName string `xml:"attr.name,attr"`
	AttrType string `xml:"attr.type,attr"`
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlNode struct {
	ID   string    `xml:"id,attr"`
	Data []gmlData `xml:"data"`
}

type gmlEdge struct {
	ID     string    `xml:"id,attr"`
	Source string    `xml:"source,attr"`
	Target string    `xml:"target,attr"`
	Data   []gmlData `xml:"data"`
}

type gmlDoc struct {
	XMLName        xml.Name `xml:"graphml"`
	Xmlns          string   `xml:"xmlns,attr"`
	XmlnsXSI       string   `xml:"xmlns:xsi,attr"`
	SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
	Keys           []gmlKey `xml:"key"`
	Graph          struct {
		ID          string    `xml:"id,attr"`
		EdgeDefault string    `xml:"edgedefault,attr"`
		Nodes       []gmlNode `xml:"node"`
		Edges       []gmlEdge `xml:"edge"`
	} `xml:"graph"`
}

var nodeKeys = []string{"name", "kind", "aliases", "description", "sources"}
var edgeKeys = []string{"type", "status", "role", "since", "until", "on", "funding", "sources", "evidence"}

func writeGraphML(w io.Writer, g Graph) error {
	doc := gmlDoc{Xmlns: "http://graphml.graphdrawing.org/xmlns", XmlnsXSI: "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"}
	for _, k := range nodeKeys {
		doc.Keys = append(doc.Keys, gmlKey{ID: "n_" + k, For: "node", AttrName: k, AttrType: "string"})
	}
	for _, k := range edgeKeys {
		doc.Keys = append(doc.Keys, gmlKey{ID: "e_" + k, For: "edge", AttrName: k, AttrType: "string"})
	}
	doc.Graph.ID, doc.Graph.EdgeDefault = "innograph", "directed"
	for _, n := range g.Nodes {
		vals := map[string]string{"name": n.Name, "kind": string(n.Kind), "aliases": strings.Join(n.Aliases, "; "),
			"description": n.Description, "sources": strings.Join(n.Sources, " ")}
		doc.Graph.Nodes = append(doc.Graph.Nodes, gmlNode{ID: n.ID, Data: dataFor("n_", nodeKeys, vals)})
	}
	for _, r := range g.Rels {
		vals := relValues(r)
		doc.Graph.Edges = append(doc.Graph.Edges, gmlEdge{ID: r.ID, Source: r.From, Target: r.To, Data: dataFor("e_", edgeKeys, vals)})
	}
	return writeXML(w, doc)
}

func relValues(r kg.Relationship) map[string]string {
	var ev []string
	for _, e := range r.Evidence {
		ev = append(ev, evidenceLine(e))
	}
	return map[string]string{"type": string(r.Type), "status": string(relStatus(r)), "role": r.Role, "since": dateStr(r.Since), "until": dateStr(r.Until),
		"on": dateStr(r.On), "funding": r.FundingID, "sources": strings.Join(sourcesOf(r), " "), "evidence": strings.Join(ev, "\n")}
}

// evidenceLine is one evidence as text: its source, then its status and
// who makes the claim when it is not a plain assertion of the source's,
// then the quote: "[s003] (REPORTED by alfred-sit) …".
func evidenceLine(e kg.Evidence) string {
	st := e.Status.Or(kg.StatusAsserted)
	switch {
	case e.AttributedTo != "":
		return fmt.Sprintf("[%s] (%s by %s) %s", e.SourceID, st, e.AttributedTo, e.Quote)
	case st != kg.StatusAsserted:
		return fmt.Sprintf("[%s] (%s) %s", e.SourceID, st, e.Quote)
	}
	return fmt.Sprintf("[%s] %s", e.SourceID, e.Quote)
}

func dataFor(prefix string, keys []string, vals map[string]string) []gmlData {
	var out []gmlData
	for _, k := range keys {
		if v := vals[k]; v != "" {
			out = append(out, gmlData{Key: prefix + k, Value: v})
		}
	}
	return out
}

func writeXML(w io.Writer, doc any) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// --- GEXF 1.2 -------------------------------------------------------------

// The GEXF namespace and schema written: 1.2draft, the version that Gephi,
// networkx's read_gexf and graphology all read (networkx does not read 1.3).
const (
	gexfNS      = "http://www.gexf.net/1.2draft"
	gexfSchema  = "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd"
	gexfVersion = "1.2"
)

type gexfAttr struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfAttrs struct {
	Class string     `xml:"class,attr"`
	Mode  string     `xml:"mode,attr"`
	Attrs []gexfAttr `xml:"attribute"`
}

type gexfValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfNode struct {
	ID     string      `xml:"id,attr"`
	Label  string      `xml:"label,attr"`
	Values []gexfValue `xml:"attvalues>attvalue"`
}

type gexfEdge struct {
	ID     string      `xml:"id,attr"`
	Source string      `xml:"source,attr"`
	Target string      `xml:"target,attr"`
	Label  string      `xml:"label,attr"`
	Start  string      `xml:"start,attr,omitempty"`
	End    string      `xml:"end,attr,omitempty"`
	Values []gexfValue `xml:"attvalues>attvalue"`
}

type gexfDoc struct {
	XMLName        xml.Name `xml:"gexf"`
	Xmlns          string   `xml:"xmlns,attr"`
	XmlnsXSI       string   `xml:"xmlns:xsi,attr"`
	SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
	Version        string   `xml:"version,attr"`
	Meta           struct {
		Creator     string `xml:"creator"`
		Description string `xml:"description"`
	} `xml:"meta"`
	Graph struct {
		Mode            string      `xml:"mode,attr"`
		DefaultEdgeType string      `xml:"defaultedgetype,attr"`
		TimeFormat      string      `xml:"timeformat,attr"`
		Attributes      []gexfAttrs `xml:"attributes"`
		Nodes           []gexfNode  `xml:"nodes>node"`
		Edges           []gexfEdge  `xml:"edges>edge"`
	} `xml:"graph"`
}

// writeGEXF writes a dynamic GEXF 1.2 graph: directed edges carrying their
// validity as a start and end date (timeformat="date"), string attributes.
func writeGEXF(w io.Writer, g Graph) error {
	doc := gexfDoc{Xmlns: gexfNS, XmlnsXSI: "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: gexfSchema, Version: gexfVersion}
	doc.Meta.Creator = "innograph"
	doc.Meta.Description = "Hong Kong / Greater Bay Area innovation knowledge graph export"
	doc.Graph.Mode, doc.Graph.DefaultEdgeType, doc.Graph.TimeFormat = "dynamic", "directed", "date"
	na := gexfAttrs{Class: "node", Mode: "static"}
	for _, k := range nodeKeys[1:] {
		na.Attrs = append(na.Attrs, gexfAttr{ID: k, Title: k, Type: "string"})
	}
	ea := gexfAttrs{Class: "edge", Mode: "static"}
	for _, k := range edgeKeys {
		ea.Attrs = append(ea.Attrs, gexfAttr{ID: k, Title: k, Type: "string"})
	}
	doc.Graph.Attributes = []gexfAttrs{na, ea}
	for _, n := range g.Nodes {
		vals := map[string]string{"kind": string(n.Kind), "aliases": strings.Join(n.Aliases, "; "),
			"description": n.Description, "sources": strings.Join(n.Sources, " ")}
		doc.Graph.Nodes = append(doc.Graph.Nodes, gexfNode{ID: n.ID, Label: n.Name, Values: values(nodeKeys[1:], vals)})
	}
	for _, r := range g.Rels {
		e := gexfEdge{ID: r.ID, Source: r.From, Target: r.To, Label: string(r.Type), Values: values(edgeKeys, relValues(r))}
		// Validity as a time interval: since..until, or the day(s) of a point in time.
		switch {
		case r.Since != nil || r.Until != nil:
			if r.Since != nil {
				e.Start = r.Since.Start().Format("2006-01-02")
			}
			if r.Until != nil {
				e.End = r.Until.End().Format("2006-01-02")
			}
		case r.On != nil:
			// A date known at its precision: the whole month or year.
			e.Start, e.End = r.On.Start().Format("2006-01-02"), r.On.End().Format("2006-01-02")
		}
		doc.Graph.Edges = append(doc.Graph.Edges, e)
	}
	return writeXML(w, doc)
}

func values(keys []string, vals map[string]string) []gexfValue {
	var out []gexfValue
	for _, k := range keys {
		if v := vals[k]; v != "" {
			out = append(out, gexfValue{For: k, Value: v})
		}
	}
	return out
}
