// End-to-end test of innograph's pages in headless Chromium.
//
//   node web/e2e/run.mjs <baseURL> <artifactDir>
//
// Opens the playground and the explorer against a running server with the
// seed graph loaded, drives them as a user would and asserts what is on
// screen. Fails when any request leaves the server's origin (the pages must
// work with no internet access), on any uncaught page error and on any
// Content-Security-Policy violation. Screenshots go to <artifactDir>.
// It also reads the server's exports with cytoscape.js and graphology's GEXF
// parser, as visualization tools do, and compares them with the GraphQL
// answer. web/e2e_test.go builds and starts the server and runs this script.
import { chromium } from 'playwright-core';
import cytoscape from 'cytoscape';
import Graph from 'graphology';
import { parse as parseGEXF } from 'graphology-gexf';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, artifacts] = process.argv.slice(2);
if (!base || !artifacts) {
  console.error('usage: node run.mjs <baseURL> <artifactDir>');
  process.exit(2);
}
const origin = new URL(base).origin;
const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(artifacts, { recursive: true });

const STEP_TIMEOUT = 20_000;
const external = [];
const pageErrors = [];
const cspErrors = [];
let failures = 0;

function log(...a) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}]`, ...a);
}

function check(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    failures++;
    log(`FAIL ${name}: ${e.message}`);
    await page.screenshot({ path: join(artifacts, `FAILED-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
  }
}

const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`) });

// A fresh profile: no cache, no stored GraphiQL tabs.
const profile = mkdtempSync(join(tmpdir(), 'innograph-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  acceptDownloads: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
context.setDefaultTimeout(STEP_TIMEOUT);

// Every request must stay on the server: record and block anything else.
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(origin + '/')) return route.continue();
  external.push(url);
  return route.abort('blockedbyclient');
});
context.on('request', (r) => {
  const url = r.url();
  if (!url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:' + origin) && !external.includes(url)) external.push(url);
});

const page = context.pages()[0] ?? (await context.newPage());
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => {
  if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
});

// --- Examples: every example query answers with data and no errors. ---------
await step('examples return data', async () => {
  const dir = join(here, '..', 'ui', 'src', 'playground', 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  check(files.length >= 5, `at least 5 examples, found ${files.length}`);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const vars = /^# variables: (.*)$/m.exec(text)?.[1];
    const res = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: text, variables: vars ? JSON.parse(vars) : {} }),
    });
    const body = await res.json();
    check(!body.errors, `${f}: errors ${JSON.stringify(body.errors)}`);
    const empty = (v) => v == null || (Array.isArray(v) && v.length === 0);
    for (const [k, v] of Object.entries(body.data ?? {})) check(!empty(v), `${f}: ${k} is empty`);
  }
});

// --- Exports: cytoscape.js and graphology read what GraphQL answers. ---------
async function graphql(query, variables) {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  check(!body.errors, `GraphQL errors ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function exported(path) {
  const res = await fetch(`${origin}${path}`);
  check(res.ok, `${path}: status ${res.status}`);
  return res.text();
}

// Nodes as sorted ids, edges as sorted "id source>target": what a reader and
// the GraphQL answer must agree on.
const summary = (nodes, edges) => ({
  nodes: nodes.map(String).sort().join(' '),
  edges: edges.map(([id, s, t]) => `${id} ${s}>${t}`).sort().join(' '),
});

