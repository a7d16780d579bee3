import type { Evidence as Ev, SourceRef } from './api';

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

/** The verbatim quotes supporting a fact, each with its source. */
export default function EvidenceList({ evidence }: { evidence: Ev[] }) {
  if (!evidence.length) return null;
  return (
    <ul className="evidence">
      {evidence.map((e, i) => (
        <li key={i}>
          <blockquote>“{e.quote}”</blockquote>
          <SourceCite source={e.source} />
        </li>
      ))}
    </ul>
  );
}
