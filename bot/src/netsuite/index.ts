import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { MailroomError } from '../core/errors.js';
import type { RecordService, RecordType } from '../core/ports.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { Authorizer, Clock, FetchFn } from './authorizer.js';
import { NetSuiteClient } from './client.js';
import { DbGovernor } from './governor.js';
import { M2MTokenProvider } from './m2m-token-provider.js';
import { missingSettingsRemedy, NotConfiguredRecordService, notConnectedRemedy } from './not-configured.js';
import { netsuiteUiBaseUrl } from './record-links.js';
import { NetSuiteRecordService, type RecordSummary } from './record-service.js';
import type { RetryOptions } from './retry.js';
import { TbaSigner } from './tba-signer.js';

export { NetSuiteClient } from './client.js';
export { externalIdFor } from './external-id.js';
export { type ConcurrencyGovernor, DbGovernor, LocalGovernor } from './governor.js';
export { M2MTokenProvider } from './m2m-token-provider.js';
export { recordUrl } from './record-links.js';
export type { RecordSummary } from './record-service.js';
export { TbaSigner } from './tba-signer.js';

/** The record service plus what link unfurling needs. */
export interface NetSuiteRecords extends RecordService {
  getRecordSummary(type: RecordType, id: string): Promise<RecordSummary>;
}

export interface RecordServiceDeps {
  db: Db;
  fetch?: FetchFn;
  log: Logger;
  clock?: Clock;
  /** The NetSuite UI host for deep links; defaults to `https://<acct>.app.netsuite.com` (the sandbox overrides it). */
  uiBaseUrl?: string;
  retry?: RetryOptions & { auth401Retries?: number };
}

export function createAuthorizer(cfg: Config['netsuite'], fetchFn: FetchFn, clock?: Clock): Authorizer | null {
  const auth = cfg.auth;
  if (auth.kind === 'none') return null;
  if (auth.kind === 'tba') {
    return new TbaSigner({ accountId: cfg.accountId, ...auth, ...(clock ? { clock } : {}) });
  }
  let privateKeyPem = auth.privateKey;
  if (privateKeyPem === undefined) {
    try {
      privateKeyPem = readFileSync(auth.privateKeyFile, 'utf8');
    } catch (err) {
      throw new MailroomError('config_invalid', `cannot read NETSUITE_PRIVATE_KEY_FILE ${auth.privateKeyFile}`, {
        cause: err,
        remedy: 'Point NETSUITE_PRIVATE_KEY_FILE at the PEM private key file, readable by Mailroom.',
      });
    }
  }
  return new M2MTokenProvider({
    tokenUrl: `${cfg.baseUrl}/services/rest/auth/oauth2/v1/token`,
    clientId: auth.clientId,
    certificateId: auth.certificateId,
    privateKeyPem,
    fetch: fetchFn,
    ...(clock ? { clock } : {}),
  });
}

/** Wires NetSuite from config with one call; with no credentials it returns a service that says what is missing. */
export function createRecordService(cfg: Config['netsuite'], deps: RecordServiceDeps): NetSuiteRecords {
  const fetchFn = deps.fetch ?? fetch;
  const auth = createAuthorizer(cfg, fetchFn, deps.clock);
  if (!auth) {
    deps.log.warn({ remedy: missingSettingsRemedy(cfg.accountId) }, 'NetSuite is not connected: saving is off');
    return new NotConfiguredRecordService(notConnectedRemedy(cfg.accountId));
  }
  // REST, SuiteQL and RESTlets share the account's one concurrency limit, so both clients share one governor.
  const governor = new DbGovernor(deps.db, { key: `netsuite:${cfg.accountId.toLowerCase()}`, limit: cfg.concurrency });
  const clientAt = (baseUrl: string) =>
    new NetSuiteClient({
      baseUrl,
      auth,
      fetch: fetchFn,
      governor,
      log: deps.log.child({ component: 'netsuite' }),
      ...(deps.clock ? { clock: deps.clock } : {}),
      ...(deps.retry ? { retry: deps.retry } : {}),
    });
  return new NetSuiteRecordService(clientAt(cfg.baseUrl), {
    uiBaseUrl: deps.uiBaseUrl ?? netsuiteUiBaseUrl(cfg.accountId),
    restlet: {
      client: clientAt(cfg.restlet.baseUrl),
      target: { scriptId: cfg.restlet.scriptId, deployId: cfg.restlet.deployId, folderId: cfg.folderId },
    },
    log: deps.log,
  });
}