await step('exports read by cytoscape.js and graphology', async () => {
  const rel = 'id from { id } to { id }';
  for (const { name, path, query, variables } of [
    {
      name: 'neighbourhood',
      path: '/export/subgraph?ids=polyu&depth=2&limit=100',
      query: `query($ids: [ID!]!) { subgraph(ids: $ids, depth: 2, limit: 100) { nodes { id } relationships { ${rel} } } }`,
      variables: { ids: ['polyu'] },
    },
    {
      name: 'paths',
      path: '/export/path?from=harry-shum&to=hkust-gz&maxHops=4&first=3',
      query: `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 4, first: 3) { nodes { id } relationships { ${rel} } } }`,
      variables: { from: 'harry-shum', to: 'hkust-gz' },
    },
  ]) {
    const data = await graphql(query, variables);
    const parts = data.subgraph ? [data.subgraph] : data.paths;
    const nodes = new Set(parts.flatMap((p) => p.nodes.map((n) => n.id)));
    const edges = new Map(parts.flatMap((p) => p.relationships.map((r) => [r.id, [r.id, r.from.id, r.to.id]])));
    check(nodes.size >= 3 && edges.size >= 2, `${name}: GraphQL answer too small to test (${nodes.size} nodes, ${edges.size} edges)`);
    const want = summary([...nodes], [...edges.values()]);

    const doc = JSON.parse(await exported(`${path}&format=cytoscape`));
    const cy = cytoscape({ headless: true, elements: doc.elements });
    const fromCy = summary(cy.nodes().map((n) => n.id()), cy.edges().map((e) => [e.id(), e.source().id(), e.target().id()]));
    check(cy.nodes().length === nodes.size && cy.edges().length === edges.size,
      `${name}: cytoscape.js read ${cy.nodes().length} nodes, ${cy.edges().length} edges; GraphQL answered ${nodes.size}, ${edges.size}`);
    check(JSON.stringify(fromCy) === JSON.stringify(want), `${name}: cytoscape.js read ${JSON.stringify(fromCy)}, want ${JSON.stringify(want)}`);
    cy.destroy();

    const g = parseGEXF(Graph, await exported(`${path}&format=gexf`));
    const fromGEXF = summary(g.nodes(), g.edges().map((e) => [e, g.source(e), g.target(e)]));
    check(g.type === 'directed' && g.order === nodes.size && g.size === edges.size,
      `${name}: graphology read a ${g.type} graph of ${g.order} nodes, ${g.size} edges; GraphQL answered ${nodes.size}, ${edges.size}`);
    check(JSON.stringify(fromGEXF) === JSON.stringify(want), `${name}: graphology read ${JSON.stringify(fromGEXF)}, want ${JSON.stringify(want)}`);
    log(`     ${name}: ${nodes.size} nodes, ${edges.size} edges read alike by cytoscape.js and graphology`);
  }
});

// --- Playground ----------------------------------------------------------------
await step('playground runs an example', async () => {
  await page.goto(`${origin}/?example=polyu-labs`);
  const response = page.locator('.graphiql-response');
  await response.getByText('Ni Yiqing').first().waitFor();
  const text = (await response.innerText()).replace(/\s+/g, ' '); // Monaco wraps long lines
  check(text.includes('"data"') && text.includes('The Hong Kong Polytechnic University'), 'result pane shows PolyU data');
  check(!text.includes('"errors"'), 'result pane shows no errors');
  await shot('playground-example');
});

await step('playground examples pane and docs', async () => {
  await page.locator('[data-example="search"]').click();
  await page.locator('.graphiql-response').getByText('Partner State Key Laboratory of Chirosciences').first().waitFor();
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
  await page.locator('.graphiql-doc-explorer').getByText('Root Types').first().waitFor();
  await shot('playground-docs');
});

// --- Explorer ---------------------------------------------------------------
const graph = page.getByTestId('graph');
const drawnNodes = async () => Number((await graph.getAttribute('data-nodes')) ?? 0);

await step('explorer search and entity page', async () => {
  await page.goto(`${origin}/explore`);
  await page.getByTestId('home-search').fill('polytechnic');
  const option = page.getByRole('option', { name: /^The Hong Kong Polytechnic University/ });
  await option.waitFor();
  await shot('explorer-search');
  await option.click();
  await page.getByTestId('entity-name').getByText('The Hong Kong Polytechnic University').waitFor();
  check(new URL(page.url()).searchParams.get('entity') === 'polyu', `URL names the entity: ${page.url()}`);
  const facts = page.getByTestId('facts');
  await facts.getByRole('heading', { name: /hosts/i }).waitFor();
  await facts.getByText('Partner State Key Laboratory of Chirosciences').first().waitFor();
  check((await facts.locator('blockquote').count()) > 0, 'facts show evidence quotes');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) > 5);
  await shot('explorer-entity');
});

