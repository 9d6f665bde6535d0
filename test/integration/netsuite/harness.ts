import pino from 'pino';
import { RESTLET_DEPLOY_ID, RESTLET_SCRIPT_ID } from '../../../bot/src/config.js';
import type { Authorizer } from '../../../bot/src/netsuite/authorizer.js';
import { NetSuiteClient } from '../../../bot/src/netsuite/client.js';
import { LocalGovernor } from '../../../bot/src/netsuite/governor.js';
import { M2MTokenProvider } from '../../../bot/src/netsuite/m2m-token-provider.js';
import { NetSuiteRecordService } from '../../../bot/src/netsuite/record-service.js';
import {
  type NetSuiteEmulator,
  type NetSuiteEmulatorOptions,
  sandboxNetSuiteCredentials,
  startNetSuiteEmulator,
} from '../../../bot/src/sandbox/netsuite-emulator/index.js';

export const creds = sandboxNetSuiteCredentials();
export const silent = pino({ level: 'silent' });

export function startEmulator(over: Partial<NetSuiteEmulatorOptions> = {}): Promise<NetSuiteEmulator> {
  return startNetSuiteEmulator({
    accountId: creds.accountId,
    m2m: { clientId: creds.m2m.clientId, certificateId: creds.m2m.certificateId, publicKeyPem: creds.m2m.publicKeyPem },
    tba: creds.tba,
    ...over,
  });
}

export function m2mAuth(url: string, over: Partial<{ privateKeyPem: string; certificateId: string }> = {}): Authorizer {
  return new M2MTokenProvider({
    tokenUrl: `${url}/services/rest/auth/oauth2/v1/token`,
    clientId: creds.m2m.clientId,
    certificateId: over.certificateId ?? creds.m2m.certificateId,
    privateKeyPem: over.privateKeyPem ?? creds.m2m.privateKeyPem,
    fetch,
  });
}

export function clientFor(url: string, opts: { auth?: Authorizer; limit?: number } = {}): NetSuiteClient {
  return new NetSuiteClient({
    baseUrl: url,
    auth: opts.auth ?? m2mAuth(url),
    fetch,
    governor: new LocalGovernor(opts.limit ?? 5),
    log: silent,
    retry: { initialDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_000 },
  });
}

/** The record service against the emulator, which serves REST, SuiteQL and the SuiteApp's RESTlet on one host. */
export function serviceFor(url: string, opts: { folderId?: string; client?: NetSuiteClient } = {}) {
  const client = opts.client ?? clientFor(url);
  return new NetSuiteRecordService(client, {
    uiBaseUrl: url,
    restlet: {
      client,
      target: { scriptId: RESTLET_SCRIPT_ID, deployId: RESTLET_DEPLOY_ID, folderId: opts.folderId ?? '' },
    },
    log: silent,
  });
}
