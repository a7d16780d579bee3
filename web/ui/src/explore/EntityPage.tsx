// One entity: its description, its facts grouped by relationship type with
// the evidence for each, and an interactive drawing of its neighbourhood.
import { useEffect, useMemo, useState } from 'react';
import type { Core } from 'cytoscape';
import { ENTITY, GraphQLError, SUBGRAPH, allRelationships, gql, missingId, shownStatuses, type EntityDetail, type Relationship, type SubgraphResult } from './api';
import { relLabel } from './kinds';
import { EntityLink, ViewLink, useNavigate, useVocabulary } from './nav';
import { type EntityView } from './url';
import { useQuery } from './useQuery';
import GraphCanvas, { type GraphEdge, type GraphNode } from './GraphCanvas';
import Legend, { KindBadge } from './Legend';
import Filters from './Filters';
import Downloads from './Downloads';
import EvidenceList, { ClaimBadge, ClaimFilter, SourceCite } from './Evidence';
import { compactMoney, exactMoney } from './format';

function dates(r: Relationship): string {
  if (r.on) return r.on;
  if (r.since && r.until) return `${r.since} – ${r.until}`;
  if (r.since) return `since ${r.since}`;
  if (r.until) return `until ${r.until}`;
  return '';
}

function Fact({ r, self }: { r: Relationship; self: string }) {
  const end = (e: { id: string; name: string }) => (e.id === self ? <strong>{e.name}</strong> : <EntityLink id={e.id}>{e.name}</EntityLink>);
  const extra = [r.role, dates(r), r.funding?.amount ? exactMoney(r.funding.amount) : null].filter(Boolean).join(' · ');
  return (
    <li className="fact" data-rel={r.id} data-status={r.status}>
      <div className="fact-line">
        {end(r.from)} <span className="rel-type">{relLabel(r.type)}</span> {end(r.to)}
        {extra && <span className="muted"> — {extra}</span>}
        {r.status !== 'ASSERTED' && <> <ClaimBadge status={r.status} /></>}
      </div>
      <EvidenceList evidence={r.evidence} />
    </li>
  );
}

