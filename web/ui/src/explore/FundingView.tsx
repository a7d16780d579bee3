// Who funds what: every funding record with its amount as stated, totals per
// currency, and a flow chart from funders to recipients in which edge width
// compares amounts within one currency.
import { useMemo, useState } from 'react';
import type { Core } from 'cytoscape';
import { FUNDINGS, gql, type Funding, type Money } from './api';
import { EntityLink } from './nav';
import { useQuery } from './useQuery';
import GraphCanvas, { type GraphEdge, type GraphNode } from './GraphCanvas';
import Legend from './Legend';
import Downloads from './Downloads';
import EvidenceList, { ClaimBadge } from './Evidence';
import { compactMoney, exactMoney, period } from './format';

interface Result {
  fundings: { totalCount: number; totals: Money[]; nodes: Funding[] };
}

const CURRENCY_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const NO_AMOUNT = '#b0b8c4';

function flow(fundings: Funding[], currencies: string[]) {
  // Largest amount per currency: widths compare only like with like.
  const max = new Map<string, number>();
  for (const f of fundings) if (f.amount) max.set(f.amount.currency, Math.max(max.get(f.amount.currency) ?? 0, Number(f.amount.value)));
  const funders: GraphNode[] = [];
  const recipients: GraphNode[] = [];
  const seen = new Set<string>();
  const edges: GraphEdge[] = [];
  for (const f of fundings) {
    if (!seen.has(f.funder.id)) {
      seen.add(f.funder.id);
      funders.push({ ...f.funder });
    }
    for (const r of f.recipients) {
      if (!seen.has(r.id)) {
        seen.add(r.id);
        recipients.push({ ...r });
      }
      const a = f.amount;
      const width = a ? 2 + 12 * Math.sqrt(Number(a.value) / (max.get(a.currency) || 1)) : 1.5;
      edges.push({
        id: `${f.id}:${r.id}`,
        source: f.funder.id,
        target: r.id,
        type: 'FUNDS',
        status: f.status,
        label: a ? compactMoney(a) + (f.recipients.length > 1 ? ' (joint)' : '') : 'amount not stated',
        width,
        color: a ? CURRENCY_COLORS[currencies.indexOf(a.currency) % CURRENCY_COLORS.length] : NO_AMOUNT,
        dashed: !a,
      });
    }
  }
  // Funders in a column on the left, recipients on the right, each recipient
  // level with its first funder as far as possible (fewer crossings).
  const rank = new Map(funders.map((f, i) => [f.id, i]));
  const firstFunder = (id: string) => Math.min(...edges.filter((e) => e.target === id).map((e) => rank.get(e.source) ?? 0));
  recipients.sort((a, b) => firstFunder(a.id) - firstFunder(b.id));
  const place = (ns: GraphNode[], x: number) => ns.forEach((n, i) => (n.position = { x, y: i * 100 - ((ns.length - 1) * 100) / 2 }));
  place(funders, 0);
  place(recipients, 640);
  return { nodes: [...funders, ...recipients], edges };
}

export default function FundingView() {
  const [cy, setCy] = useState<Core | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const q = useQuery('fundings', (signal) => gql<Result>(FUNDINGS, {}, signal));
  const data = q.data?.fundings;
  const currencies = useMemo(() => [...new Set((data?.nodes ?? []).flatMap((f) => (f.amount ? [f.amount.currency] : [])))].sort(), [data]);
  const graph = useMemo(() => flow(data?.nodes ?? [], currencies), [data, currencies]);
  const highlight = useMemo(() => {
    const f = data?.nodes.find((x) => x.id === focus);
    if (!f) return null;
    return {
      nodes: new Set([f.funder.id, ...f.recipients.map((r) => r.id)]),
      edges: new Set(f.recipients.map((r) => `${f.id}:${r.id}`)),
    };
  }, [focus, data]);

  return (
    <div className="funding-page">
      <h1>Funding</h1>
      <p className="muted">
        Who funds what, with amounts exactly as the sources state them. Totals are per currency: amounts in different currencies are never added
        up.
      </p>
      {q.error && <p className="error">{q.error}</p>}
      {!data && !q.error && <p className="muted">Loading…</p>}
      {data && (
        <>
          <div className="totals" data-testid="funding-totals">
            <span>
              {data.totalCount} funding record{data.totalCount === 1 ? '' : 's'}
            </span>
            {data.totals.map((t) => (
              <span key={t.currency} className="total">
                <span className="swatch" style={{ background: CURRENCY_COLORS[currencies.indexOf(t.currency) % CURRENCY_COLORS.length] }} />
                {exactMoney(t)} <span className="muted">stated in {t.currency}</span>
              </span>
            ))}
          </div>
          <section className="panel" aria-label="Funding flows">
            <h2>Flows</h2>
            <GraphCanvas
              nodes={graph.nodes}
              edges={graph.edges}
              layout="preset"
              highlight={highlight}
              onReady={setCy}
              label="Flow chart of funding from funders to recipients"
              nodeActions={(n) => (
                <EntityLink id={n.id} className="small-button primary">
                  Open page
                </EntityLink>
              )}
            />
            <p className="hint muted">
              Funders on the left, recipients on the right. Edge width compares amounts within one currency (colour); dashed edges have no stated
              amount.
            </p>
            <Legend kinds={graph.nodes.map((n) => n.kind)} />
            <Downloads cy={cy} basename="innograph-funding" />
          </section>
          <section className="panel" aria-label="Funding records">
            <h2>Records</h2>
            <div className="table-wrap">
              <table className="funding-table" data-testid="funding-table">
                <thead>
                  <tr>
                    <th>Funder</th>
                    <th>Recipients</th>
                    <th className="num">Amount</th>
                    <th>When</th>
                    <th>Purpose and evidence</th>
                  </tr>
                </thead>
                <tbody>
                  {data.nodes.map((f) => (
                    <tr key={f.id} onMouseEnter={() => setFocus(f.id)} onMouseLeave={() => setFocus(null)} className={focus === f.id ? 'focused' : ''}>
                      <td>
                        <EntityLink id={f.funder.id}>{f.funder.name}</EntityLink>
                        {f.administeredBy && (
                          <div className="muted">
                            administered by <EntityLink id={f.administeredBy.id}>{f.administeredBy.name}</EntityLink>
                          </div>
                        )}
                      </td>
                      <td>
                        {f.recipients.map((r) => (
                          <div key={r.id}>
                            <EntityLink id={r.id}>{r.name}</EntityLink>
                          </div>
                        ))}
                        {f.programme && (
                          <div className="muted">
                            under <EntityLink id={f.programme.id}>{f.programme.name}</EntityLink>
                          </div>
                        )}
                      </td>
                      <td className="num">
                        {f.amount ? (
                          <>
                            {f.amount.note && <div className="muted">{f.amount.note}</div>}
                            <strong>{exactMoney(f.amount)}</strong>
                          </>
                        ) : (
                          <span className="muted">not stated</span>
                        )}
                      </td>
                      <td>{period(f.period)}</td>
                      <td data-status={f.status}>
                        {f.purpose}
                        {f.status !== 'ASSERTED' && <> <ClaimBadge status={f.status} /></>}
                        <details>
                          <summary>
                            Evidence ({f.evidence.length})
                          </summary>
                          <EvidenceList evidence={f.evidence} />
                        </details>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
