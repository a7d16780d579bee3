import { KIND_STYLES, SHAPE_POINTS, kindStyle } from './kinds';

/** A small SVG of a kind's node shape in its colour. */
export function KindIcon({ kind, size = 14 }: { kind: string; size?: number }) {
  const s = kindStyle(kind);
  const points = SHAPE_POINTS[s.shape];
  return (
    <svg width={size} height={size} viewBox="-1 -1 18 18" aria-hidden="true" className="kind-icon">
      {s.shape === 'ellipse' ? (
        <circle cx="8" cy="8" r="7.5" fill={s.color} />
      ) : s.shape === 'round-rectangle' || s.shape === 'barrel' ? (
        <rect x="0.5" y="2" width="15" height="12" rx="4" fill={s.color} />
      ) : (
        <polygon points={points ?? '0,0 16,0 16,16 0,16'} fill={s.color} />
      )}
    </svg>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  return (
    <span className="kind-badge">
      <KindIcon kind={kind} size={12} />
      {kindStyle(kind).label}
    </span>
  );
}

/** The legend of the kinds present in a drawing (all kinds when none are given). */
export default function Legend({ kinds }: { kinds?: Iterable<string> }) {
  const present = kinds ? new Set(kinds) : null;
  const shown = Object.keys(KIND_STYLES).filter((k) => !present || present.has(k));
  return (
    <ul className="legend" aria-label="Legend: node colour and shape by kind">
      {shown.map((k) => (
        <li key={k}>
          <KindIcon kind={k} />
          {KIND_STYLES[k].label}
        </li>
      ))}
    </ul>
  );
}
