import type { DirectoryUser, MailAttachment, MailMessage, MailService } from '../core/ports.js';
import type { Logger } from '../log.js';
import { type Clock, createAppTokenProvider, type FetchFn } from './app-token-provider.js';
import { GraphGetBatcher } from './graph-batch.js';
import { createGraphCaller, type GraphCaller } from './graph-caller.js';
import { addCategory, MasterListAccess } from './graph-categories.js';
import { type DeltaPage, type DeltaPageOptions, deltaPage } from './graph-delta.js';
import { isGraphStatus } from './graph-failure.js';
import { listMailFolders, type MailFolder, type WellKnownFolder, WellKnownFolderIds } from './graph-folders.js';
import { isGroupMember } from './graph-member-of.js';
import { graphSegment } from './graph-path.js';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  reauthorizeSubscription,
  renewSubscription,
} from './graph-subscriptions.js';
import { listTeamRoster, type TeamRoster } from './graph-team-owners.js';
import { MESSAGE_FIELDS, toMailMessage } from './to-mail-message.js';

export interface MailServiceOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** GRAPH_BASE_URL, version included. */
  baseUrl: string;
  /** AUTHORITY_HOST. */
  authorityHost: string;
  fetch?: FetchFn;
  log: Logger;
  clock?: Clock;
  /** Retries of 429/503/504 (default 3), each after Graph's Retry-After. */
  maxRetries?: number;
}

/** MailService plus the calls delta catch-up needs. */
export interface GraphMailService extends MailService {
  /** Every folder catch-up covers: all but Deleted Items, Junk Email, Drafts and `exclude`, with their subfolders. */
  listMailFolders(userId: string, exclude: readonly WellKnownFolder[]): Promise<MailFolder[]>;
  deltaPage(userId: string, folderId: string, opts: DeltaPageOptions): Promise<DeltaPage>;
  /**
   * A team's people and owners by AAD object id, by its AAD group id: its owners are Mailroom admins besides
   * MAILROOM_ADMINS, and its people reach the mail of the mailboxes whose cards go to it.
   */
  listTeamRoster(aadGroupId: string): Promise<TeamRoster>;
  /** Whether a user is in a group, directly or nested: MAILROOM_ADMIN_GROUP_ID's members are Mailroom admins. */
  isGroupMember(userId: string, groupId: string): Promise<boolean>;
}

const USER_FIELDS = 'id,displayName,mail,userPrincipalName';

function toUser(json: Record<string, unknown>): DirectoryUser {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    id: s(json.id),
    displayName: s(json.displayName),
    mail: s(json.mail),
    userPrincipalName: s(json.userPrincipalName),
  };
}

/** Null when Graph answers 404 (the mapped error keeps the GraphError as its cause). */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof Error && isGraphStatus(err.cause, 404)) return null;
    throw err;
  }
}

