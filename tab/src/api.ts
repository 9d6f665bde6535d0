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

/**
 * A date picked in the tab (yyyy-mm-dd, the person's own calendar day) as the instants the API filters on, so
 * "To 22 Nov" takes in the evening of the 22nd wherever the person is, matching the local times the rows show.
 */
export function dayRange(from: string, to: string): { from?: string | undefined; to?: string | undefined } {
  const at = (day: string, time: string) => {
    const t = new Date(`${day}T${time}`);
    return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
  };
  return {
    ...(from ? { from: at(from, '00:00:00.000') } : {}),
    ...(to ? { to: at(to, '23:59:59.999') } : {}),
  };
}

export function when(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
