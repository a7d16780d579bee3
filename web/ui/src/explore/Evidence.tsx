import type { ClaimStatus, Evidence as Ev, SourceRef } from './api';
import { EntityLink } from './nav';
import { HIDEABLE } from './url';

export function SourceCite({ source }: { source: SourceRef }) {
  const meta = [source.publisher, source.published].filter(Boolean).join(', ');
  // Only web addresses become links: anything else (javascript:, data:, a typo)
  // would be a dead link at best.
  const href = source.url && /^https?:\/\//i.test(source.url.trim()) ? source.url.trim() : null;
  return (
    <cite className="source" title={`source id: ${source.id}`}>
      {href ? (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {source.title}
        </a>
      ) : (
        source.title
      )}
      {meta && <span className="muted"> ({meta})</span>}
    </cite>
  );
}

const statusLabel: Record<ClaimStatus, { label: string; title: string }> = {
  ASSERTED: { label: 'stated', title: 'The source states it as fact.' },
  REPORTED: { label: 'reported', title: 'The source attributes it to someone else.' },
  PLANNED: { label: 'planned', title: 'A plan or intention: it had not happened when the source was written.' },
  OPINION: { label: 'opinion', title: 'A view, assessment, forecast or speculation.' },
};

/** How the source puts a claim, as a small badge. */
export function ClaimBadge({ status }: { status: ClaimStatus }) {
  const s = statusLabel[status] ?? { label: status.toLowerCase(), title: '' };
  return (
    <span className={`claim-status claim-${status.toLowerCase()}`} data-status={status} title={s.title}>
      {s.label}
    </span>
  );
}

/** The verbatim quotes supporting a fact, each with how the source puts it, who says it and the source. */
export default function EvidenceList({ evidence }: { evidence: Ev[] }) {
  if (!evidence.length) return null;
  return (
    <ul className="evidence">
      {evidence.map((e, i) => (
        <li key={i} data-status={e.status}>
          <blockquote>“{e.quote}”</blockquote>
          <div className="claim">
            <ClaimBadge status={e.status} />
            {e.attributedTo && (
              <span className="attribution" data-testid="attribution">
                according to <EntityLink id={e.attributedTo.id}>{e.attributedTo.name}</EntityLink>
              </span>
            )}
            <SourceCite source={e.source} />
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Switches that hide plans and opinions; hide lists the statuses hidden. */
export function ClaimFilter({ hide, onChange, hiddenCount }: { hide: ClaimStatus[]; onChange: (hide: ClaimStatus[]) => void; hiddenCount?: number }) {
  const toggle = (s: ClaimStatus) => onChange(hide.includes(s) ? hide.filter((x) => x !== s) : HIDEABLE.filter((x) => x === s || hide.includes(x)));
  return (
    <div className="claim-filter" role="group" aria-label="Claims shown">
      {HIDEABLE.map((s) => (
        <label key={s} title={statusLabel[s].title}>
          <input type="checkbox" checked={hide.includes(s)} onChange={() => toggle(s)} data-testid={`hide-${s.toLowerCase()}`} />
          Hide {s === 'PLANNED' ? 'plans' : 'opinions'}
        </label>
      ))}
      {hiddenCount !== undefined && hiddenCount > 0 && (
        <span className="muted" data-testid="hidden-count">
          {hiddenCount} hidden
        </span>
      )}
    </div>
  );
}
