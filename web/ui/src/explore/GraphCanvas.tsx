// An interactive Cytoscape.js drawing of a piece of the graph. Nodes are
// coloured and shaped by kind; a click selects a node and shows a card with
// the caller's actions, a double click runs onExpand.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { kindStyle } from './kinds';

cytoscape.use(fcose);

export interface GraphNode {
  id: string;
  name: string;
  kind: string;
  /** Drawn larger with a dark border: the entity (or path ends) the view is about. */
  centre?: boolean;
  /** Fixed position (the "preset" layout uses these). */
  position?: { x: number; y: number };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  /** The claim status (ASSERTED, REPORTED, PLANNED, OPINION), carried into downloads. */
  status?: string;
  label?: string;
  width?: number;
  color?: string;
  dashed?: boolean;
}

interface Props {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** fcose (force-directed) or preset (use node positions). */
  layout?: 'fcose' | 'preset';
  /** When set, everything else is faded. */
  highlight?: { nodes: Set<string>; edges: Set<string> } | null;
  onExpand?: (id: string) => void;
  /** Buttons for the card of the selected node. */
  nodeActions?: (node: GraphNode) => ReactNode;
  onReady?: (cy: Core | null) => void;
  /** Accessible description of the drawing. */
  label: string;
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(color)',
      shape: 'data(shape)' as never,
      width: 26,
      height: 26,
      label: 'data(name)',
      'font-size': 10,
      'font-family': 'system-ui, sans-serif',
      color: '#1d2733',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': '130px',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': '1px',
      'border-width': 1,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node.centre', style: { width: 42, height: 42, 'border-width': 3, 'border-color': '#1d2733', 'font-weight': 'bold', 'font-size': 12 } },
  { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#5b6b7f', 'border-style': 'double' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f0a500' } },
  {
    selector: 'edge',
    style: {
      width: 'data(width)',
      'line-color': 'data(color)',
      'target-arrow-color': 'data(color)',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.8,
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 8,
      'font-family': 'system-ui, sans-serif',
      color: '#4a5868',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': '1px',
    },
  },
  { selector: 'edge.dashed', style: { 'line-style': 'dashed' } },
  { selector: '.faded', style: { opacity: 0.15 } },
  { selector: 'edge.hl', style: { 'line-color': '#f08c00', 'target-arrow-color': '#f08c00', width: 3.5, 'z-index': 10 } },
];

function toElements(nodes: GraphNode[], edges: GraphEdge[]): ElementDefinition[] {
  const ids = new Set(nodes.map((n) => n.id));
  return [
    ...nodes.map((n) => {
      const s = kindStyle(n.kind);
      return {
        group: 'nodes' as const,
        data: { id: n.id, name: n.name, kind: n.kind, color: s.color, shape: s.shape },
        classes: n.centre ? 'centre' : '',
        position: n.position,
      };
    }),
    ...edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({
        group: 'edges' as const,
        data: {
          id: e.id,
          source: e.source,
          target: e.target,
          type: e.type,
          status: e.status ?? 'ASSERTED',
          label: e.label ?? e.type,
          width: e.width ?? 1.5,
          color: e.color ?? '#9aa8b8',
        },
        classes: e.dashed ? 'dashed' : '',
      })),
  ];
}

function runLayout(cy: Core, kind: 'fcose' | 'preset', randomize: boolean) {
  if (kind === 'preset') {
    cy.layout({ name: 'preset', fit: true, padding: 40 }).run();
    return;
  }
  cy.layout({
    name: 'fcose',
    quality: 'default',
    randomize,
    animate: false,
    fit: true,
    padding: 40,
    nodeRepulsion: () => 9000,
    idealEdgeLength: () => 110,
    nodeSeparation: 90,
  } as cytoscape.LayoutOptions).run();
}

export default function GraphCanvas({ nodes, edges, layout = 'fcose', highlight, onExpand, nodeActions, onReady, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const [selected, setSelected] = useState<GraphNode | null>(null);
  const expandRef = useRef(onExpand);
  expandRef.current = onExpand;

  // Create the instance once.
  useEffect(() => {
    const cy = cytoscape({
      container: box.current,
      style: STYLE,
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    cy.on('tap', 'node', (ev) => {
      const d = ev.target.data();
      setSelected({ id: d.id, name: d.name, kind: d.kind });
    });
    cy.on('tap', (ev) => {
      if (ev.target === cy) setSelected(null);
    });
    cy.on('dbltap', 'node', (ev) => expandRef.current?.(ev.target.id()));
    cyRef.current = cy;
    onReady?.(cy);
    return () => {
      onReady?.(null);
      cy.destroy();
      cyRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Sync elements: keep the nodes that stay where they are, seed new nodes
  // beside a neighbour already drawn, then lay out again.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const els = toElements(nodes, edges);
    const wanted = new Set(els.map((e) => e.data.id as string));
    const first = cy.elements().length === 0;
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (!wanted.has(el.id())) el.remove();
      });
      const added = els.filter((e) => cy.getElementById(e.data.id as string).empty());
      for (const e of added.filter((e) => e.group === 'nodes')) {
        if (!e.position) {
          const nb = edges.find((x) => x.source === e.data.id || x.target === e.data.id);
          const other = nb && cy.getElementById(nb.source === e.data.id ? nb.target : nb.source);
          if (other && other.nonempty()) {
            const p = other.position();
            e.position = { x: p.x + (Math.random() - 0.5) * 60, y: p.y + (Math.random() - 0.5) * 60 };
          }
        }
      }
      cy.add(added);
      // Classes may change on existing elements (centre, dashed).
      for (const e of els) cy.getElementById(e.data.id as string).classes(e.classes ?? '');
    });
    if (cy.nodes().length > 0) runLayout(cy, layout, first);
    // What is drawn, for tests and assistive tech.
    box.current?.setAttribute('data-nodes', String(cy.nodes().length));
    box.current?.setAttribute('data-edges', String(cy.edges().length));
    setSelected((s: GraphNode | null) => (s && wanted.has(s.id) ? s : null));
  }, [nodes, edges, layout]);

  // Highlight (a path, a row): fade the rest.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass('faded hl');
      if (!highlight) return;
      cy.elements().forEach((el) => {
        const node = el.group() === 'nodes';
        const on = node ? highlight.nodes.has(el.id()) : highlight.edges.has(el.id());
        if (!on) el.addClass('faded');
        else if (!node) el.addClass('hl');
      });
    });
  }, [highlight, nodes, edges]);

  const fit = () => cyRef.current?.fit(undefined, 40);

  return (
    <div className="graph">
      <div className="graph-canvas" ref={box} role="img" aria-label={label} data-testid="graph" />
      <div className="graph-tools">
        <button type="button" className="icon-button" onClick={fit} title="Fit the drawing to the frame">
          Fit
        </button>
      </div>
      {selected && (
        <div className="node-card" data-testid="node-card">
          <span className="kind-dot" style={{ background: kindStyle(selected.kind).color }} />
          <strong>{selected.name}</strong>
          <span className="muted">{kindStyle(selected.kind).label}</span>
          <div className="node-card-actions">{nodeActions?.(selected)}</div>
        </div>
      )}
    </div>
  );
}
