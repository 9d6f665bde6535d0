import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { validateCard } from '../../helpers/validate-card.js';
import { composeResult, timed, unfurl } from './me-activity.js';

const TEAMS_LIMIT_MS = 5_000;
const HOST = 'https://tstdrv1234567.app.netsuite.com';

describe('messaging extension: NetSuite link unfurling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('unfurls a customer link into a version 1.3 card with its key fields, with NetSuite slowed down', async () => {
    h.sandbox.netsuite.setLatency(800);
    try {
      const { value: res, ms } = await timed(h.send(unfurl(`${HOST}/app/common/entity/custjob.nl?id=101`)));
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(TEAMS_LIMIT_MS);
      const [a] = composeResult(res.body).attachments;
      expect(a?.content.version).toBe('1.3');
      expect(validateCard(a?.content)).toEqual([]);
      const text = JSON.stringify(a?.content);
      expect(text).toContain('Fabrikam, Inc.');
      expect(text).toContain('orders@fabrikam.com');
      expect(a?.preview?.contentType).toBe('application/vnd.microsoft.card.thumbnail');
    } finally {
      h.sandbox.netsuite.setLatency(0);
    }
  });

  it('unfurls contacts, cases and transaction pages', async () => {
    const cases = [
      ['/app/common/entity/contact.nl?id=201', 'Ana Ruiz'],
      ['/app/crm/support/supportcase.nl?id=501', 'Order 1042 is late'],
      ['/app/accounting/transactions/opprtnty.nl?id=601', 'OPP601'],
      ['/app/accounting/transactions/salesord.nl?id=701', 'SO1042'],
      ['/app/accounting/transactions/custinvc.nl?id=801', 'INV2001'],
    ] as const;
    for (const [path, expected] of cases) {
      const [a] = composeResult((await h.send(unfurl(`${HOST}${path}`))).body).attachments;
      expect(JSON.stringify(a?.content), path).toContain(expected);
      expect(a?.content.version).toBe('1.3');
      expect(validateCard(a?.content)).toEqual([]);
    }
  });

  it('gives no unfurl, and no error, for an unknown record, another account or a page that is not a record', async () => {
    for (const url of [
      `${HOST}/app/common/entity/custjob.nl?id=999999`,
      'https://other-account.app.netsuite.com/app/common/entity/custjob.nl?id=101',
      `${HOST}/app/center/card.nl?sc=-29`,
    ]) {
      const res = await h.send(unfurl(url));
      expect(res.status, url).toBe(200);
      const result = composeResult(res.body);
      expect(result.type, url).toBe('result');
      expect(result.attachments, url).toEqual([]);
    }
  });

  it('gives no unfurl when NetSuite does not answer in time', async () => {
    h.sandbox.netsuite.setLatency(6_000);
    try {
      const { value: res, ms } = await timed(h.send(unfurl(`${HOST}/app/common/entity/custjob.nl?id=102`)));
      expect(ms).toBeLessThan(TEAMS_LIMIT_MS);
      expect(composeResult(res.body).attachments).toEqual([]);
    } finally {
      h.sandbox.netsuite.setLatency(0);
    }
  });
});