await step('explorer expands a node', async () => {
  const before = await drawnNodes();
  // Click the drawn node of the Chirosciences lab where Cytoscape rendered it.
  const pos = await page.evaluate(() => {
    const el = document.querySelector('[data-testid=graph]');
    const cy = el._cyreg.cy;
    const lab = cy.getElementById('pskl-chirosciences');
    const n = lab.nonempty() ? lab : cy.nodes().not('.centre')[0];
    const p = n.renderedPosition();
    const r = el.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y, id: n.id() };
  });
  await page.mouse.click(pos.x, pos.y);
  const card = page.getByTestId('node-card');
  await card.waitFor();
  await card.getByTestId('expand').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) > n, before);
  check(new URL(page.url()).searchParams.get('expand') === pos.id, `URL records the expansion: ${page.url()}`);
  await shot('explorer-expanded');
});

await step('explorer filters and shareable URL', async () => {
  await page.getByTestId('depth-2').click();
  await page.waitForURL(/depth=2/);
  const shared = page.url();
  await page.goto(shared);
  await page.getByTestId('entity-name').waitFor();
  check((await page.getByTestId('depth-2').getAttribute('aria-pressed')) === 'true', 'depth restored from the URL');
  await page.getByRole('button', { name: /×$/ }).first().waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) > 10);
  await shot('explorer-depth2-shared');
});

await step('explorer downloads', async () => {
  for (const [format, want] of [
    ['graphml', '<graphml'],
    ['cytoscape', '"elements"'],
    ['gexf', '<gexf'],
  ]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-format=${format}]`).click()]);
    const content = readFileSync(await dl.path(), 'utf8');
    check(content.includes(want), `${format} download contains ${want}`);
    check(content.includes('pskl-chirosciences'), `${format} download contains the view's nodes`);
  }
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-format=png]').click()]);
  const bytes = readFileSync(await png.path());
  check(bytes.subarray(1, 4).toString() === 'PNG', 'PNG download is a PNG');
});

await step('path finder', async () => {
  await page.getByRole('link', { name: 'Paths' }).click();
  await page.getByTestId('path-from').fill('harry shum');
  await page.getByRole('option', { name: /Harry Shum/ }).click();
  await page.getByTestId('path-to').fill('HKUST (GZ)');
  await page.getByRole('option', { name: /Guangzhou/ }).first().click();
  const paths = page.getByTestId('paths');
  await paths.getByRole('heading', { name: /Path 1/ }).waitFor();
  check(/from=harry-shum/.test(page.url()) && /to=hkust-gz/.test(page.url()), `URL holds the path: ${page.url()}`);
  await paths.getByText('International Digital Economy Academy').first().waitFor();
  check((await paths.locator('blockquote').count()) > 0, 'each hop shows evidence');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) >= 3);
  await paths.locator('li').first().hover();
  await shot('explorer-paths');
});

