import { sql } from 'kysely';
import { MAILBOX, postNotification, startRig } from './lib/rig.js';

const rig = await startRig({ teamsWindows: [] });
await rig.mailroom.worker.stop();
if (process.argv[2] === 'normal') await sql`pragma synchronous = NORMAL`.execute(rig.mailroom.db.kysely);
const bodies: string[] = [];
for (let i = 0; i < 1100; i++)
  bodies.push(rig.notificationBody(rig.deliverQuietly({ to: [MAILBOX], from: 'a@b.com', subject: `s ${i}` })));
for (const b of bodies.slice(0, 100)) await postNotification(rig, b);
let t = performance.now();
for (const b of bodies.slice(100, 600)) await postNotification(rig, b);
console.log('notification seq mean ms', ((performance.now() - t) / 500).toFixed(2));
t = performance.now();
for (let i = 0; i < 500; i++) {
  const r = await fetch(`${rig.url}/api/graph/notifications?validationToken=x`, { method: 'POST' });
  await r.text();
}
console.log('validation seq mean ms', ((performance.now() - t) / 500).toFixed(2));
t = performance.now();
await Promise.all(bodies.slice(600, 1100).map((b) => postNotification(rig, b)));
console.log('500 concurrent wall ms', (performance.now() - t).toFixed(0));
await rig.close();
process.exit(0);
