import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_REMEDY } from '../../../bot/src/mail/graph-failure.js';
import { EXCHANGE_SCOPED_PERMISSIONS, GRAPH_APP_PERMISSIONS } from '../../../bot/src/mail/graph-permissions.js';
import { startGraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { graphSeed } from '../../../bot/src/sandbox/graph-seed.js';

const root = join(import.meta.dirname, '../../..');
const guide = readFileSync(join(root, 'docs/admin.md'), 'utf8');
const section2 = guide.slice(guide.indexOf('## 2. The Graph permissions'), guide.indexOf('## 3. '));
const section3 = guide.slice(guide.indexOf('## 3. '), guide.indexOf('## 4. '));
const manifest = JSON.parse(readFileSync(join(root, 'aad.graph.manifest.json'), 'utf8')) as {
  requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
};

/** The first column of section 2's table: "| `Mail.ReadWrite` | why | where |". */
const guideTable = [...section2.matchAll(/^\| `([A-Za-z.]+)`\s+\|/gm)].map((m) => m[1]);

describe('the Graph permissions: one list, the same in the guide, the app registration, RBAC and the emulator', () => {
  it('docs/admin.md grants exactly the list, and nothing more', () => {
    expect([...guideTable].sort()).toEqual([...GRAPH_APP_PERMISSIONS].sort());
    expect(section2).toContain(`All ${['zero', 'one', 'two', 'three', 'four', 'five'][GRAPH_APP_PERMISSIONS.length]}`);
  });

  it('the RBAC commands assign exactly the Exchange-scoped ones, and Entra consent covers the rest', () => {
    const roles = [...section3.matchAll(/-Role 'Application ([A-Za-z.]+)'/g)].map((m) => m[1]);
    expect([...new Set(roles)].sort()).toEqual([...EXCHANGE_SCOPED_PERMISSIONS].sort());
    const graph = manifest.requiredResourceAccess.find((r) => r.resourceAppId === 'Microsoft Graph');
    const consented = (graph?.resourceAccess ?? []).map((a) => {
      expect(a.type).toBe('Role'); // application permissions, never delegated scopes
      return a.id;
    });
    const expected = GRAPH_APP_PERMISSIONS.filter((p) => !EXCHANGE_SCOPED_PERMISSIONS.includes(p));
    expect(consented.sort()).toEqual([...expected].sort());
    // The access-policy alternative names the same two, granted in Entra instead.
    for (const p of EXCHANGE_SCOPED_PERMISSIONS) expect(section3).toContain(`\`${p}\``);
    for (const p of EXCHANGE_SCOPED_PERMISSIONS) expect(ACCESS_REMEDY).toContain(p);
  });

  it('the emulator grants exactly the list by default, in the roles of the tokens it issues', async () => {
    const emu = await startGraphEmulator({
      tenantId: graphSeed.tenantId,
      clientId: 'c',
      clientSecret: 's',
      seed: graphSeed,
    });
    try {
      const res = await fetch(`${emu.authorityHost}/${graphSeed.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'c',
          client_secret: 's',
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
      const { access_token } = (await res.json()) as { access_token: string };
      expect(emu.state.tokens.get(access_token)?.roles.sort()).toEqual([...GRAPH_APP_PERMISSIONS].sort());
    } finally {
      await emu.close();
    }
  });
});
