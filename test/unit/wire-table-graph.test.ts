import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphEmulator, startGraphEmulator } from '../../bot/src/sandbox/graph-emulator/index.js';
import { graphSeed, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../bot/src/sandbox/graph-seed.js';
import { appToken } from '../helpers/graph-app-token.js';
import { serveOnLoopback } from '../helpers/loopback-server.js';
import { concrete, readWireTable, shape, sourceRoutes, type WireRow } from '../helpers/wire-table.js';

const { rows, sandbox } = readWireTable();
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const answered = (r: WireRow) => r.status !== 'sdk' && r.status !== 'removed';
const graphRows = rows.filter(
  (r) => r.section.startsWith('Entra ID token endpoint') || r.section.startsWith('Graph API'),
);
/** Graph API rows are written under GRAPH_BASE_URL; the emulator serves them under /v1.0. */
const emulatorPath = (r: WireRow) => (r.section.startsWith('Graph API') ? `/v1.0${r.path}` : r.path);

describe('the Graph emulator answers the calls in docs/wire.md and no others', () => {
  let graph: GraphEmulator;
  let hook: Awaited<ReturnType<typeof serveOnLoopback>>;
  let byPrevious: Record<string, string>;
  const call = async (method: string, path: string) => {
    const auth = await appToken(graph);
    const res = await fetch(`${graph.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
    });
    const text = await res.text();
    // The emulator's answer to a route it does not have: Graph's own "Resource not found for the segment".
    return { status: res.status, unrouted: /Resource not found for the segment|No route for/.test(text) };
  };

  beforeAll(async () => {
    graph = await startGraphEmulator({
      tenantId: graphSeed.tenantId,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      seed: graphSeed,
    });
    hook = await serveOnLoopback(async (req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken') ?? '';
      res.writeHead(token ? 200 : 202, { 'content-type': 'text/plain' });
      res.end(token);
    });
    const [copy] = graph.deliver({ to: 'support@contoso.com', from: 'ana@fabrikam.com', subject: 'Wire' });
    const sub = await fetch(`${graph.graphBaseUrl}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await appToken(graph)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'created',
        resource: `users/${copy?.userId}/messages`,
        notificationUrl: hook.url,
        expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    byPrevious = {
      '': graphSeed.tenantId,
      users: copy?.userId ?? '',
      messages: copy?.id ?? '',
      mailFolders: 'inbox',
      subscriptions: sub.id,
      teams: graphSeed.teams?.[0]?.aadGroupId ?? '',
    };
  });
  afterAll(async () => {
    await graph?.close();
    await hook?.close();
  });

  it('has a row for every route written in its source, and a route for every row', () => {
    const dir = new URL('../../bot/src/sandbox/graph-emulator/', import.meta.url);
    const files = readdirSync(dir).map((f) => new URL(f, dir).pathname);
    const documented = new Set([
      ...graphRows.map((r) => shape(emulatorPath(r))),
      ...sandbox.filter((s) => s.emulator === 'graph').map((s) => shape(s.path)),
    ]);
    const served = sourceRoutes(files);
    expect(served.filter((p) => !documented.has(p))).toEqual([]);
    const wanted = graphRows.filter(answered).map((r) => shape(emulatorPath(r)));
    expect(wanted.filter((p) => !served.includes(p))).toEqual([]);
  });

  it('routes each documented method, and refuses the other methods on the same paths', async () => {
    const paths = new Map<string, { path: string; methods: Set<string> }>();
    for (const r of graphRows.filter(answered)) {
      const path = concrete(emulatorPath(r), byPrevious);
      const entry = paths.get(path) ?? { path, methods: new Set<string>() };
      entry.methods.add(r.method);
      paths.set(path, entry);
    }
    const wrong: string[] = [];
    for (const { path, methods } of paths.values()) {
      for (const method of METHODS) {
        if (method === 'DELETE' && methods.has('DELETE')) continue; // probed last, so the subscription stays
        const { unrouted, status } = await call(method, path);
        if (methods.has(method) === unrouted) wrong.push(`${method} ${path} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
