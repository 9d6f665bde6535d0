import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, KEEP_ALIVE_MS } from '../../../bot/src/http/server.js';
import { createLogger } from '../../../bot/src/log.js';

/**
 * Issue 14: one notification of 2,000 met a reset instead of a 202 when node's 5 s keep-alive timeout closed a
 * connection as the client reused it. The server now keeps an idle connection open longer than its clients do.
 */
describe('keep-alive connections to the Graph webhook', () => {
  const server = createServer({
    log: createLogger('silent'),
    processActivity: async () => undefined,
    graph: {
      notifications: async () => ({ accepted: 1, rejected: 0 }),
      lifecycle: async () => ({ accepted: 0, rejected: 0 }),
    },
    ready: async () => true,
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (agent: Agent) =>
    new Promise<{ status: number; keepAlive: string | undefined; socket: unknown }>((resolve, reject) => {
      const req = request(
        { agent, host: '127.0.0.1', port, path: '/api/graph/notifications', method: 'POST' },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, keepAlive: String(res.headers['keep-alive']), socket: req.socket }),
          );
        },
      );
      req.on('error', reject);
      req.setHeader('content-type', 'application/json');
      req.end(JSON.stringify({ value: [{ subscriptionId: 's' }] }));
    });

  it('says it keeps an idle connection for over a minute, and serves the next request on the same one', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await post(agent);
      const second = await post(agent);
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(first.keepAlive).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
      expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
      expect(second.socket).toBe(first.socket);
      // Node wants the header timeout above the keep-alive one, or a reused connection is cut mid-request.
      expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    } finally {
      agent.destroy();
    }
  });
});
