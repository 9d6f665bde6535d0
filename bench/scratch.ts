import { sql } from 'kysely';
import { openLoop } from './lib/open-loop.js';
import { MAILBOX, postNotification, startRig } from './lib/rig.js';
import { quantile } from './lib/stats.js';

const rate = Number(process.argv[2] ?? 200);
const mode = process.argv[3] ?? 'noworker';
const rig = await startRig({ teamsWindows: [] });
if (mode.includes('noworker')) await rig.mailroom.worker.stop();
if (mode.includes('normal')) await sql`pragma synchronous = NORMAL`.execute(rig.mailroom.db.kysely);
console.log(await sql`pragma synchronous`.execute(rig.mailroom.db.kysely).then((r) => r.rows));
if (mode === 'nopace') rig.mailroom.pacer.take = async () => undefined;
const bodies: string[] = [];
for (let i = 0; i < rate * 3 + 100; i++) {
  bodies.push(rig.notificationBody(rig.deliverQuietly({ to: [MAILBOX], from: 'ana@fabrikam.com', subject: `s ${i}` })));
}
for (const b of bodies.slice(0, 100)) await postNotification(rig, b);
const t = performance.now();
const sent = await openLoop(`${rig.url}/api/graph/notifications`, bodies.slice(100), rate);
const lat = sent.map((s) => s.latencyMs);
console.log(
  mode,
  rate,
  'p50',
  quantile(lat, 0.5).toFixed(1),
  'p99',
  quantile(lat, 0.99).toFixed(1),
  'wall',
  (performance.now() - t).toFixed(0),
  'not202',
  sent.filter((s) => s.status !== 202).length,
);
await rig.close();
process.exit(0);