await step('funding view', async () => {
  await page.getByRole('link', { name: 'Funding' }).click();
  await page.getByTestId('funding-table').waitFor();
  check((await page.getByTestId('funding-table').locator('tbody tr').count()) >= 3, 'funding table has rows');
  const totals = await page.getByTestId('funding-totals').innerText();
  check(/HKD [\d,]+/.test(totals) && /CNY [\d,]+/.test(totals), `totals per currency: ${totals}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) >= 4);
  await shot('explorer-funding');
});

await step('funding downloads written in the browser read like the server\'s', async () => {
  // The funding flows have no server export: the page writes the files. They
  // carry what networkx needs as the server's do (node value, edge key, GEXF
  // 1.2), and cytoscape.js and graphology read the drawing from them.
  const drawn = await drawnNodes();
  const save = async (format) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-format=${format}]`).click()]);
    const path = join(artifacts, `funding.${format}`);
    await dl.saveAs(path);
    return readFileSync(path, 'utf8');
  };
  const doc = JSON.parse(await save('cytoscape'));
  check(doc.directed === true && doc.multigraph === true && doc.data, `top-level directed, multigraph, data: ${JSON.stringify([doc.directed, doc.multigraph, doc.data])}`);
  check(doc.elements.nodes.every((n) => n.data.value === n.data.id && n.data.name), 'every node has value (its id) and name');
  check(doc.elements.edges.every((e) => e.data.key === e.data.id), 'every edge has key (its id)');
  check(doc.elements.edges.every((e) => ['ASSERTED', 'REPORTED', 'PLANNED', 'OPINION'].includes(e.data.status)), 'every edge carries its claim status');
  const cy = cytoscape({ headless: true, elements: doc.elements });
  check(cy.nodes().length === drawn && cy.edges().length === doc.elements.edges.length, `cytoscape.js read ${cy.nodes().length} nodes, ${drawn} drawn`);
  cy.destroy();
  const text = await save('gexf');
  check(text.includes('xmlns="http://www.gexf.net/1.2draft" version="1.2"'), 'GEXF 1.2 namespace and version');
  const g = parseGEXF(Graph, text);
  check(g.order === drawn && g.size === doc.elements.edges.length, `graphology read ${g.order} nodes, ${g.size} edges; ${drawn} nodes drawn`);
  check((await save('graphml')).includes('<graphml'), 'GraphML download');
});

await step('claims: status, attribution, hiding plans and opinions', async () => {
  // The planned CAS institution: plans (PLANNED) and a commentator's view
  // (OPINION, attributed to Karen Hsu) beside one stated fact.
  await page.goto(`${origin}/explore?entity=cas-hk-institution`);
  const facts = page.getByTestId('facts');
  await facts.locator('.fact').first().waitFor();
  const count = (status) => facts.locator(`.fact[data-status=${status}]`).count();
  check((await count('OPINION')) >= 2 && (await count('PLANNED')) >= 3 && (await count('ASSERTED')) >= 1, 'facts carry their status');
  const liaison = facts.locator('.fact[data-rel="cas-hk-institution~collaborates_with~most"]');
  check((await liaison.locator('.claim-status').first().innerText()).toLowerCase() === 'opinion', 'an opinion is marked beside its quote');
  check((await liaison.getByTestId('attribution').innerText()).includes('Karen Hsu'), 'the quote names who holds the opinion');
  const established = facts.locator('.fact[data-rel="cas~established~cas-hk-institution"]');
  check((await established.locator('.evidence .claim-status').innerText()).toLowerCase() === 'planned', 'a plan is marked as planned');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) > 5);
  const nodesBefore = Number(await page.getByTestId('graph').getAttribute('data-nodes'));

  await page.getByTestId('hide-opinion').check();
  await page.waitForFunction(() => !document.querySelector('[data-testid=facts] .fact[data-status=OPINION]'));
  check(new URL(page.url()).searchParams.get('hide') === 'OPINION', `URL records the hidden opinions: ${page.url()}`);
  check((await count('PLANNED')) >= 3, 'plans stay when only opinions are hidden');
  await page.getByTestId('hide-planned').check();
  await page.waitForFunction(() => !document.querySelector('[data-testid=facts] .fact[data-status=PLANNED]'));
  check((await count('ASSERTED')) >= 1, 'stated facts stay');
  check(/\d+ hidden/.test(await page.getByTestId('hidden-count').innerText()), 'the page says how many facts it hides');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) < n, nodesBefore);
  check(new URL(page.url()).searchParams.get('hide') === 'PLANNED,OPINION', `URL records both: ${page.url()}`);
  await shot('explorer-claims-hidden');

  // The setting survives a reload, and unchecking brings the claims back.
  await page.reload();
  await facts.locator('.fact').first().waitFor();
  check((await page.getByTestId('hide-planned').isChecked()) && (await page.getByTestId('hide-opinion').isChecked()), 'switches restored from the URL');
  await page.getByTestId('hide-opinion').uncheck();
  await facts.locator('.fact[data-status=OPINION]').first().waitFor();
  await page.getByTestId('hide-planned').uncheck();
  await facts.locator('.fact[data-status=PLANNED]').first().waitFor();
  check(!new URL(page.url()).searchParams.has('hide'), `nothing hidden, nothing in the URL: ${page.url()}`);

  // Paths: with opinions hidden, the commentator's liaison is no path.
  await page.goto(`${origin}/explore?view=path&from=cas-hk-institution&to=innovation-and-technology-bureau&hops=1`);
  await page.getByTestId('paths').getByRole('heading', { name: /Path 1/ }).waitFor();
  await page.getByTestId('hide-opinion').check();
  await page.getByTestId('no-paths').waitFor();
});

