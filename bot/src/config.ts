import { z } from 'zod';
import { WELL_KNOWN_FOLDERS, type WellKnownFolder } from './mail/graph-folders.js';

/** The SuiteApp's RESTlet, as `suiteapp/src/Objects/customscript_mailroom_save.xml` deploys it. */
export const RESTLET_SCRIPT_ID = 'customscript_mailroom_save';
export const RESTLET_DEPLOY_ID = 'customdeploy_mailroom_save';

/** "archive, Outbox" → ['archive', 'outbox']; unset or blank → []. */
const wordList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(/[,;\s]+/)
        .map((n) => n.trim().toLowerCase())
        .filter((n) => n !== '')
    : (v ?? []);

const wellKnownFolder = z.enum(WELL_KNOWN_FOLDERS, {
  errorMap: (_issue, ctx) => ({
    message: `${JSON.stringify(ctx.data)} is not one of Graph's well-known folder names: ${WELL_KNOWN_FOLDERS.join(', ')}`,
  }),
});

/** A value that is set and not blank. */
const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  PUBLIC_URL: z.string().optional(),
  DATABASE_URL: z.string().default('sqlite:./data/mailroom.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  BOT_ID: z.string().default(''),
  BOT_PASSWORD: z.string().default(''),
  BOT_TENANT_ID: z.string().default(''),
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /** Test hooks: where the Bot Framework's signing keys are published, and who issues its tokens. */
  BOT_OPENID_METADATA: z.string().optional(),
  BOT_TOKEN_ISSUER: z.string().optional(),

  GRAPH_TENANT_ID: z.string().default(''),
  GRAPH_CLIENT_ID: z.string().default(''),
  GRAPH_CLIENT_SECRET: z.string().default(''),
  GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com/v1.0'),
  AUTHORITY_HOST: z.string().url().default('https://login.microsoftonline.com'),

  NETSUITE_ACCOUNT_ID: z.string().default(''),
  NETSUITE_BASE_URL: z.string().optional(),
  NETSUITE_CLIENT_ID: z.string().default(''),
  NETSUITE_CERTIFICATE_ID: z.string().default(''),
  NETSUITE_PRIVATE_KEY: z.string().default(''),
  NETSUITE_PRIVATE_KEY_FILE: z.string().default(''),
  NETSUITE_CONSUMER_KEY: z.string().default(''),
  NETSUITE_CONSUMER_SECRET: z.string().default(''),
  NETSUITE_TOKEN_ID: z.string().default(''),
  NETSUITE_TOKEN_SECRET: z.string().default(''),
  NETSUITE_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  NETSUITE_FOLDER_ID: z.string().default(''),
  /** The Mailroom SuiteApp's save RESTlet: its script and deployment ids (suiteapp/src/Objects) and its host. */
  NETSUITE_RESTLET_SCRIPT: z.string().default(RESTLET_SCRIPT_ID),
  NETSUITE_RESTLET_DEPLOY: z.string().default(RESTLET_DEPLOY_ID),
  NETSUITE_RESTLET_URL: z.string().optional(),

  MAILROOM_ADMINS: z.string().default(''),
  MAILROOM_ADMIN_GROUP_ID: z.string().default(''),
  LICENSE_KEY: z.string().default(''),
  LICENSE_PUBLIC_KEY: z.string().default(''),

  TAB_CLIENT_ID: z.string().default(''),
  TAB_OPENID_METADATA_URL: z.string().default(''),

  CATCHUP_INTERVAL_MINUTES: z.coerce.number().min(1).default(15),
  /** Well-known folder names catch-up leaves out, besides Deleted Items, Junk Email and Drafts: "archive,outbox". */
  CATCHUP_EXCLUDE_FOLDERS: z.preprocess(wordList, z.array(wellKnownFolder)),
  /**
   * Where the job worker runs: `thread` (default) on a worker thread of its own, so acknowledgements never wait
   * behind jobs; `inline` on the HTTP server's event loop; `off` not here at all (another replica runs it).
   */
  WORKER_MODE: z.enum(['thread', 'inline', 'off']).default('thread'),
  /** Days the audit trail keeps a row; older rows are pruned by the retention pass. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  /** Force the sandbox even when credentials are present (or off, with "false"). */
  SANDBOX: z.enum(['true', 'false', '']).default(''),
});

