/**
 * Seconds to wait from a Retry-After header, the one parser for Graph, Teams and NetSuite answers. The header is
 * delta-seconds or an HTTP date (RFC 9110, section 10.2.3); anything else, or no header, says nothing.
 */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now.getTime()) / 1000);
}
