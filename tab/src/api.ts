export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type TokenSource = () => Promise<string>;

let tokenSource: TokenSource = async () => '';

export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

/** Calls /api/tab/* with the SSO token; a non-2xx answer throws ApiError carrying the API's own message. */
export async function api<T>(
  method: 'GET' | 'POST',
  path: string,
  query?: Record<string, string | undefined>,
): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v) qs.set(k, v);
  const url = `/api/tab/${path}${qs.size ? `?${qs}` : ''}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${await tokenSource()}`, accept: 'application/json' },
  });
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!res.ok) {
    throw new ApiError(
      res.status,
      body.error?.code ?? 'error',
      body.error?.message ?? `Request failed (${res.status}).`,
    );
  }
  return body as T;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function when(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
