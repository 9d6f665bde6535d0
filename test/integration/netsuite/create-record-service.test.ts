import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/src/config.js';
import { createRecordService } from '../../../bot/src/netsuite/index.js';
import type { NetSuiteEmulator } from '../../../bot/src/sandbox/netsuite-emulator/index.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { creds, silent, startEmulator } from './harness.js';

let ns: NetSuiteEmulator;
let db: TestDb;
beforeAll(async () => {
  ns = await startEmulator({ concurrencyLimit: 2, latencyMs: 20 });
  db = await createTestDb('sqlite');
});
afterAll(async () => {
  await ns.close();
  await db.drop();
});

describe('createRecordService', () => {
  it('without NetSuite credentials, says which settings an admin must add', async () => {
    const warned: unknown[] = [];
    const log = Object.assign(Object.create(silent), { warn: (o: unknown) => warned.push(o) });
    const svc = createRecordService(loadConfig({}).netsuite, { db, log });
    expect(svc.configured).toBe(false);
    // People in Teams get one short line that a card never cuts off…
    expect(svc.setupRemedy).toMatch(/Ask your Mailroom admin to set NETSUITE_ACCOUNT_ID/);
    expect(svc.setupRemedy.length).toBeLessThan(200);
    // …and the admin's log has every setting.
    expect(JSON.stringify(warned)).toMatch(/NETSUITE_CLIENT_ID.*NETSUITE_TOKEN_SECRET/);
    expect(await svc.suggest(['ana@fabrikam.com'])).toEqual([]);
    await expect(svc.saveEmail({} as never)).rejects.toMatchObject({ code: 'netsuite_not_configured' });
  });

  it('from M2M settings, talks to the account within its concurrency limit', async () => {
    const cfg = loadConfig({
      NETSUITE_ACCOUNT_ID: creds.accountId,
      NETSUITE_BASE_URL: ns.url,
      NETSUITE_CLIENT_ID: creds.m2m.clientId,
      NETSUITE_CERTIFICATE_ID: creds.m2m.certificateId,
      NETSUITE_PRIVATE_KEY: creds.m2m.privateKeyPem.replace(/\n/g, '\\n'),
      NETSUITE_CONCURRENCY: '2',
    }).netsuite;
    const svc = createRecordService(cfg, { db, log: silent, uiBaseUrl: ns.url });
    expect(svc.configured).toBe(true);
    const results = await Promise.all(
      ['ana@fabrikam.com', 'li@northwind.example', 'sam@tailspintoys.example'].map((a) =>
        svc.suggest([a], { budgetMs: 5000 }),
      ),
    );
    expect(results.map((r) => r[0]?.name)).toEqual(['Ana Ruiz', 'Li Wei', 'Tailspin Toys']);
    // The governor kept Mailroom inside the account's limit: NetSuite never had to refuse a request.
    expect(ns.state.counters.rejected429).toBe(0);
    expect(ns.state.counters.maxInFlight).toBeLessThanOrEqual(2);
    expect(svc.recordUrl({ type: 'contact', id: '201' })).toBe(`${ns.url}/app/common/entity/contact.nl?id=201`);
  });
});
