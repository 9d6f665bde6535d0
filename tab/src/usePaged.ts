import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from './api.js';
import type { Page } from './types.js';

/** Loads the first page whenever the filters change; `more()` follows the API's cursor. */
export function usePaged<T>(path: string, filters: Record<string, string>) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(filters);
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
        if (gen === generation.current) setError(errorText(e));
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
