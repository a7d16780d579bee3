// The k shortest paths between two entities, drawn and listed hop by hop with
// the evidence for each hop.
import { useEffect, useMemo, useState } from 'react';
import type { Core } from 'cytoscape';
import { ENDS, PATHS, gql, gqlPartial, missingId, shownStatuses, type EntityRef, type PathResult } from './api';
import { relLabel } from './kinds';
import { EntityLink, useNavigate } from './nav';
import type { PathView } from './url';
import { useQuery } from './useQuery';
import SearchBox from './SearchBox';
import GraphCanvas from './GraphCanvas';
import Legend, { KindBadge } from './Legend';
import Downloads from './Downloads';
import EvidenceList, { ClaimBadge, ClaimFilter } from './Evidence';

function Hop({ path, i }: { path: PathResult; i: number }) {
  const r = path.relationships[i];
  const a = path.nodes[i];
  const b = path.nodes[i + 1];
  const forward = r.from.id === a.id;
  return (
    <li className="hop">
      <div className="fact-line">
        <EntityLink id={a.id}>{a.name}</EntityLink>{' '}
        <span className="rel-type">
          {forward ? '' : '← '}
          {relLabel(r.type)}
          {forward ? ' →' : ''}
        </span>{' '}
        <EntityLink id={b.id}>{b.name}</EntityLink>
        {r.role && <span className="muted"> — {r.role}</span>}
        {r.status !== 'ASSERTED' && <> <ClaimBadge status={r.status} /></>}
      </div>
      <EvidenceList evidence={r.evidence} />
    </li>
  );
}

