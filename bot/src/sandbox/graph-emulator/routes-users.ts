import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SeedUser } from '../graph-seed.js';
import type { EmuContext, Route } from './context.js';
import { graphError, match, type Req, sendJson } from './http.js';
import { selectFields } from './message-json.js';
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

const base = (ctx: EmuContext) => `${ctx.url()}/v1.0/$metadata`;

export const usersRoute: Route = (req, res, ctx) => {
  if (req.method === 'GET' && req.path.toLowerCase() === '/v1.0/users') {
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
    const user = findUser(ctx.state, one.user ?? '');
    if (!user) {
      graphError(
        res,
        req,
        404,
        'Request_ResourceNotFound',
        `Resource '${one.user}' does not exist or one of its queried reference-property objects are not present.`,
      );
      return true;
    }
    const body = selectFields(userJson(user), req.query.get('$select'));
    sendJson(res, 200, { '@odata.context': `${base(ctx)}#users/$entity`, ...body });
    return true;
  }
  const purpose = match('/v1.0/users/:user/mailboxSettings/userPurpose', req.path);
  if (purpose && req.method === 'GET') {
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

/** https://learn.microsoft.com/graph/api/outlookuser-list-mastercategories */
export const categoriesRoute: Route = (req, res, ctx) => {
  const m = match('/v1.0/users/:user/outlook/masterCategories', req.path);
  if (!m) return false;
  const user = mailboxUser(req, res, ctx, m.user ?? '');
  if (!user) return true;
  const list = ctx.state.masterCategories.get(user.id) ?? [];
  ctx.state.masterCategories.set(user.id, list);
  if (req.method === 'GET') {
    sendJson(res, 200, { '@odata.context': `${base(ctx)}#users('${user.id}')/outlook/masterCategories`, value: list });
    return true;
  }
  if (req.method === 'POST') {
    const body = req.json<{ displayName?: unknown; color?: unknown }>();
    const name = typeof body?.displayName === 'string' ? body.displayName : '';
    if (!name) {
      graphError(res, req, 400, 'ErrorInvalidRequest', 'displayName is required.');
    } else if (list.some((c) => c.displayName.toLowerCase() === name.toLowerCase())) {
      graphError(res, req, 409, 'ErrorDuplicateCategory', `A category named '${name}' already exists.`);
    } else {
      const category = {
        id: randomUUID(),
        displayName: name,
        color: typeof body?.color === 'string' ? body.color : 'none',
      };
      list.push(category);
      sendJson(res, 201, {
        '@odata.context': `${base(ctx)}#users('${user.id}')/outlook/masterCategories/$entity`,
        ...category,
      });
    }
    return true;
  }
  return false;
};
