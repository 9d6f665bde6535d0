import type { ServerResponse } from 'node:http';
import { graphError, type Req } from './http.js';

/** OData's system query options: any other `$name` is refused outright. https://learn.microsoft.com/graph/query-parameters */
const SYSTEM_OPTIONS = new Set([
  '$count',
  '$expand',
  '$filter',
  '$format',
  '$orderby',
  '$search',
  '$select',
  '$skip',
  '$top',
  '$skiptoken',
  '$deltatoken',
]);

/** An entity type's properties, for `$select`: Graph refuses a name the type does not have. */
export interface EntityType {
  /** e.g. `microsoft.graph.message`, as Graph names it in the error. */
  name: string;
  properties: readonly string[];
  /** Directory objects (users) answer in Entra's words. */
  directory?: boolean;
}

/** https://learn.microsoft.com/graph/api/resources/message#properties */
export const MESSAGE: EntityType = {
  name: 'microsoft.graph.message',
  properties: [
    'bccRecipients',
    'body',
    'bodyPreview',
    'categories',
    'ccRecipients',
    'changeKey',
    'conversationId',
    'conversationIndex',
    'createdDateTime',
    'flag',
    'from',
    'hasAttachments',
    'id',
    'importance',
    'inferenceClassification',
    'internetMessageHeaders',
    'internetMessageId',
    'isDeliveryReceiptRequested',
    'isDraft',
    'isRead',
    'isReadReceiptRequested',
    'lastModifiedDateTime',
    'parentFolderId',
    'receivedDateTime',
    'replyTo',
    'sender',
    'sentDateTime',
    'subject',
    'toRecipients',
    'uniqueBody',
    'webLink',
  ],
};

/** https://learn.microsoft.com/graph/api/resources/mailfolder#properties */
export const MAIL_FOLDER: EntityType = {
  name: 'microsoft.graph.mailFolder',
  properties: [
    'childFolderCount',
    'displayName',
    'id',
    'isHidden',
    'parentFolderId',
    'sizeInBytes',
    'totalItemCount',
    'unreadItemCount',
  ],
};

/** https://learn.microsoft.com/graph/api/resources/user#properties (the ones a mail app plausibly reads) */
export const USER: EntityType = {
  name: 'Microsoft.DirectoryServices.User',
  directory: true,
  properties: [
    'accountEnabled',
    'businessPhones',
    'companyName',
    'createdDateTime',
    'department',
    'displayName',
    'givenName',
    'id',
    'jobTitle',
    'mail',
    'mailNickname',
    'mobilePhone',
    'officeLocation',
    'otherMails',
    'preferredLanguage',
    'proxyAddresses',
    'surname',
    'usageLocation',
    'userPrincipalName',
    'userType',
  ],
};

/** https://learn.microsoft.com/graph/api/resources/outlookcategory#properties */
export const OUTLOOK_CATEGORY: EntityType = {
  name: 'microsoft.graph.outlookCategory',
  properties: ['color', 'displayName', 'id'],
};

const pascal = (option: string) => option.charAt(1).toUpperCase() + option.slice(2);

/**
 * True when every `$option` is one this operation supports and every `$select` name is a property of `entity`;
 * otherwise answers 400 as Graph does and returns false. Options without `$` are OData custom options, which
 * Graph ignores, and so does this.
 */
export function queryAccepted(req: Req, res: ServerResponse, allowed: readonly string[], entity?: EntityType): boolean {
  for (const key of req.query.keys()) {
    if (!key.startsWith('$')) continue;
    const option = key.toLowerCase();
    if (!SYSTEM_OPTIONS.has(option)) {
      graphError(res, req, 400, 'BadRequest', `The query parameter '${key}' is not supported.`);
      return false;
    }
    if (!allowed.includes(option)) {
      graphError(
        res,
        req,
        400,
        'BadRequest',
        `The query specified in the URI is not valid. Query option '${pascal(option)}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
      );
      return false;
    }
  }
  const select = req.query.get('$select');
  if (select !== null && entity) {
    const known = new Set(entity.properties.map((p) => p.toLowerCase()));
    const unknown = select.split(',').find((name) => !known.has(name.toLowerCase()));
    if (unknown !== undefined) {
      const message = `Could not find a property named '${unknown}' on type '${entity.name}'.`;
      graphError(res, req, 400, entity.directory ? 'Request_BadRequest' : 'RequestBroker--ParseUri', message);
      return false;
    }
  }
  return true;
}

/**
 * True when the JSON body names only properties the operation takes; otherwise 400 as OData's reader answers.
 * https://learn.microsoft.com/graph/api/message-update#request-body
 */
export function bodyAccepted(
  req: Req,
  res: ServerResponse,
  body: Record<string, unknown>,
  entityName: string,
  writable: readonly string[],
): boolean {
  const extra = Object.keys(body).find((k) => !k.startsWith('@odata.') && !writable.includes(k));
  if (extra === undefined) return true;
  graphError(
    res,
    req,
    400,
    'RequestBodyRead',
    `The property '${extra}' does not exist on type '${entityName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
  return false;
}
