import type { GraphEmulator } from '../../bot/src/sandbox/graph-emulator/index.js';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_TENANT_ID } from '../../bot/src/sandbox/graph-seed.js';

/** An app-only token from the Graph emulator's Entra stand-in, for raw HTTP calls that check the wire shapes. */
export async function appToken(emu: GraphEmulator): Promise<string> {
  const res = await fetch(`${emu.authorityHost}/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
