import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SaveEmailInput } from '../../../bot/src/core/ports.js';
import { startGraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { graphSeed, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../../bot/src/sandbox/graph-seed.js';
import { sandboxStateDir } from '../../../bot/src/sandbox/start-sandbox.js';
import { appToken } from '../../helpers/graph-app-token.js';
import { serveOnLoopback } from '../../helpers/loopback-server.js';
import { serviceFor, startEmulator } from '../netsuite/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'mailroom-sandbox-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const startGraph = (stateFile: string) =>
  startGraphEmulator({
    tenantId: graphSeed.tenantId,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    seed: graphSeed,
    stateFile,
  });

describe('the sandbox emulators keep their state across a restart', () => {
  it('Graph keeps mail and subscriptions, and notifies a kept subscription after the restart', async () => {
    const file = join(dir, 'graph.json');
    const notified: string[] = [];
    const hook = await serveOnLoopback(async (req, res) => {
      const validation = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
      let body = '';
      for await (const c of req) body += String(c);
      if (!validation) notified.push(body);
      res.writeHead(validation ? 200 : 202, { 'content-type': 'text/plain' });
      res.end(validation ?? '');
    });
    try {
      const first = await startGraph(file);
      expect(first.restored).toBeNull();
      const [copy] = first.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Before restart' });
      const created = await fetch(`${first.graphBaseUrl}/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await appToken(first)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          changeType: 'created',
          resource: `users/${copy?.userId}/messages`,
          notificationUrl: hook.url,
          clientState: 'kept',
          expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      }).then((r) => r.json() as Promise<{ id: string }>);
      await first.close();

      const second = await startGraph(file);
      try {
        expect(second.restored).toEqual({ messages: 1, subscriptions: 1 });
        const got = await fetch(`${second.graphBaseUrl}/subscriptions/${created.id}`, {
          headers: { authorization: `Bearer ${await appToken(second)}` },
        });
        expect(got.status).toBe(200);
        const msg = await fetch(`${second.graphBaseUrl}/users/${copy?.userId}/messages/${copy?.id}?$select=subject`, {
          headers: { authorization: `Bearer ${await appToken(second)}` },
        }).then((r) => r.json() as Promise<{ subject: string }>);
        expect(msg.subject).toBe('Before restart');
        const [after] = second.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'After' });
        await second.idle();
        expect(after?.notified).toBe(1);
        expect(notified.some((n) => n.includes(created.id) && n.includes('kept'))).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      await hook.close();
    }
  });

  it('NetSuite keeps the messages its SuiteApp saved, and goes on numbering after them', async () => {
    const file = join(dir, 'netsuite.json');
    const save = (url: string, externalId: string) => {
      const input: SaveEmailInput = {
        tenantId: 't',
        externalId,
        record: { type: 'customer', id: '101', name: 'Fabrikam, Inc.' },
        subject: `Kept ${externalId}`,
        bodyHtml: '<p>kept</p>',
        author: { name: 'Ana', address: 'ana@fabrikam.com' },
        to: [],
        cc: [],
        bcc: [],
        messageDate: '2026-12-07T04:00:00.000Z',
        incoming: true,
        attachments: [],
      };
      return serviceFor(url).saveEmail(input);
    };
    const first = await startEmulator({ stateFile: file });
    const kept = await save(first.url, 'mr_kept');
    await first.close();
    const second = await startEmulator({ stateFile: file });
    try {
      expect(second.restored).toBeGreaterThan(0);
      expect(second.state.store.get('message', kept.netsuiteMessageId)?.fields.subject).toBe('Kept mr_kept');
      // The RESTlet finds the kept message by its externalId after the restart: nothing new.
      expect(await save(second.url, 'mr_kept')).toMatchObject({
        created: false,
        netsuiteMessageId: kept.netsuiteMessageId,
      });
      const next = await save(second.url, 'mr_next');
      expect(Number(next.netsuiteMessageId)).toBeGreaterThan(Number(kept.netsuiteMessageId));
    } finally {
      await second.close();
    }
  });

  it('starts from the seed, saying why, when the file is unreadable', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{not json');
    const graph = await startGraph(file);
    try {
      expect(graph.restored).toBeNull();
      expect(graph.stateProblem).toMatch(/could not be read.*starting from the seed/);
      expect(graph.state.messages).toEqual([]);
    } finally {
      await graph.close();
    }
  });

  it('keeps the state beside the SQLite file, in ./data with PostgreSQL, and nowhere for :memory:', () => {
    expect(sandboxStateDir('sqlite:./data/mailroom.db')).toBe('./data');
    expect(sandboxStateDir('sqlite:/tmp/x/m.db')).toBe('/tmp/x');
    expect(sandboxStateDir('postgres://u@h/db')).toBe('data');
    expect(sandboxStateDir('sqlite::memory:')).toBeNull();
  });
});