// --- Odd addresses, odd input, failures: the page says what happened. --------
await step('explorer repairs odd addresses', async () => {
  // Lower-case enum names, a kind that does not exist, an expanded entity that
  // does not exist, a depth out of range: the graph still draws, the address
  // is corrected, and what was left out is named.
  await page.goto(`${origin}/explore?entity=polyu&depth=99&kinds=lab,NOTAKIND&types=hosts&expand=no-such-entity`);
  await page.getByTestId('ignored').getByText(/NOTAKIND.*no-such-entity/).waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=graph]')?.getAttribute('data-nodes')) > 1);
  const p = new URL(page.url()).searchParams;
  check(p.get('depth') === '2' && p.get('kinds') === 'LAB' && p.get('types') === 'HOSTS' && !p.has('expand'), `address corrected: ${page.url()}`);
  check((await page.locator('.graph-panel .error').count()) === 0, 'no error under the graph');
  await page.goto(`${origin}/explore?entity=no-such-entity`);
  await page.getByRole('heading', { name: 'No entity “no-such-entity”' }).waitFor();
  // k=4 is not in the list of choices: the choice still says 4.
  await page.goto(`${origin}/explore?view=path&from=harry-shum&to=hkust-gz&k=4`);
  await page.getByTestId('paths').getByRole('heading', { name: /Path 4/ }).waitFor();
  check((await page.locator('select').nth(1).inputValue()) === '4', 'the Paths choice shows 4');
  await page.goto(`${origin}/explore?view=path&from=no-such-entity&to=hkust-gz`);
  await page.getByTestId('missing-from').waitFor();
  await page.goto(`${origin}/explore?view=path&from=polyu&to=polyu`);
  await page.getByTestId('same-ends').waitFor();
});

await step('explorer search edge cases', async () => {
  await page.goto(`${origin}/explore`);
  const box = page.getByTestId('home-search');
  // Enter typed before the suggestions of the new text arrive picks from the
  // new text, not the hit of the old one still on screen.
  await box.fill('polyu');
  await page.getByRole('option').first().waitFor();
  await box.fill('hung hom campus');
  await box.press('Enter');
  await page.getByTestId('entity-name').getByText('Hung Hom campus').waitFor();
  // An error replaces the suggestions (none of an earlier text stays on offer)
  // and goes away with the text it was about.
  const top = page.getByTestId('top-search');
  await top.fill('polyu');
  await page.getByRole('option').first().waitFor();
  await top.fill('polyu '.repeat(60));
  await page.locator('.suggestions.error').getByText(/at most 200/).waitFor();
  check((await page.getByRole('option').count()) === 0, 'no suggestions under the error');
  await top.fill('p');
  await page.locator('.suggestions.error').waitFor({ state: 'detached' });
});

await step('explorer says when the server is unreachable', async () => {
  await page.goto(`${origin}/explore?entity=polyu`);
  await page.getByTestId('entity-name').waitFor();
  await page.route('**/graphql', (route) => route.abort('connectionrefused'));
  await page.getByTestId('depth-2').click();
  await page.locator('.graph-panel .error').getByText(/Cannot reach the innograph server/).waitFor();
  await page.unroute('**/graphql');
});

