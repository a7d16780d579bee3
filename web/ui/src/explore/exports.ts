// Downloads of the current view. Graph formats come from the server's export
// endpoints (/export/subgraph, /export/path), which carry every attribute and
// the evidence; when a view has no server equivalent (funding flows) or the
// endpoint is unavailable, they are written here from what is drawn.
import type { Core } from 'cytoscape';
import { fetchOrExplain } from './api';

export type GraphFormat = 'cytoscape' | 'graphml' | 'gexf';

export const FORMAT_LABELS: Record<GraphFormat | 'png', string> = {
  cytoscape: 'Cytoscape JSON',
  graphml: 'GraphML',
  gexf: 'GEXF',
  png: 'PNG',
};

const EXT: Record<GraphFormat, string> = { cytoscape: 'cyjs', graphml: 'graphml', gexf: 'gexf' };
const MIME: Record<GraphFormat, string> = {
  cytoscape: 'application/json',
  graphml: 'application/graphml+xml',
  gexf: 'application/gexf+xml',
};

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches a server export; null when the endpoint does not exist (404 with no JSON error). */
export async function fetchServerExport(url: string): Promise<{ blob: Blob; filename: string } | null> {
  const res = await fetchOrExplain(url);
  if (res.ok) {
    const cd = res.headers.get('Content-Disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(cd)?.[1] ?? url.split('?')[0].split('/').pop() ?? 'export';
    return { blob: await res.blob(), filename };
  }
  const isAPIError = (res.headers.get('Content-Type') ?? '').includes('json');
  if (res.status === 404 && !isAPIError) return null;
  let message = `${res.status} ${res.statusText}`;
  try {
    message = (await res.json()).error?.message ?? message;
  } catch {
    /* keep the status line */
  }
  throw new Error(`Export failed: ${message}`);
}

const xml = (s: unknown) =>
  String(s ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

interface Drawn {
  nodes: { id: string; name: string; kind: string }[];
  edges: { id: string; source: string; target: string; type: string; status: string; label: string }[];
}

function drawn(cy: Core): Drawn {
  return {
    nodes: cy.nodes().map((n) => ({ id: n.id(), name: n.data('name'), kind: n.data('kind') })),
    edges: cy.edges().map((e) => ({
      id: e.id(),
      source: e.source().id(),
      target: e.target().id(),
      type: e.data('type'),
      status: e.data('status') ?? 'ASSERTED',
      label: e.data('label'),
    })),
  };
}

/** Writes the drawn graph in a format, in the browser. */
export function clientExport(cy: Core, format: GraphFormat): Blob {
  const g = drawn(cy);
  let text: string;
  switch (format) {
    case 'cytoscape': {
      const pos = (id: string) => cy.getElementById(id).position();
      // As the server writes it: value and key (the ids) and the top-level
      // directed, multigraph and data are what networkx's cytoscape_graph needs.
      text = JSON.stringify(
        {
          format_version: '1.0',
          generated_by: 'innograph explorer',
          directed: true,
          multigraph: true,
          data: { name: 'innograph explorer export' },
          elements: {
            nodes: g.nodes.map((n) => ({ data: { id: n.id, value: n.id, name: n.name, kind: n.kind }, position: pos(n.id) })),
            edges: g.edges.map((e) => ({ data: { id: e.id, key: e.id, source: e.source, target: e.target, type: e.type, status: e.status, label: e.label } })),
          },
        },
        null,
        2,
      );
      break;
    }
    case 'graphml':
      text = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="name" for="node" attr.name="name" attr.type="string"/>',
        '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
        '  <key id="type" for="edge" attr.name="type" attr.type="string"/>',
        '  <key id="status" for="edge" attr.name="status" attr.type="string"/>',
        '  <key id="label" for="edge" attr.name="label" attr.type="string"/>',
        '  <graph id="innograph" edgedefault="directed">',
        ...g.nodes.map((n) => `    <node id="${xml(n.id)}"><data key="name">${xml(n.name)}</data><data key="kind">${xml(n.kind)}</data></node>`),
        ...g.edges.map(
          (e) =>
            `    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}"><data key="type">${xml(e.type)}</data><data key="status">${xml(e.status)}</data><data key="label">${xml(e.label)}</data></edge>`,
        ),
        '  </graph>',
        '</graphml>',
        '',
      ].join('\n');
      break;
    case 'gexf':
      text = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        // GEXF 1.2, as the server writes it: networkx reads no 1.3.
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
        '  <meta><creator>innograph explorer</creator></meta>',
        '  <graph defaultedgetype="directed">',
        '    <attributes class="node"><attribute id="kind" title="kind" type="string"/></attributes>',
        '    <attributes class="edge"><attribute id="type" title="type" type="string"/><attribute id="status" title="status" type="string"/></attributes>',
        '    <nodes>',
        ...g.nodes.map(
          (n) => `      <node id="${xml(n.id)}" label="${xml(n.name)}"><attvalues><attvalue for="kind" value="${xml(n.kind)}"/></attvalues></node>`,
        ),
        '    </nodes>',
        '    <edges>',
        ...g.edges.map(
          (e) =>
            `      <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}" label="${xml(e.label)}"><attvalues><attvalue for="type" value="${xml(e.type)}"/><attvalue for="status" value="${xml(e.status)}"/></attvalues></edge>`,
        ),
        '    </edges>',
        '  </graph>',
        '</gexf>',
        '',
      ].join('\n');
      break;
  }
  return new Blob([text], { type: MIME[format] });
}

export function clientFilename(basename: string, format: GraphFormat) {
  return `${basename}.${EXT[format]}`;
}

export async function pngOf(cy: Core): Promise<Blob> {
  return cy.png({ output: 'blob-promise', full: true, scale: 2, bg: '#ffffff' });
}
