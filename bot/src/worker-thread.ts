import { parentPort, workerData } from 'node:worker_threads';
import { composeMailroom, type Overrides } from './compose.js';
import type { Config } from './config.js';
import { logReleases, releaseHeapWhenQuiet } from './idle-heap.js';
import { type Pressure, workerLimit } from './intake-flood.js';
import { createLogger } from './log.js';
import { lowerThreadPriority } from './thread-priority.js';

/**
 * What the host (worker-host.ts) sends: look for due jobs now; how hard Graph's notifications are coming in (the
 * worker's limit follows it: intake-flood.ts); or finish the jobs in hand and stop.
 */
export type HostMessage = { type: 'nudge' } | { type: 'pressure'; pressure: Pressure } | { type: 'stop' };
/** What this thread answers: up and claiming, or stopped with everything in hand finished. */
export type ThreadMessage = { type: 'ready' } | { type: 'stopped' };

export interface ThreadData {
  config: Config;
  overrides: Pick<Overrides, 'netsuiteUiBaseUrl'>;
}

/**
 * The job worker on a thread of its own (WORKER_MODE=thread): the same composition as main.ts, with its own
 * database connection, claiming jobs as a replica would. The main thread's event loop is then left to the HTTP
 * server, so a Graph acknowledgement never waits behind a job's parsing, rendering or statements.
 */
async function run(port: NonNullable<typeof parentPort>, data: ThreadData): Promise<void> {
  const log = createLogger(data.config.logLevel).child({ thread: 'worker' });
  // Acknowledging Graph is the server thread's: on busy cores the jobs wait a little, the 202s do not.
  if (!lowerThreadPriority()) log.info('the job worker thread runs at the server thread’s CPU priority');
  const mailroom = await composeMailroom(data.config, log, data.overrides);
  const heap = releaseHeapWhenQuiet({ onRelease: logReleases(log, 'quiet after jobs: heap given back') });
  // The host nudges for the jobs it enqueues; the jobs this thread enqueues (follow-ups) are activity as well.
  const unsubscribe = mailroom.queue.onEnqueue(() => heap.activity());
  port.on('message', (m: HostMessage) => {
    if (m.type === 'nudge') {
      heap.activity();
      mailroom.worker.nudge();
    } else if (m.type === 'pressure') {
      mailroom.worker.limit(workerLimit(m.pressure));
    } else if (m.type === 'stop') {
      void (async () => {
        heap.stop();
        unsubscribe();
        await mailroom.worker.stop();
        await mailroom.db.close();
        port.postMessage({ type: 'stopped' } satisfies ThreadMessage);
        port.close();
      })();
    }
  });
  mailroom.worker.start();
  port.postMessage({ type: 'ready' } satisfies ThreadMessage);
}

if (parentPort) await run(parentPort, workerData as ThreadData);
