// The explorer's state lives in the address bar so any view can be shared:
//
//   /explore                                   home
//   /explore?entity=polyu&depth=2&kinds=LAB,PERSON&types=HOSTS&expand=most&hide=PLANNED,OPINION
//   /explore?view=path&from=harry-shum&to=hkust&hops=4&k=3&hide=OPINION
//   /explore?view=funding
//   /explore/review?source=doc-0123456789abcdef   the ingestion workbench

import type { ClaimStatus } from './api';

/** The claim statuses a reader may hide: plans and opinions. */
export const HIDEABLE: ClaimStatus[] = ['PLANNED', 'OPINION'];

export interface EntityView {
  view: 'entity';
  id: string;
  depth: number;
  kinds: string[];
  types: string[];
  expand: string[];
  /** Claim statuses left out of the facts and the drawing. */
  hide: ClaimStatus[];
}

export interface PathView {
  view: 'path';
  from: string;
  to: string;
  hops: number;
  k: number;
  /** Claim statuses no hop may have. */
  hide: ClaimStatus[];
}

/** The ingestion workbench: the ingest form, or the review of one source. */
export interface ReviewView {
  view: 'review';
  source: string;
}

export type View = { view: 'home' } | EntityView | PathView | { view: 'funding' } | ReviewView;

const list = (v: string | null) => [...new Set(v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [])];
// Kinds and relationship types are enum names, always upper case (types=hosts means HOSTS).
const enums = (v: string | null) => [...new Set(list(v).map((s) => s.toUpperCase()))];

const hidden = (v: string | null): ClaimStatus[] => HIDEABLE.filter((s) => enums(v).includes(s));

function clampInt(v: string | null, def: number, min: number, max: number): number {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : def;
}

export function parseView(search: string, pathname = '/explore'): View {
  const p = new URLSearchParams(search);
  if (pathname.replace(/\/+$/, '') === '/explore/review') return { view: 'review', source: p.get('source') ?? '' };
  const entity = p.get('entity');
  if (entity) {
    return {
      view: 'entity',
      id: entity,
      depth: clampInt(p.get('depth'), 1, 1, 2),
      kinds: enums(p.get('kinds')),
      types: enums(p.get('types')),
      expand: list(p.get('expand')).slice(0, 19),
      hide: hidden(p.get('hide')),
    };
  }
  switch (p.get('view')) {
    case 'path':
      return {
        view: 'path',
        from: p.get('from') ?? '',
        to: p.get('to') ?? '',
        hops: clampInt(p.get('hops'), 4, 1, 6),
        k: clampInt(p.get('k'), 3, 1, 10),
        hide: hidden(p.get('hide')),
      };
    case 'funding':
      return { view: 'funding' };
  }
  return { view: 'home' };
}

export function viewURL(v: View): string {
  const p = new URLSearchParams();
  switch (v.view) {
    case 'entity':
      p.set('entity', v.id);
      if (v.depth !== 1) p.set('depth', String(v.depth));
      if (v.kinds.length) p.set('kinds', v.kinds.join(','));
      if (v.types.length) p.set('types', v.types.join(','));
      if (v.expand.length) p.set('expand', v.expand.join(','));
      if (v.hide.length) p.set('hide', v.hide.join(','));
      break;
    case 'path':
      p.set('view', 'path');
      if (v.from) p.set('from', v.from);
      if (v.to) p.set('to', v.to);
      if (v.hops !== 4) p.set('hops', String(v.hops));
      if (v.k !== 3) p.set('k', String(v.k));
      if (v.hide.length) p.set('hide', v.hide.join(','));
      break;
    case 'funding':
      p.set('view', 'funding');
      break;
    case 'review':
      return '/explore/review' + (v.source ? '?source=' + encodeURIComponent(v.source) : '');
  }
  const qs = p.toString().replace(/%2C/g, ',');
  return '/explore' + (qs ? '?' + qs : '');
}

export const entityView = (id: string): EntityView => ({ view: 'entity', id, depth: 1, kinds: [], types: [], expand: [], hide: [] });
