// The explorer's GraphQL client: one small fetch wrapper and the queries the
// pages use, with the TypeScript shapes of their results.

export type Kind = string;
export type RelType = string;

export interface EntityRef {
  id: string;
  name: string;
  kind: Kind;
}

export interface SourceRef {
  id: string;
  title: string;
  publisher?: string | null;
  published?: string | null;
  url?: string | null;
}

/** How a source puts a claim, strongest first. */
export type ClaimStatus = 'ASSERTED' | 'REPORTED' | 'PLANNED' | 'OPINION';
export const CLAIM_STATUSES: ClaimStatus[] = ['ASSERTED', 'REPORTED', 'PLANNED', 'OPINION'];

export interface Evidence {
  quote: string;
  source: SourceRef;
  status: ClaimStatus;
  /** Who makes the claim when it is not the source itself. */
  attributedTo?: EntityRef | null;
}

export interface Money {
  value: string;
  currency: string;
  note?: string | null;
}

export interface Relationship {
  id: string;
  type: RelType;
  role?: string | null;
  since?: string | null;
  until?: string | null;
  on?: string | null;
  from: EntityRef;
  to: EntityRef;
  status: ClaimStatus;
  evidence: Evidence[];
  funding?: { id: string; amount?: Money | null } | null;
}

export interface EntityDetail extends EntityRef {
  aliases: string[];
  description?: string | null;
  sources: SourceRef[];
}

export interface SubgraphResult {
  nodes: EntityRef[];
  relationships: { id: string; type: RelType; role?: string | null; status: ClaimStatus; from: { id: string }; to: { id: string } }[];
  truncated: boolean;
}

export interface PathResult {
  length: number;
  nodes: EntityRef[];
  relationships: Relationship[];
}

export interface Funding {
  id: string;
  funder: EntityRef;
  recipients: EntityRef[];
  administeredBy?: EntityRef | null;
  programme?: EntityRef | null;
  amount?: Money | null;
  period?: { since?: string | null; until?: string | null; on?: string | null } | null;
  purpose?: string | null;
  status: ClaimStatus;
  evidence: Evidence[];
}

export interface SearchHit {
  score: number;
  matchedName?: string | null;
  entity: EntityRef & { description?: string | null };
}

export interface Vocabulary {
  kinds: { kind: Kind; description: string; count: number }[];
  relationshipTypes: { type: RelType; description: string; count: number }[];
}

/** An error the server reported, with its extensions.code when present. */
export class GraphQLError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    /** The argument the error is about (extensions.argument), e.g. "ids". */
    readonly argument?: string,
    /** Where in the answer (path[0] is the field or alias). */
    readonly path?: (string | number)[],
  ) {
    super(message);
  }
}

/** The id a NOT_FOUND error names ("ids: no entity with id \"x\""), if any. */
export function missingId(e: unknown): string | null {
  if (!(e instanceof GraphQLError) || e.code !== 'NOT_FOUND') return null;
  return /no entity with id "((?:[^"\\]|\\.)*)"/.exec(e.message)?.[1] ?? null;
}

/** What fetch throws when the server cannot be reached, said so. */
export const UNREACHABLE = 'Cannot reach the innograph server (network error). Check that it is running, then try again.';

/** fetch, turning a network failure (server down, connection refused) into a readable error. */
export async function fetchOrExplain(input: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (e) {
    if (init?.signal?.aborted) throw e;
    throw new GraphQLError(UNREACHABLE, 'NETWORK');
  }
}

type Answer<T> = { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; argument?: string } }[] };

const toError = (e: NonNullable<Answer<unknown>['errors']>[number]) => new GraphQLError(e.message, e.extensions?.code, e.extensions?.argument, e.path);

/** Posts a query and returns the HTTP answer with its decoded body. */
async function post<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<{ res: Response; body: Answer<T> }> {
  const res = await fetchOrExplain('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  try {
    return { res, body: await res.json() };
  } catch {
    throw new GraphQLError(`The server answered ${res.status} ${res.statusText}`);
  }
}

