// The ingestion workbench's client: the review page's queries and mutations,
// sent with the curator's bearer token (kept for the browser session only).
import { GraphQLError, UNREACHABLE, type EntityRef } from './api';

const TOKEN_KEY = 'innograph-token';

export const savedToken = (): string => sessionStorage.getItem(TOKEN_KEY) ?? '';
export const saveToken = (t: string) => (t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY));

/** Posts a query with the token (when given) and returns its data or throws the first error. */
export async function gqlAs<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new GraphQLError(UNREACHABLE, 'NETWORK');
  }
  let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string; argument?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new GraphQLError(`The server answered ${res.status} ${res.statusText}`);
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new GraphQLError(e.message, e.extensions?.code, e.extensions?.argument);
  }
  if (!body.data) throw new GraphQLError(`The server answered ${res.status} with no data`);
  return body.data;
}

export interface SuggestionEnd {
  text: string;
  start: number;
  end: number;
  candidates: EntityRef[];
  suggestion?: { id: string; status: string; entity?: { name: string } | null } | null;
}

export interface Suggestion {
  id: string;
  kind: 'ENTITY' | 'ALIAS' | 'RELATIONSHIP' | 'FUNDING';
  status: 'OPEN' | 'ACCEPTED' | 'REJECTED';
  confidence: number;
  quote: string;
  start: number;
  end: number;
  text: string;
  claimStatus: string;
  entity?: { name: string; kind: string; aliases: string[] } | null;
  alias?: { alias: string; entity?: EntityRef | null } | null;
  relationship?: { type: string; role?: string | null; on?: string | null; from: SuggestionEnd; to: SuggestionEnd } | null;
  funding?: { amount: { value: string; currency: string; note?: string | null }; on?: string | null; funder?: SuggestionEnd | null; recipients: SuggestionEnd[] } | null;
  acceptedEntity?: EntityRef | null;
  acceptedRelationship?: { id: string; from: EntityRef; to: EntityRef } | null;
  acceptedFunding?: { id: string; funder: EntityRef } | null;
}

export interface Mention {
  start: number;
  end: number;
  text: string;
  entities: EntityRef[];
}

export interface ReviewSource {
  id: string;
  title: string;
  publisher?: string | null;
  published?: string | null;
  url?: string | null;
  text?: string | null;
}

const END = 'text start end candidates { id name kind } suggestion { id status entity { name } }';
export const SUGGESTION = `id kind status confidence quote start end text claimStatus
  entity { name kind aliases } alias { alias entity { id name kind } }
  relationship { type role on from { ${END} } to { ${END} } }
  funding { amount { value currency note } on funder { ${END} } recipients { ${END} } }
  acceptedEntity { id name kind } acceptedRelationship { id from { id name kind } to { id name kind } } acceptedFunding { id funder { id name kind } }`;

export const INGEST = `mutation Ingest($in: IngestDocumentInput!) { ingestDocument(input: $in) { id } }`;

export const SOURCE_DOC = `query ReviewSource($id: ID!) { source(id: $id) { id title publisher published url text } }`;

export const MENTIONS = `query Mentions($id: ID!, $after: String) { source(id: $id) {
  mentions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { start end text entities { id name kind } } } } }`;

export const SUGGESTIONS = `query Suggestions($id: ID!, $after: String) { source(id: $id) {
  suggestions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${SUGGESTION} } } } }`;

export const ACCEPT = `mutation Accept($id: ID!, $edit: SuggestionEdit) { acceptSuggestion(id: $id, edit: $edit) { ${SUGGESTION} } }`;
export const REJECT = `mutation Reject($id: ID!, $reason: String) { rejectSuggestion(id: $id, reason: $reason) { ${SUGGESTION} } }`;

type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes: T[] };

/** Every page of a source's mentions or suggestions (at most 20 pages of 100). */
export async function allPages<T>(token: string, query: string, id: string, field: 'mentions' | 'suggestions'): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (let i = 0; i < 20; i++) {
    const d: { source: Record<string, Page<T>> | null } = await gqlAs(token, query, { id, after });
    const page = d.source?.[field];
    if (!page) break;
    out.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor ?? null;
  }
  return out;
}

/** One stretch of the text with the mention and the highlights over it. */
export interface Segment {
  start: number;
  end: number;
  text: string;
  mention?: Mention;
  /** Inside the selected suggestion's span; inside its quote. */
  selected: boolean;
  quoted: boolean;
}

/**
 * Cuts the text (as code points: the API's offsets count code points) at
 * every mention and at the selected suggestion's span and quote.
 */
export function segments(text: string, mentions: Mention[], sel: { start: number; end: number } | null, quote: { start: number; end: number } | null): Segment[] {
  const cps = Array.from(text);
  const cuts = new Set<number>([0, cps.length]);
  for (const m of mentions) cuts.add(m.start).add(m.end);
  for (const r of [sel, quote]) if (r) cuts.add(r.start).add(r.end);
  const points = [...cuts].filter((n) => n >= 0 && n <= cps.length).sort((a, b) => a - b);
  const out: Segment[] = [];
  let mi = 0;
  const ms = [...mentions].sort((a, b) => a.start - b.start);
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    while (mi < ms.length && ms[mi].end <= s) mi++;
    const m = mi < ms.length && ms[mi].start <= s && e <= ms[mi].end ? ms[mi] : undefined;
    out.push({
      start: s,
      end: e,
      text: cps.slice(s, e).join(''),
      mention: m,
      selected: !!sel && sel.start <= s && e <= sel.end,
      quoted: !!quote && quote.start <= s && e <= quote.end,
    });
  }
  return out;
}

/** Where the quote (a sentence, white space collapsed) sits in the text, in code points, near the span. */
export function quoteSpan(text: string, quote: string, near: number): { start: number; end: number } | null {
  // Only a window around the span is searched: the quote is its sentence.
  const all = Array.from(text);
  const lo = Math.max(0, near - 4000);
  const cps = all.slice(lo, Math.min(all.length, near + 4000));
  near -= lo;
  // Compare with white space collapsed: map each kept code point back to its offset.
  const keep: number[] = [];
  let flat = '';
  let space = false;
  cps.forEach((c, i) => {
    if (/\s/.test(c)) {
      space = flat.length > 0;
      return;
    }
    if (space) {
      flat += ' ';
      keep.push(i);
      space = false;
    }
    flat += c;
    keep.push(i);
  });
  const q = quote.replace(/\s+/g, ' ').trim();
  if (!q) return null;
  // flat is a string of code points and single spaces; index in UTF-16 then map.
  const flatCps = Array.from(flat);
  const qCps = Array.from(q);
  let best: number | null = null;
  for (let i = 0; i + qCps.length <= flatCps.length; i++) {
    let ok = true;
    for (let j = 0; j < qCps.length; j++) {
      if (flatCps[i + j] !== qCps[j]) {
        ok = false;
        break;
      }
    }
    if (ok && (best === null || Math.abs(keep[i] - near) < Math.abs(keep[best] - near))) best = i;
  }
  if (best === null) return null;
  return { start: lo + keep[best], end: lo + keep[best + qCps.length - 1] + 1 };
}
