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

  const noticeOf = (body: unknown) => {
    const [a, ...rest] = composeResult(body).attachments;
    expect(rest).toEqual([]);
    expect(a?.content.version).toBe('1.3');
    expect(validateCard(a?.content)).toEqual([]);
    return JSON.stringify(a?.content);
  };

  it('answers a card that says why for an unknown record, another account, a page that is not a record', async () => {
    const cases = [
      [
        `${HOST}/app/common/entity/custjob.nl?id=999999`,
        'NetSuite has no customer with id 999999, or Mailroom’s NetSuite role cannot see it',
      ],
      [
        'https://other-account.app.netsuite.com/app/common/entity/custjob.nl?id=101',
        'This link is to the NetSuite account OTHER-ACCOUNT. Mailroom is connected to TSTDRV1234567',
      ],
      [`${HOST}/app/center/card.nl?sc=-29`, 'This NetSuite page is not a record Mailroom can show'],
      [`${HOST}/app/crm/common/crmmessage.nl?id=12`, 'This is an email saved in NetSuite'],
      ['not a link at all', 'Mailroom reads only links to its NetSuite account'],
    ] as const;
    for (const [url, words] of cases) {
      const res = await h.send(unfurl(url));
      expect(res.status, url).toBe(200);
      expect(composeResult(res.body).type, url).toBe('result');
      const text = noticeOf(res.body);
      expect(text, url).toContain('Mailroom can’t show this NetSuite link');
      expect(text, url).toContain(words);
      // The record's data is never shown for a link it is not ours to read.
      expect(text, url).not.toContain('Fabrikam');
    }
  });

  it('says NetSuite was too slow, within the time Teams allows, when it does not answer in time', async () => {
    h.sandbox.netsuite.setLatency(6_000);
    try {
      const { value: res, ms } = await timed(h.send(unfurl(`${HOST}/app/common/entity/custjob.nl?id=102`)));
      expect(ms).toBeLessThan(TEAMS_LIMIT_MS);
      expect(noticeOf(res.body)).toContain('NetSuite did not answer within the few seconds Teams allows');
    } finally {
      h.sandbox.netsuite.setLatency(0);
    }
  });
});
