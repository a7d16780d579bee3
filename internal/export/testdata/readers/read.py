"""Reads an innograph export with networkx, as an analyst would.

    python read.py FORMAT FILE

FORMAT is cytoscape, graphml or gexf. Prints one JSON object: whether the
graph is directed, its nodes (id -> name, kind) and its edges (id -> source,
target, type, claim status and, for GEXF, the start and end of the validity interval).
internal/export/readers_test.go compares it with the GraphQL answer.
"""

import json
import sys

import networkx as nx


def read(fmt, path):
    if fmt == "cytoscape":
        with open(path, encoding="utf-8") as f:
            return nx.cytoscape_graph(json.load(f))
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    raise SystemExit(f"read.py: unknown format {fmt!r}: want cytoscape, graphml or gexf")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: python read.py FORMAT FILE")
    fmt, path = sys.argv[1], sys.argv[2]
    g = read(fmt, path)
    nodes = {}
    for n, d in g.nodes(data=True):
        # GEXF keeps the name as the node's label; the others as "name".
        nodes[str(n)] = {"name": d.get("name", d.get("label")), "kind": d.get("kind")}
    edges = {}
    triples = g.edges(keys=True, data=True) if g.is_multigraph() else ((u, v, None, d) for u, v, d in g.edges(data=True))
    for u, v, k, d in triples:
        # The edge id: an "id" attribute, or the multigraph key.
        ident = str(d.get("id", k))
        if ident in edges:
            raise SystemExit(f"read.py: edge id {ident} read twice")
        edges[ident] = {"source": str(u), "target": str(v), "type": d.get("type"), "status": d.get("status"),
                        "start": d.get("start"), "end": d.get("end")}
    json.dump({"networkx": nx.__version__, "directed": g.is_directed(), "multigraph": g.is_multigraph(),
               "nodes": nodes, "edges": edges}, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