export default function PathFinder({ view }: { view: PathView }) {
  const navigate = useNavigate();
  const [cy, setCy] = useState<Core | null>(null);
  const [focus, setFocus] = useState<number | null>(null);
  const update = (patch: Partial<PathView>) => navigate({ ...view, ...patch }, { replace: !('from' in patch || 'to' in patch) });

  // Each end on its own: an id merged into another resolves to the survivor
  // (the address is then corrected), and an id the graph lacks is named.
  const ends = useQuery(
    `${view.from}|${view.to}`,
    async (signal) => {
      const { data, errors } = await gqlPartial<{ from?: EntityRef | null; to?: EntityRef | null }>(
        ENDS,
        { from: view.from, to: view.to, hasFrom: Boolean(view.from), hasTo: Boolean(view.to) },
        signal,
      );
      const missing = { from: false, to: false };
      for (const e of errors) {
        const end = e.path?.[0];
        if (missingId(e) && (end === 'from' || end === 'to')) missing[end] = true;
        else throw e;
      }
      return { from: data?.from ?? null, to: data?.to ?? null, missing };
    },
    Boolean(view.from || view.to),
  );
  const from = ends.data?.from ?? null;
  const to = ends.data?.to ?? null;
  const missing = ends.data?.missing ?? { from: false, to: false };
  useEffect(() => {
    const f = from && from.id !== view.from ? from.id : view.from;
    const t = to && to.id !== view.to ? to.id : view.to;
    if (f !== view.from || t !== view.to) navigate({ ...view, from: f, to: t }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [from?.id, to?.id]);

  const same = Boolean(view.from) && view.from === view.to;
  const ready = Boolean(view.from && view.to) && !same && !missing.from && !missing.to;
  const paths = useQuery(
    JSON.stringify(view),
    (signal) => gql<{ paths: PathResult[] }>(PATHS, { from: view.from, to: view.to, maxHops: view.hops, first: view.k, statuses: shownStatuses(view.hide) }, signal).then((d) => d.paths),
    ready,
  );
  // The server names a missing end too; the message under the form says it better.
  const pathsError = paths.error && !missingId(paths.cause) ? paths.error : null;

  const graph = useMemo(() => {
    const nodes = new Map<string, EntityRef>();
    const edges = new Map<string, { id: string; source: string; target: string; type: string; status: string; label: string }>();
    for (const p of paths.data ?? []) {
      p.nodes.forEach((n) => nodes.set(n.id, n));
      p.relationships.forEach((r) => edges.set(r.id, { id: r.id, source: r.from.id, target: r.to.id, type: r.type, status: r.status, label: relLabel(r.type) }));
    }
    return {
      nodes: [...nodes.values()].map((n) => ({ ...n, centre: n.id === view.from || n.id === view.to })),
      edges: [...edges.values()],
    };
  }, [paths.data, view.from, view.to]);

  const highlight = useMemo(() => {
    const p = focus === null ? null : paths.data?.[focus];
    return p ? { nodes: new Set(p.nodes.map((n) => n.id)), edges: new Set(p.relationships.map((r) => r.id)) } : null;
  }, [focus, paths.data]);

  const serverURL = (format: string) =>
    `/export/path?${new URLSearchParams({ from: view.from, to: view.to, maxHops: String(view.hops), first: String(view.k), format })}`;

  return (
    <div className="path-page">
      <h1>Path finder</h1>
      <p className="muted">How are two entities connected? The shortest paths first, each hop with the quote that supports it.</p>
      <form className="path-form" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <span>From</span>
          <SearchBox label="From entity" placeholder="e.g. Harry Shum" selected={from} pending={ends.loading && Boolean(view.from)} onPick={(e) => update({ from: e.id })} testId="path-from" />
        </div>
        <button type="button" className="small-button" title="Swap the ends" onClick={() => update({ from: view.to, to: view.from })}>
          ⇄
        </button>
        <div className="field">
          <span>To</span>
          <SearchBox label="To entity" placeholder="e.g. HKUST (Guangzhou)" selected={to} pending={ends.loading && Boolean(view.to)} onPick={(e) => update({ to: e.id })} testId="path-to" />
        </div>
        <label className="field narrow">
          <span>Max hops</span>
          <select value={view.hops} onChange={(e) => update({ hops: Number(e.target.value) })}>
            {[1, 2, 3, 4, 5, 6].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="field narrow">
          <span>Paths</span>
          <select value={view.k} onChange={(e) => update({ k: Number(e.target.value) })}>
            {[...new Set([1, 2, 3, 5, 10, view.k])].sort((a, b) => a - b).map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <ClaimFilter hide={view.hide} onChange={(hide) => update({ hide })} />
      </form>

      {(['from', 'to'] as const).map(
        (end) =>
          missing[end] && (
            <p key={end} className="error" data-testid={`missing-${end}`}>
              No entity “{view[end]}” in the graph: pick the {end === 'from' ? 'start' : 'end'} again.
            </p>
          ),
      )}
      {same && <p className="error" data-testid="same-ends">From and To are the same entity: pick two different ones.</p>}
      {!(view.from && view.to) && <p className="muted">Pick both ends to see how they connect.</p>}
      {pathsError && <p className="error">{pathsError}</p>}
      {ready && paths.loading && <p className="muted">Finding paths…</p>}
      {ready && paths.data && paths.data.length === 0 && (
        <p className="empty-state" data-testid="no-paths">
          No path of at most {view.hops} hop{view.hops === 1 ? '' : 's'} between these two. {view.hops < 6 && 'Try allowing more hops.'}
        </p>
      )}
      {paths.data && paths.data.length > 0 && (
        <div className="entity-body">
          <section className="panel facts-panel" aria-label="Paths">
            <ol className="paths" data-testid="paths">
              {paths.data.map((p, i) => (
                <li key={i} className={focus === i ? 'focused' : ''} onMouseEnter={() => setFocus(i)} onMouseLeave={() => setFocus(null)}>
                  <h3>
                    Path {i + 1} <span className="count">{p.length} hop{p.length > 1 ? 's' : ''}</span>
                  </h3>
                  <div className="path-summary">
                    {p.nodes.map((n, j) => (
                      <span key={j}>
                        {j > 0 && ' → '}
                        {n.name} <KindBadge kind={n.kind} />
                      </span>
                    ))}
                  </div>
                  <ol className="hops">
                    {p.relationships.map((_, j) => (
                      <Hop key={j} path={p} i={j} />
                    ))}
                  </ol>
                </li>
              ))}
            </ol>
          </section>
          <section className="panel graph-panel" aria-label="Drawing of the paths">
            <GraphCanvas
              nodes={graph.nodes}
              edges={graph.edges}
              highlight={highlight}
              onReady={setCy}
              label="Graph of the paths"
              nodeActions={(n) => (
                <EntityLink id={n.id} className="small-button primary">
                  Open page
                </EntityLink>
              )}
            />
            <p className="hint muted">Hover a path in the list to pick it out in the drawing.</p>
            <Legend kinds={graph.nodes.map((n) => n.kind)} />
            <Downloads cy={cy} basename={`innograph-paths-${view.from}-${view.to}`} serverURL={serverURL} />
          </section>
        </div>
      )}
    </div>
  );
}
