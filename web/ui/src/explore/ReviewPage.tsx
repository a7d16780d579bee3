// The ingestion workbench at /explore/review: paste or upload an article,
// see it with the mentions of known entities highlighted (click one for its
// entity page), and review the analyser's suggestions beside it — accept,
// edit or reject each by mouse or keyboard (j/k or ↓/↑ to move, a accept,
// e edit, r reject).
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react';
import { useNavigate, useVocabulary, EntityLink } from './nav';
import { entityView, type ReviewView } from './url';
import { KINDS } from './kinds';
import { exactMoney } from './format';
import {
  ACCEPT, INGEST, MENTIONS, REJECT, SOURCE_DOC, SUGGESTIONS, allPages, gqlAs, quoteSpan, savedToken, saveToken, segments,
  type Mention, type ReviewSource, type Suggestion, type SuggestionEnd,
} from './review';

function endLabel(e?: SuggestionEnd | null): string {
  if (!e) return '?';
  if (e.suggestion) return `${e.text} (new${e.suggestion.status !== 'OPEN' ? ', ' + e.suggestion.status.toLowerCase() : ''})`;
  if (e.candidates.length === 1) return e.candidates[0].name;
  if (e.candidates.length > 1) return `${e.text} (ambiguous: ${e.candidates.map((c) => c.id).join(', ')})`;
  return e.text;
}

/** One line saying what a suggestion proposes. */
export function proposal(s: Suggestion): string {
  switch (s.kind) {
    case 'ENTITY':
      return `new ${s.entity?.kind ?? ''}: ${s.entity?.name ?? s.text}`;
    case 'ALIAS':
      return `alias “${s.alias?.alias}” for ${s.alias?.entity?.name ?? '?'}`;
    case 'RELATIONSHIP': {
      const r = s.relationship!;
      return `${endLabel(r.from)} ${r.type}${r.role ? ` (${r.role})` : ''} ${endLabel(r.to)}${r.on ? ` on ${r.on}` : ''}`;
    }
    case 'FUNDING': {
      const f = s.funding!;
      return `${exactMoney(f.amount)} from ${endLabel(f.funder)} to ${f.recipients.map(endLabel).join(', ') || '?'}`;
    }
  }
}

interface EditState {
  entityId: string;
  name: string;
  kind: string;
  alias: string;
  type: string;
  from: string;
  to: string;
  role: string;
  funder: string;
  recipients: string;
}

function editOf(s: Suggestion): EditState {
  const end = (e?: SuggestionEnd | null) => (e?.suggestion ? e.suggestion.id : e?.candidates.length === 1 ? e.candidates[0].id : '');
  return {
    entityId: '',
    name: s.entity?.name ?? '',
    kind: s.entity?.kind ?? '',
    alias: s.alias?.alias ?? '',
    type: s.relationship?.type ?? '',
    from: end(s.relationship?.from),
    to: end(s.relationship?.to),
    role: s.relationship?.role ?? '',
    funder: end(s.funding?.funder),
    recipients: (s.funding?.recipients ?? []).map(end).join(', '),
  };
}

/** The SuggestionEdit input for what the curator changed. */
function editInput(s: Suggestion, e: EditState): Record<string, unknown> {
  const orig = editOf(s);
  const out: Record<string, unknown> = {};
  const set = (k: keyof EditState, field = k as string, f: (v: string) => unknown = (v) => v) => {
    if (e[k].trim() !== orig[k].trim() && e[k].trim() !== '') out[field] = f(e[k].trim());
  };
  if (s.kind === 'ENTITY') {
    set('entityId');
    set('name');
    set('kind');
  } else if (s.kind === 'ALIAS') set('alias');
  else if (s.kind === 'RELATIONSHIP') {
    set('type');
    set('from');
    set('to');
    set('role');
  } else {
    set('funder');
    set('recipients', 'recipients', (v) => v.split(',').map((x) => x.trim()).filter(Boolean));
  }
  return out;
}

