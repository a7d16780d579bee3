import { useState } from 'react';
import type { Core } from 'cytoscape';
import { FORMAT_LABELS, clientExport, clientFilename, fetchServerExport, pngOf, saveBlob, type GraphFormat } from './exports';

interface Props {
  /** The drawing (for PNG and browser-side exports). */
  cy: Core | null;
  /** Base of file names written in the browser. */
  basename: string;
  /** The server export URL of the view in a format, when the server has one. */
  serverURL?: (format: GraphFormat) => string;
}

/** Buttons that download the current view as Cytoscape JSON, GraphML, GEXF or PNG. */
export default function Downloads({ cy, basename, serverURL }: Props) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function download(format: GraphFormat | 'png') {
    if (!cy) return;
    setBusy(true);
    setNote(null);
    try {
      if (format === 'png') {
        saveBlob(await pngOf(cy), `${basename}.png`);
        return;
      }
      if (serverURL) {
        const got = await fetchServerExport(serverURL(format));
        if (got) {
          saveBlob(got.blob, got.filename);
          return;
        }
        setNote('This server has no export endpoint; the file was written from the drawing (without evidence).');
      }
      saveBlob(clientExport(cy, format), clientFilename(basename, format));
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="downloads">
      <span className="muted">Download</span>
      {(['cytoscape', 'graphml', 'gexf', 'png'] as const).map((f) => (
        <button key={f} type="button" className="small-button" disabled={!cy || busy} onClick={() => download(f)} data-format={f}>
          {FORMAT_LABELS[f]}
        </button>
      ))}
      {note && (
        <span className="note" role="status">
          {note}
        </span>
      )}
    </div>
  );
}
