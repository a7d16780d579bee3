// The graph explorer at /explore: search, entity pages with their facts and
// neighbourhood, a path finder and the funding view. Views are encoded in the
// address bar (see url.ts).
import './explore.css';
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { VOCABULARY, gql, type Vocabulary } from './api';
import { NavContext, VocabularyContext, ViewLink, type Navigate } from './nav';
import { entityView, parseView, viewURL, type View } from './url';
import SearchBox from './SearchBox';
import Home from './Home';
import EntityPage from './EntityPage';
import PathFinder from './PathFinder';
import FundingView from './FundingView';
import ReviewPage from './ReviewPage';

/** Rewrites the address bar to what the page shows (depth=99 is shown as depth 2, so it says depth=2). */
function canonical(v: View): View {
  const url = viewURL(v);
  if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  return v;
}

function App() {
  const [view, setView] = useState<View>(() => canonical(parseView(location.search, location.pathname)));
  const [vocab, setVocab] = useState<Vocabulary | null>(null);
  const [vocabError, setVocabError] = useState<string | null>(null);

  useEffect(() => {
    gql<{ schemaInfo: Vocabulary }>(VOCABULARY).then(
      (d) => setVocab(d.schemaInfo),
      (e) => setVocabError(e.message),
    );
    const onPop = () => setView(canonical(parseView(location.search, location.pathname)));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const navigate: Navigate = useCallback((v, opts) => {
    const url = viewURL(v);
    if (url !== location.pathname + location.search) {
      if (opts?.replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    setView(v);
    if (!opts?.replace) scrollTo(0, 0);
  }, []);

  useEffect(() => {
    if (view.view !== 'entity') document.title = { home: 'innograph · explorer', path: 'Paths · innograph', funding: 'Funding · innograph', review: 'Review · innograph' }[view.view];
  }, [view.view]);

  const tab = (v: View['view']) => (view.view === v ? 'page' : undefined);
  return (
    <NavContext.Provider value={navigate}>
      <VocabularyContext.Provider value={vocab}>
        <header className="topbar">
          <ViewLink to={{ view: 'home' }} className="brand">
            <img src="/favicon.svg" alt="" width="22" height="22" /> innograph
          </ViewLink>
          <nav aria-label="Views">
            <span aria-current={tab('entity') ?? tab('home')} className="nav-item">
              <ViewLink to={{ view: 'home' }}>Explore</ViewLink>
            </span>
            <span aria-current={tab('path')} className="nav-item">
              <ViewLink to={view.view === 'path' ? view : { view: 'path', from: view.view === 'entity' ? view.id : '', to: '', hops: 4, k: 3, hide: [] }}>
                Paths
              </ViewLink>
            </span>
            <span aria-current={tab('funding')} className="nav-item">
              <ViewLink to={{ view: 'funding' }}>Funding</ViewLink>
            </span>
            <span aria-current={tab('review')} className="nav-item">
              <ViewLink to={view.view === 'review' ? view : { view: 'review', source: '' }}>Review</ViewLink>
            </span>
            <span className="nav-item">
              <a href="/">GraphQL playground</a>
            </span>
          </nav>
          {view.view !== 'home' && (
            <div className="topbar-search">
              <SearchBox label="Search entities" placeholder="Search entities…" onPick={(e) => navigate(entityView(e.id))} testId="top-search" />
            </div>
          )}
        </header>
        <main>
          {vocabError && <p className="error">The server is not answering: {vocabError}</p>}
          {view.view === 'home' && <Home />}
          {view.view === 'entity' && <EntityPage key={view.id} view={view} />}
          {view.view === 'path' && <PathFinder view={view} />}
          {view.view === 'funding' && <FundingView />}
          {view.view === 'review' && <ReviewPage view={view} />}
        </main>
      </VocabularyContext.Provider>
    </NavContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
