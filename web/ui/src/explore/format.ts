import type { Money } from './api';

/** 130000000000 → 130,000,000,000 (exact: works on the decimal string). */
export function groupDigits(value: string): string {
  const [int, frac] = value.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** HKD 30M: for labels where space is short. */
export function compactMoney(m: Money): string {
  return `${m.currency} ${compact.format(Number(m.value))}`;
}

/** HKD 30,000,000: exact, as stated. */
export function exactMoney(m: Money): string {
  return `${m.currency} ${groupDigits(m.value)}`;
}

export function period(p?: { since?: string | null; until?: string | null; on?: string | null } | null): string {
  if (!p) return '';
  if (p.on) return p.on;
  if (p.since && p.until) return `${p.since} – ${p.until}`;
  if (p.since) return `since ${p.since}`;
  if (p.until) return `until ${p.until}`;
  return '';
}
