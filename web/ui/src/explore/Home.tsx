import { useState } from 'react';
import { ENTITIES_OF_KIND, gql, type EntityRef } from './api';
import { kindStyle } from './kinds';
import { EntityLink, ViewLink, useNavigate, useVocabulary } from './nav';
import { entityView } from './url';
import { useQuery } from './useQuery';
import SearchBox from './SearchBox';
import { KindIcon } from './Legend';

function KindList({ kind }: { kind: string }) {
  const q = useQuery(kind, (signal) => gql<{ entities: { nodes: EntityRef[] } }>(ENTITIES_OF_KIND, { kinds: [kind] }, signal));
  if (q.error) return <p className="error">{q.error}</p>;
  if (!q.data) return <p className="muted">Loading…</p>;
  return (
    <ul className="kind-list">
      {q.data.entities.nodes.map((e) => (
        <li key={e.id}>
          <EntityLink id={e.id}>{e.name}</EntityLink>
        </li>
      ))}
    </ul>
  );
}

export default function Home() {
  const navigate = useNavigate();
  const vocab = useVocabulary();
  const [openKind, setOpenKind] = useState<string | null>(null);
  return (
    <div className="home">
      <section className="hero">
        <h1>Explore the Hong Kong / Greater Bay Area innovation graph</h1>
        <p className="muted">
          Universities, labs, government bodies, people, agreements and money, each fact with the quote and source it rests on.
        </p>
        <SearchBox label="Search entities" placeholder="Search: polyu, state key lab, Carrie Lam…" onPick={(e) => navigate(entityView(e.id))} autoFocus testId="home-search" />
        <div className="starters">
          <span className="muted">Start with</span>
          <ViewLink to={entityView('polyu')}>PolyU and its labs</ViewLink>
          <ViewLink to={{ ...entityView('most'), depth: 1 }}>The Ministry of Science and Technology</ViewLink>
          <ViewLink to={{ view: 'path', from: 'harry-shum', to: 'hkust-gz', hops: 4, k: 3, hide: [] }}>Harry Shum → HKUST (Guangzhou)</ViewLink>
          <ViewLink to={{ view: 'funding' }}>Who funds what</ViewLink>
        </div>
      </section>
      {vocab && (
        <section className="kinds-overview" aria-label="Browse by kind">
          <h2>Browse by kind</h2>
          <div className="kind-grid">
            {vocab.kinds
              .filter((k) => k.count > 0)
              .map((k) => (
                <div key={k.kind} className={'kind-card' + (openKind === k.kind ? ' open' : '')}>
                  <button type="button" onClick={() => setOpenKind(openKind === k.kind ? null : k.kind)} aria-expanded={openKind === k.kind} title={k.description}>
                    <KindIcon kind={k.kind} size={18} />
                    <span className="kind-name">{kindStyle(k.kind).label}</span>
                    <span className="count">{k.count}</span>
                  </button>
                  {openKind === k.kind && <KindList kind={k.kind} />}
                </div>
              ))}
          </div>
        </section>
      )}
    </div>
  );
}