/** Runs a query and returns its data and errors as they are (for queries whose fields may fail one by one). */
export async function gqlPartial<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<{ data: T | null; errors: GraphQLError[] }> {
  const { body } = await post<T>(query, variables, signal);
  return { data: body?.data ?? null, errors: (body?.errors ?? []).map(toError) };
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const { res, body } = await post<T>(query, variables, signal);
  if (body?.errors?.length) throw toError(body.errors[0]);
  if (!body?.data) throw new GraphQLError(`The server answered ${res.status} with no data`);
  return body.data;
}

const EVIDENCE = 'evidence { quote status attributedTo { id name kind } source { id title publisher published url } }';
const REL = `id type role since until on status from { id name kind } to { id name kind } ${EVIDENCE}`;

export const SEARCH = `query Search($q: String!, $first: Int) {
  search(query: $q, first: $first) { score matchedName entity { id name kind description } }
}`;

export const VOCABULARY = `query Vocabulary {
  schemaInfo { kinds { kind description count } relationshipTypes { type description count } }
}`;

export const ENTITY = `query Entity($id: ID!) {
  entity(id: $id) { id name kind aliases description sources { id title publisher published url } }
}`;

export const ENTITY_RELATIONSHIPS = `query EntityRelationships($id: ID!, $after: String) {
  entity(id: $id) {
    id
    relationships(first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${REL} funding { id amount { value currency note } } }
    }
  }
}`;

export const ENTITIES_OF_KIND = `query EntitiesOfKind($kinds: [EntityKind!]) {
  entities(kinds: $kinds, first: 100) { nodes { id name kind } }
}`;

export const SUBGRAPH = `query Subgraph($ids: [ID!]!, $depth: Int, $kinds: [EntityKind!], $types: [RelationshipType!], $statuses: [ClaimStatus!]) {
  subgraph(ids: $ids, depth: $depth, kinds: $kinds, relationshipTypes: $types, statuses: $statuses, limit: 150) {
    truncated
    nodes { id name kind }
    relationships { id type role status from { id } to { id } }
  }
}`;

/** The two ends of a path, each looked up on its own (merged ids redirect; a missing one fails alone). */
export const ENDS = `query Ends($from: ID!, $to: ID!, $hasFrom: Boolean!, $hasTo: Boolean!) {
  from: entity(id: $from) @include(if: $hasFrom) { id name kind }
  to: entity(id: $to) @include(if: $hasTo) { id name kind }
}`;

export const PATHS = `query Paths($from: ID!, $to: ID!, $maxHops: Int, $first: Int, $statuses: [ClaimStatus!]) {
  paths(from: $from, to: $to, maxHops: $maxHops, first: $first, statuses: $statuses) {
    length
    nodes { id name kind }
    relationships { ${REL} }
  }
}`;

export const FUNDINGS = `query Fundings {
  fundings(first: 100) {
    totalCount
    totals { value currency note }
    nodes {
      id
      funder { id name kind }
      recipients { id name kind }
      administeredBy { id name kind }
      programme { id name kind }
      amount { value currency note }
      period { since until on }
      purpose
      status
      ${EVIDENCE}
    }
  }
}`;

/** The statuses to ask for when some are hidden; null (every status) when none is. */
export function shownStatuses(hide: ClaimStatus[]): ClaimStatus[] | null {
  return hide.length ? CLAIM_STATUSES.filter((s) => !hide.includes(s)) : null;
}

/** Every relationship of an entity, following pages (bounded). */
export async function allRelationships(id: string, signal?: AbortSignal): Promise<Relationship[]> {
  type Page = {
    entity: { relationships: { nodes: Relationship[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null;
  };
  const out: Relationship[] = [];
  let after: string | null = null;
  for (let i = 0; i < 10; i++) {
    const data: Page = await gql<Page>(ENTITY_RELATIONSHIPS, { id, after }, signal);
    if (!data.entity) break;
    out.push(...data.entity.relationships.nodes);
    if (!data.entity.relationships.pageInfo.hasNextPage) break;
    after = data.entity.relationships.pageInfo.endCursor;
  }
  return out;
}
