import { MailroomError } from '../../../bot/src/core/errors.js';
import { createLogger } from '../../../bot/src/log.js';
import { createMailService, type GraphMailService } from '../../../bot/src/mail/graph-client.js';
import { type GraphEmulator, startGraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import {
  graphSeed,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_TENANT_ID,
} from '../../../bot/src/sandbox/graph-seed.js';

export const SUPPORT_ID = graphSeed.users[0]?.id ?? '';
const log = createLogger('silent');

export async function caught(p: Promise<unknown>): Promise<MailroomError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MailroomError) return err;
    throw err;
  }
  throw new Error('expected a MailroomError');
}

export async function emulator(
  extra: { maxSubscriptionMinutes?: number; permissions?: readonly string[] } = {},
): Promise<GraphEmulator> {
  return startGraphEmulator({
    tenantId: SANDBOX_TENANT_ID,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    seed: graphSeed,
    notificationRetry: { attempts: 3, baseDelayMs: 50 },
    ...extra,
  });
}

export function service(emu: GraphEmulator, secret = SANDBOX_CLIENT_SECRET): GraphMailService {
  return createMailService({
    tenantId: SANDBOX_TENANT_ID,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: secret,
    baseUrl: emu.graphBaseUrl,
    authorityHost: emu.authorityHost,
    log,
  });
}

export { appToken } from '../../helpers/graph-app-token.js';
