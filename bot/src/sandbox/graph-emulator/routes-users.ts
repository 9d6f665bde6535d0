import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SeedUser } from '../graph-seed.js';
import type { EmuContext, Route } from './context.js';
import { graphError, match, type Req, sendJson } from './http.js';
import { selectFields } from './message-json.js';
import { ACCEPTS, permitted } from './permissions.js';
import { bodyAccepted, OUTLOOK_CATEGORY, queryAccepted, USER } from './query-options.js';
import { findUser } from './store.js';

export function userJson(u: SeedUser): Record<string, unknown> {
  const [given, ...rest] = u.displayName.split(' ');
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.purpose === 'user' ? (given ?? null) : null,
    jobTitle: u.jobTitle ?? null,
    mail: u.userPrincipalName,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: u.purpose === 'user' ? rest.join(' ') || null : null,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
  };
}

/** The user behind a mailbox path, answering 404 (unknown) or 403 (no access granted) itself. */
export function mailboxUser(req: Req, res: ServerResponse, ctx: EmuContext, key: string): SeedUser | null {
  const user = findUser(ctx.state, key);
  if (!user) {
    graphError(res, req, 404, 'ErrorInvalidUser', `The requested user '${key}' is invalid.`);
    return null;
  }
  if (ctx.faults.denied.has(user.id)) {
    graphError(res, req, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    return null;
  }
  return user;
}

/** Microsoft Entra's answer for a directory object that is not there (users, and the paths below one). */
export function directoryUserNotFound(req: Req, res: ServerResponse, key: string): true {
  graphError(
    res,
    req,
    404,
    'Request_ResourceNotFound',
    `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
  );
  return true;
}

const base = (ctx: EmuContext) => `${ctx.url()}/v1.0/$metadata`;

/** https://learn.microsoft.com/graph/api/user-list#optional-query-parameters */
const USER_LIST_OPTIONS = ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$top'];

export const usersRoute: Route = (req, res, ctx) => {
  if (req.method === 'GET' && req.path.toLowerCase() === '/v1.0/users') {
    if (!queryAccepted(req, res, USER_LIST_OPTIONS, USER)) return true;
    if (!permitted(req, res, ACCEPTS.userRead, 'directory')) return true;
    // Only the filter Mailroom sends: mail eq '…'
    const f = /^mail eq '(.*)'$/i.exec(req.query.get('$filter') ?? '');
    const wanted = f?.[1]?.replace(/''/g, "'").toLowerCase();
    const found = ctx.state.users.filter((u) => wanted === undefined || u.userPrincipalName.toLowerCase() === wanted);
    const value = found.map((u) => selectFields(userJson(u), req.query.get('$select')));
    sendJson(res, 200, { '@odata.context': `${base(ctx)}#users`, value });
    return true;
  }
  const one = match('/v1.0/users/:user', req.path);
  if (one && req.method === 'GET') {
    if (!queryAccepted(req, res, ['$select', '$expand'], USER)) return true;
    if (!permitted(req, res, ACCEPTS.userRead, 'directory')) return true;
    const user = findUser(ctx.state, one.user ?? '');
    if (!user) return directoryUserNotFound(req, res, one.user ?? '');
    const body = selectFields(userJson(user), req.query.get('$select'));
    sendJson(res, 200, { '@odata.context': `${base(ctx)}#users/$entity`, ...body });
    return true;
  }
  const purpose = match('/v1.0/users/:user/mailboxSettings/userPurpose', req.path);
  if (purpose && req.method === 'GET') {
    if (!queryAccepted(req, res, [])) return true;
    if (!permitted(req, res, ACCEPTS.mailboxSettingsRead, 'outlook')) return true;
    const user = mailboxUser(req, res, ctx, purpose.user ?? '');
    if (!user) return true;
    sendJson(res, 200, {
      '@odata.context': `${base(ctx)}#users('${user.id}')/mailboxSettings/userPurpose`,
      value: user.purpose,
    });
    return true;
  }
  return false;
};

/** Outlook's limit on a category name. https://learn.microsoft.com/javascript/api/outlook/office.categorydetails */
export const MAX_CATEGORY_NAME = 255;
const PRESET = /^(none|preset([0-9]|1[0-9]|2[0-4]))$/i;

/**
 * The mailbox's master category list: reading it needs MailboxSettings.Read, adding to it MailboxSettings.ReadWrite.
 * https://learn.microsoft.com/graph/api/outlookuser-list-mastercategories
 * https://learn.microsoft.com/graph/api/outlookuser-post-mastercategories
 */
export const categoriesRoute: Route = (req, res, ctx) => {
  const m = match('/v1.0/users/:user/outlook/masterCategories', req.path);
  if (!m || (req.method !== 'GET' && req.method !== 'POST')) return false;
  const reading = req.method === 'GET';
  if (!queryAccepted(req, res, reading ? ['$select', '$filter', '$top'] : [], OUTLOOK_CATEGORY)) return true;
  const accepts = reading ? ACCEPTS.masterCategoriesRead : ACCEPTS.masterCategoriesWrite;
  if (!permitted(req, res, accepts, 'outlook')) return true;
  const user = mailboxUser(req, res, ctx, m.user ?? '');
  if (!user) return true;
  const list = ctx.state.masterCategories.get(user.id) ?? [];
  ctx.state.masterCategories.set(user.id, list);
  const context = `${base(ctx)}#users('${user.id}')/outlook/masterCategories`;
  if (reading) {
    sendJson(res, 200, {
      '@odata.context': context,
      value: list.map((c) => selectFields(c, req.query.get('$select'))),
    });
    return true;
  }
  const body = req.json<Record<string, unknown>>();
  if (!body) {
    graphError(res, req, 400, 'ErrorInvalidRequest', 'The request body is not valid JSON.');
    return true;
  }
  if (!bodyAccepted(req, res, body, OUTLOOK_CATEGORY.name, ['displayName', 'color'])) return true;
  const name = typeof body.displayName === 'string' ? body.displayName : '';
  const color = typeof body.color === 'string' ? body.color : 'none';
  if (!name.trim()) {
    graphError(res, req, 400, 'ErrorInvalidRequest', 'displayName is required.');
  } else if (name.length > MAX_CATEGORY_NAME) {
    graphError(
      res,
      req,
      400,
      'ErrorInvalidArgument',
      `The displayName is longer than ${MAX_CATEGORY_NAME} characters.`,
    );
  } else if (!PRESET.test(color)) {
    graphError(res, req, 400, 'ErrorInvalidArgument', `'${color}' is not a valid categoryColor.`);
  } else if (list.some((c) => c.displayName.toLowerCase() === name.toLowerCase())) {
    graphError(res, req, 409, 'ErrorDuplicateCategory', `A category named '${name}' already exists.`);
  } else {
    const category = { id: randomUUID(), displayName: name, color };
    list.push(category);
    sendJson(res, 201, { '@odata.context': `${context}/$entity`, ...category });
  }
  return true;
};
