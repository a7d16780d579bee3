import { useEffect, useState } from 'react';

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  /** The error itself (a GraphQLError carries the server's code). */
  cause: unknown;
  loading: boolean;
}

/**
 * Runs an async load whenever key changes, abandoning stale answers, and
 * keeps the previous data while the next one loads (no flicker on filters).
 */
export function useQuery<T>(key: string, load: (signal: AbortSignal) => Promise<T>, enabled = true): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, cause: null, loading: enabled });
  useEffect(() => {
    if (!enabled) {
      setState({ data: null, error: null, cause: null, loading: false });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null, cause: null }));
    load(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, error: null, cause: null, loading: false }),
      (e) => !ctl.signal.aborted && setState({ data: null, error: e instanceof Error ? e.message : String(e), cause: e, loading: false }),
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled]);
  return state;
}