await step('source links are web addresses only', async () => {
  // A source whose url is not http(s) is cited as text, not as a link.
  await page.route('**/graphql', async (route) => {
    if (!/query Entity\(/.test(route.request().postData() ?? '')) return route.continue();
    const res = await route.fetch();
    const body = await res.json();
    for (const s of body.data?.entity?.sources ?? []) s.url = 'javascript:alert(1)';
    return route.fulfill({ response: res, json: body });
  });
  await page.goto(`${origin}/explore?entity=polyu`);
  await page.getByRole('heading', { name: 'Mentioned in' }).waitFor();
  const hrefs = await page.locator('.sources a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.length === 0, `no links from non-web source addresses: ${hrefs}`);
  await page.unroute('**/graphql');
});

await step('review: ingest, accept, the fact on the entity page', async () => {
  // The ingestion workbench: paste an article, see its mentions, accept a
  // suggested relationship by keyboard (its new ends come with it), and find
  // the fact with its quote on the entity page. web/e2e_test.go gives a
  // curator's token (E2E_TOKEN) and removes what an earlier run accepted.
  const token = process.env.E2E_TOKEN;
  check(token, 'E2E_TOKEN is set');
  const text = readFileSync(join(here, 'review_article.txt'), 'utf8');
  await page.goto(`${origin}/explore/review`);
  await page.getByTestId('token').fill(token);
  await page.getByTestId('ingest-title').fill('Quillon centre opens');
  await page.getByTestId('ingest-published').fill('2024-09-09');
  await page.getByTestId('ingest-text').fill(text);
  await page.getByTestId('ingest-submit').click();
  await page.waitForURL(/\/explore\/review\?source=doc-[0-9a-f]+$/);
  const doc = page.getByTestId('review-doc');
  await doc.locator('a.mention[data-entity="polyu"]').waitFor();
  check((await doc.innerText()).trim() === text.trim(), 'the document is shown as ingested');
  const rel = page.getByTestId('suggestion').filter({ hasText: 'DIRECTS' }).filter({ hasText: 'Orla Veskin' });
  await rel.first().waitFor();
  const open = Number(await page.getByTestId('open-count').innerText());
  await rel.first().click();
  // The evidence is highlighted in the text: the span and its sentence.
  await doc.locator('.hl-selected').first().waitFor();
  const span = (await doc.locator('.hl-selected').allInnerTexts()).join('');
  check(span.includes('Orla Veskin') && span.includes('Quillon Photonics Centre'), `highlighted span: ${span}`);
  check((await doc.locator('.hl-quote').count()) > 0, 'the quote is highlighted');
  await shot('review-selected');
  await page.keyboard.press('a');
  // The relationship and its two new ends are decided: three fewer open.
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="open-count"]')?.textContent) === n, open - 3, { timeout: STEP_TIMEOUT });
  await shot('review-accepted');
  // A mention leads to its entity page.
  await doc.locator('a.mention[data-entity="polyu"]').first().click();
  await page.waitForURL(/\/explore\?entity=polyu$/);
  // The accepted fact is on the new entity's page with its quote.
  await page.goto(`${origin}/explore?entity=quillon-photonics-centre`);
  const facts = page.getByTestId('facts');
  await facts.getByText('Orla Veskin').first().waitFor();
  await facts.getByText(/director of the Quillon Photonics Centre/).first().waitFor();
  await shot('review-fact-on-entity-page');
});

await context.close();
rmSync(profile, { recursive: true, force: true });

if (external.length) {
  failures++;
  log(`FAIL requests left ${origin}:\n  ${[...new Set(external)].join('\n  ')}`);
}
if (pageErrors.length) {
  failures++;
  log(`FAIL uncaught errors in the page:\n  ${pageErrors.join('\n  ')}`);
}
if (cspErrors.length) {
  failures++;
  log(`FAIL Content-Security-Policy violations:\n  ${cspErrors.join('\n  ')}`);
}
log(failures ? `${failures} failure(s); screenshots in ${artifacts}` : `all passed; screenshots in ${artifacts}`);
process.exit(failures ? 1 : 0);
