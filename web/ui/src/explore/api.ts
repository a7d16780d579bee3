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

export interface Evidence {
  quote: string;
  source: SourceRef;
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
  relationships: { id: string; type: RelType; role?: string | null; from: { id: string }; to: { id: string } }[];
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
  ) {
    super(message);
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new GraphQLError(`The server answered ${res.status} ${res.statusText}`);
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new GraphQLError(e.message, e.extensions?.code);
  }
  if (!body.data) throw new GraphQLError(`The server answered ${res.status} with no data`);
  return body.data;
}

const EVIDENCE = 'evidence { quote source { id title publisher published url } }';
const REL = `id type role since until on from { id name kind } to { id name kind } ${EVIDENCE}`;

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

export const ENTITIES_BY_ID = `query EntitiesById($ids: [ID!]!) {
  entities(filter: { ids: $ids }, first: 100) { nodes { id name kind } }
}`;

export const ENTITIES_OF_KIND = `query EntitiesOfKind($kinds: [EntityKind!]) {
  entities(kinds: $kinds, first: 100) { nodes { id name kind } }
}`;

export const SUBGRAPH = `query Subgraph($ids: [ID!]!, $depth: Int, $kinds: [EntityKind!], $types: [RelationshipType!]) {
  subgraph(ids: $ids, depth: $depth, kinds: $kinds, relationshipTypes: $types, limit: 150) {
    truncated
    nodes { id name kind }
    relationships { id type role from { id } to { id } }
  }
}`;

export const PATHS = `query Paths($from: ID!, $to: ID!, $maxHops: Int, $first: Int) {
  paths(from: $from, to: $to, maxHops: $maxHops, first: $first) {
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
      ${EVIDENCE}
    }
  }
}`;

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
