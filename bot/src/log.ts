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
