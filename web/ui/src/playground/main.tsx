// The GraphiQL playground at /, bundled with its editor (Monaco), web workers
// and fonts so that it works with no internet access.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './playground.css';

import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from '@graphiql/react';
import { buildClientSchema, buildSchema, getIntrospectionQuery, type GraphQLSchema } from 'graphql';
import { examples, exampleBySlug, type Example } from './examples';
import sdl from '../../../../schema.graphqls?raw';

const fetcher = createGraphiQLFetcher({ url: '/graphql' });

// Keep innograph's tabs and history apart from other GraphiQLs on the origin.
const storage: Storage = {
  get length() {
    return localStorage.length;
  },
  clear: () => localStorage.clear(),
  key: (i) => localStorage.key(i),
  getItem: (k) => localStorage.getItem(`innograph:${k}`),
  setItem: (k, v) => localStorage.setItem(`innograph:${k}`, v),
  removeItem: (k) => localStorage.removeItem(`innograph:${k}`),
};

/** Opens an example in a new tab and runs it; notes it in the address bar. */
function useOpenExample() {
  const { addTab, updateActiveTabValues, setOperationName, run } = useGraphiQLActions();
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  return (ex: Example) => {
    if (!queryEditor || !variableEditor) return;
    addTab();
    queryEditor.setValue(ex.query);
    variableEditor.setValue(ex.variables);
    updateActiveTabValues({ query: ex.query, variables: ex.variables });
    // The editor reports the operation name after a debounce: set it now so
    // the run below sends this example's operation, not the previous tab's.
    const name = /^\s*(?:query|mutation)\s+(\w+)/m.exec(ex.query)?.[1];
    if (name) setOperationName(name);
    const url = new URL(location.href);
    url.searchParams.set('example', ex.slug);
    history.replaceState(null, '', url);
    // Let the editors' change events settle before running.
    setTimeout(() => run(), 0);
  };
}

function ExamplesPane() {
  const open = useOpenExample();
  return (
    <div className="ig-examples">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p className="ig-examples-intro">
        Questions the graph answers. Each opens in a new tab and runs; edit it from there. The{' '}
        <a href="/explore">explorer</a> shows the same data as pages and graphs.
      </p>
      <ul>
        {examples.map((ex) => (
          <li key={ex.slug}>
            <button type="button" data-example={ex.slug} onClick={() => open(ex)}>
              <span className="ig-example-title">{ex.title}</span>
              <span className="ig-example-desc">{ex.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M5 4h10l4 4v12H5z" />
      <path d="M8 11h8M8 14h8M8 17h5" />
    </svg>
  );
}

const examplesPlugin: GraphiQLPlugin = { title: 'Examples', icon: ExamplesIcon, content: ExamplesPane };
const explorer = explorerPlugin({ showAttribution: false });

/** Opens ?example=<slug> once the editors exist. */
function ExampleFromURL() {
  const open = useOpenExample();
  const ready = useGraphiQL((s) => Boolean(s.queryEditor && s.variableEditor && s.schema));
  useEffect(() => {
    const ex = exampleBySlug(new URLSearchParams(location.search).get('example'));
    if (ready && ex) open(ex);
    // Run once, when the editors become ready.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready]);
  return null;
}

/**
 * The schema for docs, completion and the query builder: the server's own
 * (by introspection) when it answers, else the contract this page was built
 * with (schema.graphqls at the repository root), so the page never depends
 * on introspection being enabled.
 */
async function loadSchema(): Promise<GraphQLSchema> {
  try {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery({ inputValueDeprecation: true }) }),
    });
    const body = await res.json();
    if (body?.data?.__schema) return buildClientSchema(body.data);
  } catch {
    // Fall through to the bundled schema.
  }
  return buildSchema(sdl);
}

const first = examples[0];

function Playground({ schema }: { schema: GraphQLSchema }) {
  return (
    <GraphiQL
      fetcher={fetcher}
      schema={schema}
      storage={storage}
      plugins={[examplesPlugin, explorer, HISTORY_PLUGIN]}
      visiblePlugin={examplesPlugin}
      defaultQuery={first.query}
      defaultTabs={[{ query: first.query, variables: first.variables }]}
      isHeadersEditorEnabled={false}
    >
      <GraphiQL.Logo>
        <a className="ig-logo" href="/explore" title="Open the graph explorer">
          innograph <span>explorer →</span>
        </a>
      </GraphiQL.Logo>
      <ExampleFromURL />
    </GraphiQL>
  );
}

loadSchema().then((schema) =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Playground schema={schema} />
    </StrictMode>,
  ),
);