function findUser(graph: GraphCaller, addressOrId: string): Promise<DirectoryUser | null> {
  return graph.run('user', `Look up ${addressOrId}`, async () => {
    const byKey = await orNullRaw(
      graph
        .api(`/users/${graphSegment(addressOrId)}`)
        .select(USER_FIELDS)
        .get(),
    );
    if (byKey) return toUser(byKey);
    if (!addressOrId.includes('@')) return null;
    // A mailbox's address can differ from its UPN; look it up by mail too.
    const literal = addressOrId.replace(/'/g, "''");
    const found = (await graph.api('/users').filter(`mail eq '${literal}'`).select(USER_FIELDS).get()) as {
      value?: Record<string, unknown>[];
    };
    const first = found.value?.[0];
    return first ? toUser(first) : null;
  });
}

async function orNullRaw(p: Promise<Record<string, unknown>>): Promise<Record<string, unknown> | null> {
  try {
    return await p;
  } catch (err) {
    if (isGraphStatus(err, 404)) return null;
    throw err;
  }
}

/**
 * The Graph adapter: app-only, at a configurable base URL (the sandbox emulator in development and tests).
 * Every request carries `Prefer: IdType="ImmutableId"` and a client-request-id; 429/503/504 are retried by the
 * library's RetryHandler after Retry-After; failures become MailroomErrors with remedies.
 */
export function createMailService(opts: MailServiceOptions): GraphMailService {
  const doFetch = opts.fetch ?? fetch;
  const clock = opts.clock ?? (() => new Date());
  const tokens = createAppTokenProvider({
    tenantId: opts.tenantId,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    authorityHost: opts.authorityHost,
    fetch: doFetch,
    clock,
  });
  const graph = createGraphCaller({
    baseUrl: opts.baseUrl,
    tokens,
    fetch: doFetch,
    log: opts.log,
    clock,
    ...(opts.maxRetries === undefined ? {} : { maxRetries: opts.maxRetries }),
  });
  // G24: message reads started together go to Graph as one JSON batch.
  const reads = new GraphGetBatcher({
    single: (path) => graph.api(path).get(),
    batch: (body) => graph.api('/$batch').post(body),
    ...(opts.maxRetries === undefined ? {} : { maxRetries: opts.maxRetries }),
    clock,
  });
  const masterLists = new MasterListAccess(() => clock().getTime());
  const wellKnown = new WellKnownFolderIds();
  const user = (id: string) => `/users/${graphSegment(id)}`;
  const message = (u: string, m: string) => `${user(u)}/messages/${graphSegment(m)}`;

  return {
    findUser: (addressOrId) => findUser(graph, addressOrId),
    async getMailboxPurpose(userId) {
      // v1.0 answers {"value":"shared"}; https://learn.microsoft.com/graph/api/user-get-mailboxsettings
      const json = (await graph.run('user', `Read the mailbox kind of ${userId}`, () =>
        graph.api(`${user(userId)}/mailboxSettings/userPurpose`).get(),
      )) as { value?: unknown };
      const v = json.value;
      if (typeof v === 'string') return v;
      const nested = (v as { value?: unknown } | undefined)?.value;
      return typeof nested === 'string' ? nested : 'unknown';
    },
    getMessage(userId, messageId, o) {
      const fields: string[] = [...MESSAGE_FIELDS];
      if (o?.withBody) fields.push('body');
      const path = `${message(userId, messageId)}?$select=${fields.join(',')}`;
      return orNull(
        graph.run('message', `Read message ${messageId}`, async () =>
          toMailMessage((await reads.get(path)) as Record<string, unknown>),
        ),
      ) as Promise<MailMessage | null>;
    },
    async listAttachments(userId, messageId) {
      const out: MailAttachment[] = [];
      let link: string | undefined = `${message(userId, messageId)}/attachments`;
      while (link) {
        const current: string = link;
        const page = (await graph.run('message', `List the attachments of ${messageId}`, () =>
          graph.api(current).get(),
        )) as { value?: Record<string, unknown>[]; '@odata.nextLink'?: string };
        for (const a of page.value ?? []) {
          const att: MailAttachment = {
            id: String(a.id ?? ''),
            name: String(a.name ?? ''),
            contentType: String(a.contentType ?? 'application/octet-stream'),
            size: Number(a.size ?? 0),
          };
          if (a['@odata.type'] === '#microsoft.graph.fileAttachment' && typeof a.contentBytes === 'string') {
            att.contentBytes = a.contentBytes;
          }
          out.push(att);
        }
        link = page['@odata.nextLink'];
      }
      return out;
    },
    createSubscription: (input) => createSubscription(graph, input),
    getSubscription: (id) => getSubscription(graph, id),
    renewSubscription: (id) => renewSubscription(graph, id),
    reauthorizeSubscription: (id) => reauthorizeSubscription(graph, id),
    deleteSubscription: (id) => deleteSubscription(graph, id),
    addCategory: (userId, messageId, name) => addCategory(graph, { userId, messageId, name }, masterLists, opts.log),
    listMailFolders: (userId, exclude) => listMailFolders(graph, wellKnown, userId, exclude),
    deltaPage: (userId, folderId, o) => deltaPage(graph, userId, folderId, o),
    listTeamRoster: (aadGroupId) => listTeamRoster(graph, aadGroupId),
    isGroupMember: (userId, groupId) => isGroupMember(graph, userId, groupId),
  };
}