function IngestForm({ token, onIngested }: { token: string; onIngested: (id: string) => void }) {
  const [title, setTitle] = useState('');
  const [published, setPublished] = useState('');
  const [publisher, setPublisher] = useState('');
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onFile = (ev: ChangeEvent<HTMLInputElement>) => {
    const f = ev.target.files?.[0];
    if (!f) return;
    f.text().then((t) => {
      setText(t);
      if (!title) setTitle(f.name.replace(/\.[^.]+$/, ''));
    });
  };
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    const input: Record<string, unknown> = { title, text };
    if (published) input.published = published;
    if (publisher) input.publisher = publisher;
    if (url) input.url = url;
    gqlAs<{ ingestDocument: { id: string } }>(token, INGEST, { in: input }).then(
      (d) => onIngested(d.ingestDocument.id),
      (e) => {
        setError(e.message);
        setBusy(false);
      },
    );
  };
  return (
    <form className="ingest-form" onSubmit={submit} data-testid="ingest-form">
      <h2>Ingest a document</h2>
      <div className="ingest-fields">
        <label>
          Title <input required value={title} onChange={(e) => setTitle(e.target.value)} data-testid="ingest-title" />
        </label>
        <label>
          Published <input placeholder="2024-05-06" value={published} onChange={(e) => setPublished(e.target.value)} data-testid="ingest-published" />
        </label>
        <label>
          Publisher <input value={publisher} onChange={(e) => setPublisher(e.target.value)} />
        </label>
        <label>
          Address <input type="url" placeholder="https://…" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
      </div>
      <label className="ingest-text">
        Text (plain, UTF-8) <textarea required rows={12} value={text} onChange={(e) => setText(e.target.value)} data-testid="ingest-text" />
      </label>
      <div className="ingest-actions">
        <label className="muted">
          or upload a .txt file <input type="file" accept=".txt,text/plain" onChange={onFile} />
        </label>
        <button type="submit" disabled={busy || !token} data-testid="ingest-submit">
          {busy ? 'Analysing…' : 'Ingest and analyse'}
        </button>
        {!token && <span className="muted">A curator's token is needed.</span>}
      </div>
      {error && <p className="error" data-testid="ingest-error">{error}</p>}
    </form>
  );
}

