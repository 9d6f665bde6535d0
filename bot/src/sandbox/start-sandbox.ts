import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { type GraphEmulator, startGraphEmulator } from './graph-emulator/index.js';
import { graphSeed, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_TENANT_ID } from './graph-seed.js';
import { issueDemoLicense } from './license-keys.js';
import { type NetSuiteEmulator, sandboxNetSuiteCredentials, startNetSuiteEmulator } from './netsuite-emulator/index.js';
import { netsuiteSeed } from './netsuite-seed.js';
import { SANDBOX_DEFAULT_ADMIN } from './people.js';

/** The tab's client id in the sandbox: tokens from the local issuer carry it as their audience. */
export const SANDBOX_TAB_CLIENT_ID = '00000000-0000-4000-8000-0000000074ab';

export interface Sandbox {
  /** The config with Graph, NetSuite, the license and the tab pointed at the local emulators. */
  config: Config;
  graph: GraphEmulator;
  netsuite: NetSuiteEmulator;
  netsuiteUiBaseUrl: string;
  tenantId: string;
  close(): Promise<void>;
}

export interface SandboxPorts {
  graph: number;
  netsuite: number;
}

/**
 * Where the emulators keep their state across restarts: beside the SQLite file (so removing ./data resets both
 * together), or ./data with PostgreSQL. An in-memory database keeps nothing on disk.
 */
export function sandboxStateDir(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return 'data';
  const file = databaseUrl.slice('sqlite:'.length);
  return file === '' || file === ':memory:' ? null : dirname(file);
}

/**
 * Starts the local emulators of Graph and NetSuite on loopback and rewrites the config to use them, with real
 * wire protocols: client-credential tokens, subscriptions with the validation handshake, SuiteQL, M2M JWTs.
 */
export async function startSandbox(
  config: Config,
  log: Logger,
  ports: SandboxPorts,
  opts: { stateDir?: string | null } = {},
): Promise<Sandbox> {
  const dir = opts.stateDir ?? null;
  // The sandbox's tenant, unless BOT_TENANT_ID names another (tests whose Teams fixtures carry their own tenant).
  const tenantId = config.tenantId || SANDBOX_TENANT_ID;
  const graph = await startGraphEmulator({
    ...(dir ? { stateFile: join(dir, 'sandbox-graph.json') } : {}),
    port: ports.graph,
    host: '127.0.0.1',
    tenantId,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    seed: { ...graphSeed, tenantId },
  });
  const creds = sandboxNetSuiteCredentials();
  const netsuite = await startNetSuiteEmulator({
    ...(dir ? { stateFile: join(dir, 'sandbox-netsuite.json') } : {}),
    port: ports.netsuite,
    host: '127.0.0.1',
    accountId: creds.accountId,
    m2m: { clientId: creds.m2m.clientId, certificateId: creds.m2m.certificateId, publicKeyPem: creds.m2m.publicKeyPem },
    concurrencyLimit: 5,
    seed: netsuiteSeed(),
    sandboxAdmin: true,
  });
  const license = config.license.key
    ? config.license
    : await issueDemoLicense(tenantId).then((l) => ({ key: l.key, publicKey: l.publicKeyPem }));
  log.info({ graph: graph.url, netsuite: netsuite.url }, 'sandbox emulators started');
  for (const problem of [graph.stateProblem, netsuite.stateProblem]) if (problem) log.warn(problem);
  if (graph.restored || netsuite.restored) {
    log.info(
      { dir, emails: graph.restored?.messages ?? 0, subscriptions: graph.restored?.subscriptions ?? 0 },
      'sandbox state restored: the mailboxes, their subscriptions and the NetSuite records are as they were',
    );
  }

  const sandboxConfig: Config = {
    ...config,
    publicUrl: config.publicUrl ?? `http://127.0.0.1:${config.port}`,
    tenantId,
    // Only a listed admin may watch a shared mailbox: with no admins configured, Adele is one.
    admins: config.admins.length > 0 || config.adminGroupId ? config.admins : [SANDBOX_DEFAULT_ADMIN.oid],
    graph: {
      tenantId,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      baseUrl: graph.graphBaseUrl,
      authorityHost: graph.authorityHost,
    },
    netsuite: {
      ...config.netsuite,
      accountId: creds.accountId,
      baseUrl: netsuite.url,
      auth: {
        kind: 'm2m',
        clientId: creds.m2m.clientId,
        certificateId: creds.m2m.certificateId,
        privateKey: creds.m2m.privateKeyPem,
        privateKeyFile: '',
      },
      // The emulated account has the SuiteApp deployed: saves go to its RESTlet, files to its own folder.
      folderId: config.netsuite.folderId,
      restlet: { ...config.netsuite.restlet, baseUrl: netsuite.url },
    },
    license,
    tab: { ...config.tab, clientId: config.tab.clientId || SANDBOX_TAB_CLIENT_ID },
  };
  return {
    config: sandboxConfig,
    graph,
    netsuite,
    netsuiteUiBaseUrl: netsuite.url,
    tenantId,
    close: async () => {
      await Promise.all([graph.close(), netsuite.close()]);
    },
  };
}
