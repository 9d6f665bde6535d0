import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from './api.js';
import type { Page } from './types.js';

/** `value`, once it has stopped changing for `ms`: typing into a filter asks the API once, not per keystroke. */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** Loads the first page whenever the filters change (and settle); `more()` follows the API's cursor. */
export function usePaged<T>(path: string, filters: Record<string, string | undefined>) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = useSettled(JSON.stringify(filters), 300);
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const gen = ++generation.current;
      setLoading(true);
      try {
        const page = await api<Page<T>>('GET', path, {
          ...(JSON.parse(key) as Record<string, string>),
          cursor: after ?? undefined,
        });
        // A slower answer to an older filter must not overwrite a newer one.
        if (gen !== generation.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        if (gen !== generation.current) return;
        setError(errorText(e));
        // A refused first page leaves no rows from the previous filter on screen, as if they answered this one.
        if (!after) {
          setItems([]);
          setCursor(null);
        }
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [path, key],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return {
    items,
    setItems,
    loading,
    error,
    hasMore: cursor !== null,
    more: () => load(cursor),
    reload: () => load(null),
  };
}
