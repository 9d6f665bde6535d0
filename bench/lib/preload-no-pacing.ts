/**
 * Bench-only, loaded into Mailroom's process with `--import` before its main module (compiled first, as Mailroom
 * is: mailroom-process.ts): Teams pacing off, so the throughput benchmark measures Mailroom's own capacity rather
 * than Teams' 8-new-threads-per-2-s channel budget. The connector stand-in then enforces no limits either. Never
 * part of a production start.
 */
import { Pacer } from '../../bot/src/jobs/pacer.js';

Pacer.prototype.pace = async (_tenantId, _key, send) => send();