function Document({ text, mentions, selected }: { text: string; mentions: Mention[]; selected: Suggestion | null }) {
  const navigate = useNavigate();
  const quote = useMemo(() => (selected ? quoteSpan(text, selected.quote, selected.start) : null), [text, selected]);
  const segs = useMemo(() => segments(text, mentions, selected, quote), [text, mentions, selected, quote]);
  const mark = useRef<HTMLElement | null>(null);
  useEffect(() => {
    // A block body: scrollIntoView returns a promise in recent browsers, which
    // React would take for the effect's cleanup.
    mark.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [selected]);
  let marked = false;
  return (
    <div className="review-doc" data-testid="review-doc">
      {segs.map((s) => {
        const cls = [s.quoted ? 'hl-quote' : '', s.selected ? 'hl-selected' : ''].filter(Boolean).join(' ') || undefined;
        const ref = s.selected && !marked ? ((marked = true), (el: HTMLElement | null) => void (mark.current = el)) : undefined;
        if (s.mention) {
          const e = s.mention.entities[0];
          const title = s.mention.entities.map((x) => `${x.name} (${x.kind})`).join(' or ');
          return (
            <a key={s.start} ref={ref} href={`/explore?entity=${encodeURIComponent(e.id)}`} className={'mention ' + (cls ?? '')} title={title} data-entity={e.id}
              onClick={(ev) => {
                if (ev.button !== 0 || ev.metaKey || ev.ctrlKey) return;
                ev.preventDefault();
                navigate(entityView(e.id));
              }}>
              {s.text}
            </a>
          );
        }
        return (
          <span key={s.start} ref={ref} className={cls}>
            {s.text}
          </span>
        );
      })}
    </div>
  );
}

function EditForm({ s, value, onChange }: { s: Suggestion; value: EditState; onChange: (v: EditState) => void }) {
  const vocab = useVocabulary();
  const field = (k: keyof EditState, label: string, hint?: string) => (
    <label key={k}>
      {label} <input value={value[k]} placeholder={hint} onChange={(e) => onChange({ ...value, [k]: e.target.value })} data-testid={`edit-${k}`} />
    </label>
  );
  return (
    <div className="edit-form" data-testid="edit-form">
      {s.kind === 'ENTITY' && (
        <>
          {field('name', 'Name')}
          <label>
            Kind{' '}
            <select value={value.kind} onChange={(e) => onChange({ ...value, kind: e.target.value })}>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          {field('entityId', 'Id', 'a slug of the name')}
        </>
      )}
      {s.kind === 'ALIAS' && field('alias', 'Alias')}
      {s.kind === 'RELATIONSHIP' && (
        <>
          <label>
            Type{' '}
            <select value={value.type} onChange={(e) => onChange({ ...value, type: e.target.value })}>
              {(vocab?.relationshipTypes.map((t) => t.type) ?? [value.type]).map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          {field('from', 'From', 'entity id or suggestion id')}
          {field('to', 'To', 'entity id or suggestion id')}
          {field('role', 'Role')}
        </>
      )}
      {s.kind === 'FUNDING' && (
        <>
          {field('funder', 'Funder', 'entity id or suggestion id')}
          {field('recipients', 'Recipients', 'ids, comma-separated')}
        </>
      )}
    </div>
  );
}

function Outcome({ s }: { s: Suggestion }) {
  if (s.status === 'REJECTED') return <span className="muted">rejected</span>;
  if (s.status !== 'ACCEPTED') return null;
  const e = s.acceptedEntity ?? s.acceptedRelationship?.from ?? s.acceptedFunding?.funder;
  return (
    <span data-testid="accepted">
      accepted{e && (
        <>
          {' — '}
          <EntityLink id={e.id}>{e.name}</EntityLink>
        </>
      )}
    </span>
  );
}

function Queue({ token, sourceId, text, mentions }: { token: string; sourceId: string; text: string; mentions: Mention[] }) {
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showDecided, setShowDecided] = useState(false);
  const [sel, setSel] = useState(0);
  const [editing, setEditing] = useState<EditState | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useRef<HTMLDivElement>(null);

  const load = useCallback(() => allPages<Suggestion>(token, SUGGESTIONS, sourceId, 'suggestions').then(setItems, (e) => setError(e.message)), [token, sourceId]);
  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => (items ?? []).filter((s) => showDecided || s.status === 'OPEN'), [items, showDecided]);
  const current = shown[Math.min(sel, shown.length - 1)] ?? null;

  const decide = (mutation: string, vars: Record<string, unknown>) => {
    if (!current || busy) return;
    setBusy(true);
    setError(null);
    gqlAs<Record<string, Suggestion>>(token, mutation, { id: current.id, ...vars }).then(
      async () => {
        setEditing(null);
        await load();
        setBusy(false);
        list.current?.focus();
      },
      (e) => {
        setError(e.message);
        setBusy(false);
      },
    );
  };
  const accept = () => decide(ACCEPT, { edit: editing && current ? editInput(current, editing) : null });
  const reject = () => decide(REJECT, { reason: null });

  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'SELECT') {
      if (e.key === 'Enter' && editing) accept();
      if (e.key === 'Escape') setEditing(null);
      return;
    }
    const k = e.key;
    if (k === 'j' || k === 'ArrowDown') setSel((i) => Math.min(i + 1, shown.length - 1));
    else if (k === 'k' || k === 'ArrowUp') setSel((i) => Math.max(i - 1, 0));
    else if (k === 'a' && current?.status === 'OPEN') accept();
    else if (k === 'r' && current?.status === 'OPEN') reject();
    else if (k === 'e' && current?.status === 'OPEN') setEditing(editOf(current));
    else if (k === 'Escape') setEditing(null);
    else return;
    e.preventDefault();
  };

  return (
    <div className="review-layout">
      <section className="panel">
        <h2>Document</h2>
        <Document text={text} mentions={mentions} selected={current} />
      </section>
      <section className="panel review-queue" aria-label="Suggestions">
        <h2>
          Suggestions <span className="count" data-testid="open-count">{(items ?? []).filter((s) => s.status === 'OPEN').length}</span> open
        </h2>
        <p className="muted keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> accept · <kbd>e</kbd> edit · <kbd>r</kbd> reject
          <label>
            {' '}
            <input type="checkbox" checked={showDecided} onChange={(e) => setShowDecided(e.target.checked)} /> show decided
          </label>
        </p>
        {error && <p className="error" data-testid="review-error">{error}</p>}
        {!items && !error && <p className="muted">Loading…</p>}
        {items && shown.length === 0 && <p className="muted">Nothing left to review.</p>}
        <div className="queue" tabIndex={0} onKeyDown={onKey} ref={list} data-testid="queue">
          {shown.map((s, i) => (
            <div key={s.id} className={'sg' + (s === current ? ' sg-current' : '')} onClick={() => setSel(i)} data-testid="suggestion" data-kind={s.kind} data-status={s.status}>
              <div className="sg-head">
                <span className={'sg-kind sg-' + s.kind.toLowerCase()}>{s.kind}</span>
                <span className="sg-what">{proposal(s)}</span>
                <span className="muted">{Math.round(s.confidence * 100)}%</span>
              </div>
              {s === current && (
                <div className="sg-body">
                  <blockquote>{s.quote}</blockquote>
                  <p className="muted">
                    {s.claimStatus.toLowerCase()} · <Outcome s={s} />
                  </p>
                  {editing && s.status === 'OPEN' && <EditForm s={s} value={editing} onChange={setEditing} />}
                  {s.status === 'OPEN' && (
                    <div className="sg-actions">
                      <button onClick={accept} disabled={busy} data-testid="accept">
                        {editing ? 'Accept edited' : 'Accept'}
                      </button>
                      {!editing && (
                        <button onClick={() => setEditing(editOf(s))} disabled={busy} data-testid="edit">
                          Edit
                        </button>
                      )}
                      <button onClick={reject} disabled={busy} data-testid="reject">
                        Reject
                      </button>
                    </div>
                  )}
                </div>
              )}
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}

export default function ReviewPage({ view }: { view: ReviewView }) {
  const navigate = useNavigate();
  const [token, setToken] = useState(savedToken);
  const [doc, setDoc] = useState<ReviewSource | null>(null);
  const [mentions, setMentions] = useState<Mention[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Review · innograph';
  }, []);
  useEffect(() => {
    setDoc(null);
    setError(null);
    if (!view.source) return;
    Promise.all([
      gqlAs<{ source: ReviewSource | null }>(token, SOURCE_DOC, { id: view.source }),
      allPages<Mention>(token, MENTIONS, view.source, 'mentions'),
    ]).then(
      ([d, ms]) => {
        if (!d.source) setError(`No source ${view.source}.`);
        else setDoc(d.source);
        setMentions(ms);
      },
      (e) => setError(e.message),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.source]);

  return (
    <div className="review" data-testid="review">
      <div className="review-top">
        <h1>Review</h1>
        <label className="token">
          Curator token{' '}
          <input type="password" autoComplete="off" value={token} onChange={(e) => {
            setToken(e.target.value);
            saveToken(e.target.value);
          }} data-testid="token" />
        </label>
        {view.source && (
          <a href="/explore/review" onClick={(e) => {
            e.preventDefault();
            navigate({ view: 'review', source: '' });
          }}>
            Ingest another document
          </a>
        )}
      </div>
      {!view.source && <IngestForm token={token} onIngested={(id) => navigate({ view: 'review', source: id })} />}
      {error && <p className="error">{error}</p>}
      {doc && (
        <>
          <p className="muted" data-testid="review-source">
            <strong>{doc.title}</strong>
            {doc.publisher && ` · ${doc.publisher}`}
            {doc.published && ` · ${doc.published}`} · <code>{doc.id}</code> · {mentions.length} mentions
          </p>
          {doc.text ? <Queue token={token} sourceId={doc.id} text={doc.text} mentions={mentions} /> : <p className="muted">This source has no stored text.</p>}
        </>
      )}
    </div>
  );
}