export type NetSuiteAuth =
  | { kind: 'm2m'; clientId: string; certificateId: string; privateKey: string | undefined; privateKeyFile: string }
  | { kind: 'tba'; consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string }
  | { kind: 'none' };

export interface Config {
  port: number;
  publicUrl: string | undefined;
  databaseUrl: string;
  logLevel: string;
  sandbox: boolean;
  /**
   * The one Entra tenant this deployment serves (a GUID, lower-cased): GRAPH_TENANT_ID, whose mail it reads, or
   * BOT_TENANT_ID when Graph is not configured (the sandbox). Activities, invokes and tab tokens from any other
   * tenant are refused.
   */
  tenantId: string;
  bot: {
    appId: string;
    password: string;
    tenantId: string;
    type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    openIdMetadata: string | undefined;
    tokenIssuer: string | undefined;
  };
  graph: { tenantId: string; clientId: string; clientSecret: string; baseUrl: string; authorityHost: string };
  netsuite: {
    accountId: string;
    baseUrl: string;
    auth: NetSuiteAuth;
    concurrency: number;
    folderId: string;
    /** The save RESTlet: `https://<acct>.restlets.api.netsuite.com` (or the emulator) and its ids. */
    restlet: { baseUrl: string; scriptId: string; deployId: string };
  };
  admins: string[];
  /** MAILROOM_ADMIN_GROUP_ID: an Entra group whose members (direct or nested) are Mailroom admins; '' for none. */
  adminGroupId: string;
  license: { key: string; publicKey: string };
  tab: { clientId: string; openIdMetadataUrl: string };
  catchupIntervalMinutes: number;
  catchupExcludeFolders: WellKnownFolder[];
  auditRetentionDays: number;
  workerMode: 'thread' | 'inline' | 'off';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Mailroom cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * `123456_SB1` → `https://123456-sb1.restlets.api.netsuite.com`: RESTlets have their own domain.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4628875570.html
 */
export function netsuiteRestletBaseUrl(accountId: string): string {
  return `https://${accountId.toLowerCase().replace(/_/g, '-')}.restlets.api.netsuite.com`;
}

/** `123456_SB1` → `https://123456-sb1.suitetalk.api.netsuite.com`. */
export function netsuiteBaseUrl(accountId: string): string {
  return `https://${accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;
}

function checkPublicUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (!present(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(
      `PUBLIC_URL "${raw}" is not a URL. Set it to the HTTPS base Graph can reach, e.g. https://mailroom.example.com`,
    );
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    problems.push(`PUBLIC_URL must use https:// (plain http is allowed only for localhost or 127.0.0.1); got ${raw}`);
  }
  return raw.replace(/\/+$/, '');
}

