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
 * Standard output, written asynchronously: a line is queued and written by the event loop (lines that pile up
 * meanwhile go out in one write), instead of one blocking write per line. On the server's thread that blocking
 * write was an eighth of each Graph acknowledgement's CPU at 500 notifications/s. pino flushes what is queued when
 * the process exits; a kill -9 can lose the last few milliseconds of lines, never data.
 * https://github.com/pinojs/pino/blob/main/docs/asynchronous.md
 */
export function asyncStdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}
