// A search field with suggestions from the `search` query (an ARIA combobox).
import { useEffect, useId, useRef, useState } from 'react';
import { SEARCH, gql, type EntityRef, type SearchHit } from './api';
import { KindBadge } from './Legend';

interface Props {
  label: string;
  placeholder?: string;
  onPick: (e: EntityRef) => void;
  /** The entity currently chosen (shown as the field's text). */
  selected?: EntityRef | null;
  autoFocus?: boolean;
  testId?: string;
  /** The selected entity is still loading: the field is read-only until it
   * arrives, so a late value cannot land in the middle of the user's typing. */
  pending?: boolean;
}

export default function SearchBox({ label, placeholder, onPick, selected, autoFocus, testId, pending }: Props) {
  const [text, setText] = useState(selected?.name ?? '');
  const [hits, setHits] = useState<SearchHit[]>([]);
  // The text the shown hits (or error) answer: Enter must not pick a hit of
  // an earlier text that is still on screen while the new answer is on its way.
  const [hitsFor, setHitsFor] = useState('');
  const enterPending = useRef(false);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  const typed = useRef(false);

  // Show the chosen entity, unless the user has started typing: a selection
  // that arrives late (loaded from the URL) must not overwrite their text.
  // Derived during render, not in an effect, so the name and the end of
  // `pending` reach the DOM in the same commit.
  const shownKey = `${selected?.id ?? ''}|${selected?.name ?? ''}`;
  const [shown, setShown] = useState(shownKey);
  if (shown !== shownKey) {
    setShown(shownKey);
    if (!typed.current) setText(selected?.name ?? '');
  }

  useEffect(() => {
    const q = text.trim();
    // An error answers the text it was about, not the next one.
    setError(null);
    if (!typed.current || q.length < 2) {
      setHits([]);
      setHitsFor('');
      enterPending.current = false;
      return;
    }
    const ctl = new AbortController();
    const t = setTimeout(() => {
      gql<{ search: SearchHit[] }>(SEARCH, { q, first: 8 }, ctl.signal)
        .then((d) => {
          if (ctl.signal.aborted) return;
          setHits(d.search);
          setHitsFor(q);
          setActive(0);
          setOpen(true);
          if (enterPending.current) {
            enterPending.current = false;
            pick(d.search[0]);
          }
        })
        .catch((e) => {
          if (ctl.signal.aborted) return;
          // No hits of an earlier text stay on offer under the error.
          setHits([]);
          setHitsFor(q);
          setError(e.message);
          enterPending.current = false;
        });
    }, 150);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [text]);

  function pick(h: SearchHit | undefined) {
    if (!h) return;
    setOpen(false);
    typed.current = false;
    setText(h.entity.name);
    onPickRef.current(h.entity);
  }

  return (
    <div className="search">
      <label className="visually-hidden" htmlFor={listId + '-input'}>
        {label}
      </label>
      <input
        id={listId + '-input'}
        type="search"
        role="combobox"
        aria-expanded={open && hits.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && hits[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={text}
        readOnly={pending}
        aria-busy={pending || undefined}
        autoFocus={autoFocus}
        data-testid={testId}
        onChange={(e) => {
          typed.current = true;
          setText(e.target.value);
        }}
        onFocus={() => hits.length && setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, hits.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const q = text.trim();
            if (hitsFor === q) pick(hits[active]);
            // Typed faster than the suggestions came: take the first hit of this text when it arrives.
            else if (typed.current && q.length >= 2) enterPending.current = true;
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      {open && hits.length > 0 && (
        <ul className="suggestions" role="listbox" id={listId}>
          {hits.map((h, i) => (
            <li
              key={h.entity.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="suggestion-name">{h.entity.name}</span>
              <KindBadge kind={h.entity.kind} />
              {h.matchedName && h.matchedName !== h.entity.name && <span className="muted">“{h.matchedName}”</span>}
            </li>
          ))}
        </ul>
      )}
      {open && typed.current && text.trim().length >= 2 && hitsFor === text.trim() && hits.length === 0 && !error && (
        <div className="suggestions empty">No matches</div>
      )}
      {error && <div className="suggestions empty error">{error}</div>}
    </div>
  );
}
