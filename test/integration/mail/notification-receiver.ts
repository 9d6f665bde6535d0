import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: unknown;
}

export interface Receiver {
  url: string;
  validations: string[];
  received: Received[];
  /** How the receiver answers the validation request: echo (as Graph expects), or a 404. */
  mode: 'echo' | 'refuse';
  /** Answer this many notifications with 503 (as a bot that is down), counting them in `failed`. */
  failNext: number;
  failed: number;
  /** Waits until `n` notifications arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A stand-in for Mailroom's webhook: answers the validation handshake, records notifications, answers 202. */
export async function startReceiver(): Promise<Receiver> {
  const r: Omit<Receiver, 'url'> & { url: string } = {
    url: '',
    validations: [],
    received: [],
    mode: 'echo',
    failNext: 0,
    failed: 0,
    async waitFor(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (r.received.length < n) {
        if (Date.now() > until) throw new Error(`Only ${r.received.length} of ${n} notifications arrived`);
        await new Promise((res) => setTimeout(res, 20));
      }
      return r.received;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const token = url.searchParams.get('validationToken');
      if (token !== null) {
        r.validations.push(url.pathname);
        if (r.mode === 'refuse') res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
        return;
      }
      if (r.failNext > 0) {
        r.failNext -= 1;
        r.failed += 1;
        res.writeHead(503).end();
        return;
      }
      r.received.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}
