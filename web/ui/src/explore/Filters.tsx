import { kindStyle, relLabel } from './kinds';
import { KindIcon } from './Legend';
import { useVocabulary } from './nav';

interface ChecklistProps {
  label: string;
  options: { value: string; label: string; count: number; icon?: React.ReactNode }[];
  selected: string[];
  onChange: (v: string[]) => void;
  testId: string;
}

/** A dropdown of checkboxes; nothing checked means no filter. */
function Checklist({ label, options, selected, onChange, testId }: ChecklistProps) {
  const toggle = (v: string) => onChange(selected.includes(v) ? selected.filter((x) => x !== v) : [...selected, v]);
  return (
    <details className="checklist" data-testid={testId}>
      <summary>
        {label}: {selected.length ? selected.length + ' selected' : 'all'}
      </summary>
      <div className="checklist-panel">
        {selected.length > 0 && (
          <button type="button" className="link-button" onClick={() => onChange([])}>
            Clear
          </button>
        )}
        {options.map((o) => (
          <label key={o.value}>
            <input type="checkbox" checked={selected.includes(o.value)} onChange={() => toggle(o.value)} value={o.value} />
            {o.icon}
            {o.label} <span className="muted">{o.count}</span>
          </label>
        ))}
      </div>
    </details>
  );
}

interface Props {
  kinds: string[];
  types: string[];
  onKinds: (v: string[]) => void;
  onTypes: (v: string[]) => void;
}

/** Filters of a neighbourhood by entity kind and relationship type (from the vocabulary). */
export default function Filters({ kinds, types, onKinds, onTypes }: Props) {
  const vocab = useVocabulary();
  if (!vocab) return null;
  return (
    <>
      <Checklist
        label="Kinds"
        testId="filter-kinds"
        selected={kinds}
        onChange={onKinds}
        options={vocab.kinds
          .filter((k) => k.count > 0)
          .map((k) => ({ value: k.kind, label: kindStyle(k.kind).label, count: k.count, icon: <KindIcon kind={k.kind} size={12} /> }))}
      />
      <Checklist
        label="Relationships"
        testId="filter-types"
        selected={types}
        onChange={onTypes}
        options={vocab.relationshipTypes.filter((t) => t.count > 0).map((t) => ({ value: t.type, label: relLabel(t.type), count: t.count }))}
      />
    </>
  );
}