/** Reads the environment once. Every problem is reported together, each naming its variable and its fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const publicUrl = checkPublicUrl(e.PUBLIC_URL, problems);

  const graphSet = [e.GRAPH_TENANT_ID, e.GRAPH_CLIENT_ID, e.GRAPH_CLIENT_SECRET].filter(present).length;
  if (graphSet > 0 && graphSet < 3) {
    for (const [name, value] of [
      ['GRAPH_TENANT_ID', e.GRAPH_TENANT_ID],
      ['GRAPH_CLIENT_ID', e.GRAPH_CLIENT_ID],
      ['GRAPH_CLIENT_SECRET', e.GRAPH_CLIENT_SECRET],
    ] as const) {
      if (!present(value)) {
        problems.push(
          `${name} is missing: Graph needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET together (from the Entra app registration), or none of them for the sandbox`,
        );
      }
    }
  }
  const sandbox = e.SANDBOX === 'true' || (e.SANDBOX === '' && graphSet === 0);
  if (!sandbox && !publicUrl) {
    problems.push('PUBLIC_URL is missing: Graph must be able to call Mailroom back. Set it to the https:// base URL');
  }
  if (present(e.BOT_ID) && !present(e.BOT_PASSWORD) && e.BOT_TYPE !== 'UserAssignedMSI') {
    problems.push(
      'BOT_PASSWORD is missing: set the client secret of the bot app BOT_ID, or clear BOT_ID to run without auth',
    );
  }
  if (e.BOT_TYPE === 'SingleTenant' && present(e.BOT_ID) && !present(e.BOT_TENANT_ID)) {
    problems.push('BOT_TENANT_ID is missing: a SingleTenant bot needs its tenant id');
  }

  const m2mSet = [
    e.NETSUITE_CLIENT_ID,
    e.NETSUITE_CERTIFICATE_ID,
    e.NETSUITE_PRIVATE_KEY || e.NETSUITE_PRIVATE_KEY_FILE,
  ];
  const tbaSet = [e.NETSUITE_CONSUMER_KEY, e.NETSUITE_CONSUMER_SECRET, e.NETSUITE_TOKEN_ID, e.NETSUITE_TOKEN_SECRET];
  let auth: NetSuiteAuth = { kind: 'none' };
  if (m2mSet.every((v) => present(v))) {
    auth = {
      kind: 'm2m',
      clientId: e.NETSUITE_CLIENT_ID,
      certificateId: e.NETSUITE_CERTIFICATE_ID,
      privateKey: present(e.NETSUITE_PRIVATE_KEY) ? e.NETSUITE_PRIVATE_KEY.replace(/\\n/g, '\n') : undefined,
      privateKeyFile: e.NETSUITE_PRIVATE_KEY_FILE,
    };
  } else if (tbaSet.every((v) => present(v))) {
    auth = {
      kind: 'tba',
      consumerKey: e.NETSUITE_CONSUMER_KEY,
      consumerSecret: e.NETSUITE_CONSUMER_SECRET,
      tokenId: e.NETSUITE_TOKEN_ID,
      tokenSecret: e.NETSUITE_TOKEN_SECRET,
    };
  } else if (m2mSet.some((v) => present(v))) {
    problems.push(
      'NetSuite M2M settings are incomplete: set NETSUITE_CLIENT_ID, NETSUITE_CERTIFICATE_ID and NETSUITE_PRIVATE_KEY (or NETSUITE_PRIVATE_KEY_FILE) together',
    );
  } else if (tbaSet.some((v) => present(v))) {
    problems.push(
      'NetSuite TBA settings are incomplete: set NETSUITE_CONSUMER_KEY, NETSUITE_CONSUMER_SECRET, NETSUITE_TOKEN_ID and NETSUITE_TOKEN_SECRET together',
    );
  }
  if (auth.kind !== 'none' && !present(e.NETSUITE_ACCOUNT_ID)) {
    problems.push('NETSUITE_ACCOUNT_ID is missing: set the NetSuite account id (e.g. 1234567 or 1234567_SB1)');
  }
  if (present(e.NETSUITE_BASE_URL)) {
    try {
      new URL(e.NETSUITE_BASE_URL);
    } catch {
      problems.push(`NETSUITE_BASE_URL "${e.NETSUITE_BASE_URL}" is not a URL`);
    }
  }
  if (present(e.NETSUITE_RESTLET_URL) && !URL.canParse(e.NETSUITE_RESTLET_URL)) {
    problems.push(
      `NETSUITE_RESTLET_URL "${e.NETSUITE_RESTLET_URL}" is not a URL: leave it empty for https://<account>.restlets.api.netsuite.com`,
    );
  }
  const restletScript = present(e.NETSUITE_RESTLET_SCRIPT) ? e.NETSUITE_RESTLET_SCRIPT.trim() : RESTLET_SCRIPT_ID;
  const restletDeploy = present(e.NETSUITE_RESTLET_DEPLOY) ? e.NETSUITE_RESTLET_DEPLOY.trim() : RESTLET_DEPLOY_ID;
  for (const [name, value, prefix] of [
    ['NETSUITE_RESTLET_SCRIPT', restletScript, 'customscript'],
    ['NETSUITE_RESTLET_DEPLOY', restletDeploy, 'customdeploy'],
  ] as const) {
    if (!/^\d+$/.test(value) && !new RegExp(`^${prefix}[a-z0-9_]{1,40}$`).test(value)) {
      problems.push(
        `${name} "${value}" is neither an internal id nor a ${prefix}… id: copy the ID from the Mailroom script's deployment in NetSuite (Customization > Scripting > Script Deployments), or leave it empty`,
      );
    }
  }
  const tenantId = (present(e.GRAPH_TENANT_ID) ? e.GRAPH_TENANT_ID : e.BOT_TENANT_ID).trim().toLowerCase();
  if (tenantId !== '' && !GUID.test(tenantId)) {
    const name = present(e.GRAPH_TENANT_ID) ? 'GRAPH_TENANT_ID' : 'BOT_TENANT_ID';
    problems.push(
      `${name} "${tenantId}" is not a tenant id: set the Directory (tenant) ID GUID from the Entra admin center (Overview), not a domain name. Mailroom compares it with the tenant id Teams sends`,
    );
  }
  const admins = e.MAILROOM_ADMINS.split(/[,;\s]+/)
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');
  for (const a of admins.filter((x) => !GUID.test(x))) {
    problems.push(
      `MAILROOM_ADMINS "${a}" is not an Entra object id: Mailroom knows people by object id, never by name or UPN. Find it in the Entra admin center under Users > the person > Object ID`,
    );
  }
  const adminGroupId = e.MAILROOM_ADMIN_GROUP_ID.trim().toLowerCase();
  if (adminGroupId !== '' && !GUID.test(adminGroupId)) {
    problems.push(
      `MAILROOM_ADMIN_GROUP_ID "${adminGroupId}" is not a group's object id: set the Object ID from the Entra admin center under Groups > the group > Overview`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    sandbox,
    tenantId,
    bot: {
      appId: e.BOT_ID,
      password: e.BOT_PASSWORD,
      tenantId: e.BOT_TENANT_ID,
      type: e.BOT_TYPE,
      openIdMetadata: e.BOT_OPENID_METADATA,
      tokenIssuer: e.BOT_TOKEN_ISSUER,
    },
    graph: {
      tenantId: e.GRAPH_TENANT_ID,
      clientId: e.GRAPH_CLIENT_ID,
      clientSecret: e.GRAPH_CLIENT_SECRET,
      baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''),
      authorityHost: e.AUTHORITY_HOST.replace(/\/+$/, ''),
    },
    netsuite: {
      accountId: e.NETSUITE_ACCOUNT_ID,
      baseUrl: (present(e.NETSUITE_BASE_URL)
        ? e.NETSUITE_BASE_URL
        : netsuiteBaseUrl(e.NETSUITE_ACCOUNT_ID || 'unset')
      ).replace(/\/+$/, ''),
      auth,
      concurrency: e.NETSUITE_CONCURRENCY,
      folderId: e.NETSUITE_FOLDER_ID,
      restlet: {
        baseUrl: (present(e.NETSUITE_RESTLET_URL)
          ? e.NETSUITE_RESTLET_URL
          : netsuiteRestletBaseUrl(e.NETSUITE_ACCOUNT_ID || 'unset')
        ).replace(/\/+$/, ''),
        scriptId: restletScript,
        deployId: restletDeploy,
      },
    },
    admins,
    adminGroupId,
    license: { key: e.LICENSE_KEY, publicKey: e.LICENSE_PUBLIC_KEY.replace(/\\n/g, '\n') },
    tab: { clientId: e.TAB_CLIENT_ID, openIdMetadataUrl: e.TAB_OPENID_METADATA_URL },
    catchupIntervalMinutes: e.CATCHUP_INTERVAL_MINUTES,
    catchupExcludeFolders: e.CATCHUP_EXCLUDE_FOLDERS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    workerMode: e.WORKER_MODE,
  };
}
