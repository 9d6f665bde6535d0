import { describe, expect, it } from 'vitest';
import { accountUiHost, parseRecordLink } from '../../../../bot/src/teams/message-extension/record-link.js';

const hosts = [accountUiHost('TSTDRV1234567_SB1')];
const base = 'https://tstdrv1234567-sb1.app.netsuite.com';

describe('parseRecordLink', () => {
  it('reads the record type and id of each NetSuite record page', () => {
    expect(parseRecordLink(`${base}/app/common/entity/custjob.nl?id=101`, hosts)).toEqual({
      type: 'customer',
      id: '101',
    });
    expect(parseRecordLink(`${base}/app/common/entity/contact.nl?id=201&whence=`, hosts)).toEqual({
      type: 'contact',
      id: '201',
    });
    expect(parseRecordLink(`${base}/app/crm/support/supportcase.nl?id=5`, hosts)?.type).toBe('supportcase');
    expect(parseRecordLink(`${base}/app/accounting/transactions/opprtnty.nl?id=6`, hosts)?.type).toBe('opportunity');
    expect(parseRecordLink(`${base}/app/accounting/transactions/salesord.nl?id=7`, hosts)?.type).toBe('transaction');
    expect(parseRecordLink(`${base}/app/accounting/transactions/custinvc.nl?id=8`, hosts)?.type).toBe('transaction');
    expect(parseRecordLink(`${base}/app/crm/common/crmmessage.nl?id=9`, hosts)?.type).toBe('message');
  });

  it('ignores other accounts, other pages, odd ids and things that are not URLs', () => {
    expect(parseRecordLink('https://other.app.netsuite.com/app/common/entity/custjob.nl?id=101', hosts)).toBeNull();
    expect(parseRecordLink(`${base}/app/center/card.nl?sc=-29`, hosts)).toBeNull();
    expect(parseRecordLink(`${base}/app/common/entity/custjob.nl?id=abc`, hosts)).toBeNull();
    expect(parseRecordLink(`${base}/app/common/entity/custjob.nl`, hosts)).toBeNull();
    expect(parseRecordLink('not a url', hosts)).toBeNull();
    expect(parseRecordLink(`javascript:alert(1)//${base}`, hosts)).toBeNull();
  });
});