function Facts({ rels, self }: { rels: Relationship[]; self: string }) {
  const vocab = useVocabulary();
  const groups = useMemo(() => {
    const m = new Map<string, Relationship[]>();
    for (const r of rels) m.set(r.type, [...(m.get(r.type) ?? []), r]);
    return [...m.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  }, [rels]);
  if (!rels.length) return <p className="muted">No relationships recorded.</p>;
  return (
    <div className="facts" data-testid="facts">
      {groups.map(([type, rs]) => (
        <section key={type} className="fact-group">
          <h3 title={vocab?.relationshipTypes.find((t) => t.type === type)?.description}>
            {relLabel(type)} <span className="count">{rs.length}</span>
          </h3>
          <ul>
            {rs.map((r) => (
              <Fact key={r.id} r={r} self={self} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export default function EntityPage({ view }: { view: EntityView }) {
  const navigate = useNavigate();
  const [cy, setCy] = useState<Core | null>(null);
  const vocab = useVocabulary();
  const update = (patch: Partial<EntityView>) => navigate({ ...view, ...patch }, { replace: true });
  // What the address asked for but the graph does not have (a kind or type
  // that does not exist, an expanded entity since deleted): left out, and said so.
  const [ignored, setIgnored] = useState<string[]>([]);
  const ignore = (what: string[]) => setIgnored((d) => [...new Set([...d, ...what])]);

  const entity = useQuery(view.id, (signal) => gql<{ entity: EntityDetail | null }>(ENTITY, { id: view.id }, signal));
  const rels = useQuery('rels:' + view.id, (signal) => allRelationships(view.id, signal));
  const centres = [view.id, ...view.expand.filter((x) => x !== view.id)];
  const subKey = JSON.stringify([centres, view.depth, view.kinds, view.types, view.hide]);
  // Filters are checked against the vocabulary before they are sent.
  const unknownKinds = vocab ? view.kinds.filter((k) => !vocab.kinds.some((x) => x.kind === k)) : [];
  const unknownTypes = vocab ? view.types.filter((t) => !vocab.relationshipTypes.some((x) => x.type === t)) : [];
  const filtersKnown = (!view.kinds.length && !view.types.length) || (vocab !== null && !unknownKinds.length && !unknownTypes.length);
  const sub = useQuery(
    subKey,
    (signal) =>
      gql<{ subgraph: SubgraphResult }>(
        SUBGRAPH,
        {
          ids: centres,
          depth: view.depth,
          kinds: view.kinds.length ? view.kinds : null,
          types: view.types.length ? view.types : null,
          statuses: shownStatuses(view.hide),
        },
        signal,
      ),
    filtersKnown,
  );

  useEffect(() => {
    if (!unknownKinds.length && !unknownTypes.length) return;
    ignore([...unknownKinds.map((k) => `kind ${k}`), ...unknownTypes.map((t) => `relationship type ${t}`)]);
    navigate({ ...view, kinds: view.kinds.filter((k) => !unknownKinds.includes(k)), types: view.types.filter((t) => !unknownTypes.includes(t)) }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [vocab, subKey]);

  // An expanded entity that no longer exists fails the whole subgraph: drop it.
  const goneId = missingId(sub.cause);
  const expandedGone = goneId !== null && view.expand.includes(goneId);
  useEffect(() => {
    if (goneId !== null && expandedGone) {
      ignore([`expanded entity ${goneId}`]);
      navigate({ ...view, expand: view.expand.filter((x) => x !== goneId) }, { replace: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sub.cause]);

  // Ids of merged entities redirect to the survivor: show the survivor's id.
  const found = entity.data?.entity;
  useEffect(() => {
    if (found && found.id !== view.id) navigate({ ...view, id: found.id }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [found?.id]);
  useEffect(() => {
    if (found) document.title = `${found.name} · innograph`;
  }, [found]);

  const graph = useMemo(() => {
    const s = sub.data?.subgraph;
    if (!s) return { nodes: [] as GraphNode[], edges: [] as GraphEdge[] };
    const expanded = new Set(view.expand);
    return {
      nodes: s.nodes.map((n) => ({ ...n, centre: n.id === view.id || expanded.has(n.id) })),
      edges: s.relationships.map((r) => ({ id: r.id, source: r.from.id, target: r.to.id, type: r.type, status: r.status, label: relLabel(r.type) })),
    };
  }, [sub.data, view.id, view.expand]);

  const notFound = entity.cause instanceof GraphQLError && entity.cause.code === 'NOT_FOUND';
  if (entity.error && !notFound) return <p className="error">Could not load {view.id}: {entity.error}</p>;
  if (notFound || (entity.data && !found))
    return (
      <div className="empty-state">
        <h2>No entity “{view.id}”</h2>
        <p>
          Search for it above, or go back to the <ViewLink to={{ view: 'home' }}>start page</ViewLink>.
        </p>
      </div>
    );

  const toggleExpand = (id: string) => {
    if (id === view.id) return;
    const expand = view.expand.includes(id) ? view.expand.filter((x) => x !== id) : [...view.expand, id].slice(-19);
    navigate({ ...view, expand });
  };
  const fundingTotal = rels.data?.filter((r) => r.funding?.amount).map((r) => compactMoney(r.funding!.amount!));
  // Plans and opinions the reader chose to hide leave the list and the drawing.
  const shownRels = rels.data?.filter((r) => !view.hide.includes(r.status));

  const serverURL = (format: string) => {
    const p = new URLSearchParams({ ids: centres.join(','), depth: String(view.depth), limit: '150', format });
    if (view.kinds.length) p.set('kinds', view.kinds.join(','));
    if (view.types.length) p.set('types', view.types.join(','));
    return '/export/subgraph?' + p.toString().replace(/%2C/g, ',');
  };

  return (
    <div className="entity-page">
      <header className="entity-head">
        {found ? (
          <>
            <h1 data-testid="entity-name">{found.name}</h1>
            <div className="entity-meta">
              <KindBadge kind={found.kind} />
              <code className="muted">{found.id}</code>
              {found.aliases.length > 0 && <span className="muted">also: {found.aliases.join(' · ')}</span>}
            </div>
            {found.description && <p className="description">{found.description}</p>}
            {fundingTotal && fundingTotal.length > 0 && <p className="muted">Funding on record: {fundingTotal.join(', ')}</p>}
          </>
        ) : (
          <h1 className="loading">Loading…</h1>
        )}
      </header>

      <div className="entity-body">
        <section className="panel facts-panel" aria-labelledby="facts-h">
          <h2 id="facts-h">
            Facts {shownRels && <span className="count">{shownRels.length}</span>}
          </h2>
          <ClaimFilter hide={view.hide} onChange={(hide) => update({ hide })} hiddenCount={rels.data && shownRels ? rels.data.length - shownRels.length : undefined} />
          {rels.error && <p className="error">{rels.error}</p>}
          {shownRels ? <Facts rels={shownRels} self={view.id} /> : !rels.error && <p className="muted">Loading…</p>}
          {found && found.sources.length > 0 && (
            <>
              <h2>Mentioned in</h2>
              <ul className="sources">
                {found.sources.map((s) => (
                  <li key={s.id}>
                    <SourceCite source={s} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section className="panel graph-panel" aria-labelledby="graph-h">
          <div className="toolbar">
            <h2 id="graph-h">Neighbourhood</h2>
            <div className="segmented" role="group" aria-label="Depth">
              {[1, 2].map((d) => (
                <button key={d} type="button" aria-pressed={view.depth === d} onClick={() => update({ depth: d })} data-testid={`depth-${d}`}>
                  {d} hop{d > 1 ? 's' : ''}
                </button>
              ))}
            </div>
            <Filters kinds={view.kinds} types={view.types} onKinds={(kinds) => update({ kinds })} onTypes={(types) => update({ types })} />
            {sub.loading && <span className="muted">Loading…</span>}
          </div>
          {view.expand.length > 0 && (
            <div className="chips">
              <span className="muted">Expanded:</span>
              {view.expand.map((id) => (
                <button key={id} type="button" className="chip" onClick={() => toggleExpand(id)} title="Collapse">
                  {graph.nodes.find((n) => n.id === id)?.name ?? id} ×
                </button>
              ))}
            </div>
          )}
          {ignored.length > 0 && (
            <p className="note" role="status" data-testid="ignored">
              Not in the graph, so left out of this view: {ignored.join(', ')}.
            </p>
          )}
          {sub.error && !expandedGone && <p className="error">{sub.error}</p>}
          <GraphCanvas
            nodes={graph.nodes}
            edges={graph.edges}
            onReady={setCy}
            onExpand={toggleExpand}
            label={`Graph of the neighbourhood of ${found?.name ?? view.id}`}
            nodeActions={(n) => (
              <>
                {n.id !== view.id && (
                  <EntityLink id={n.id} className="small-button primary">
                    Open page
                  </EntityLink>
                )}
                {n.id !== view.id && (
                  <button type="button" className="small-button" onClick={() => toggleExpand(n.id)} data-testid="expand">
                    {view.expand.includes(n.id) ? 'Collapse' : 'Expand'}
                  </button>
                )}
                {n.id === view.id && <span className="muted">The entity of this page</span>}
              </>
            )}
          />
          <p className="hint muted">
            Click a node for its card; double-click to expand it. {sub.data?.subgraph.truncated && <strong>The neighbourhood was cut at 150 nodes.</strong>}
          </p>
          <Legend kinds={graph.nodes.map((n) => n.kind)} />
          <Downloads cy={cy} basename={`innograph-${view.id}`} serverURL={serverURL} />
        </section>
      </div>
    </div>
  );
}
