import type { Config } from '../../bot/src/config.js';

/**
 * The environment an operator would set to run Mailroom against these services: Graph and NetSuite credentials
 * and base URLs, the license, and PUBLIC_URL on loopback. With Graph credentials set, Mailroom runs as in
 * production (no sandbox of its own). Bot Framework auth stays off (empty BOT_ID), as for the Playground.
 */
export function mailroomEnv(c: Config): Record<string, string> {
  const auth = c.netsuite.auth;
  if (auth.kind !== 'm2m' || !auth.privateKey) throw new Error('the NetSuite emulator gave no M2M credentials');
  return {
    PUBLIC_URL: c.publicUrl ?? `http://127.0.0.1:${c.port}`,
    GRAPH_TENANT_ID: c.graph.tenantId,
    GRAPH_CLIENT_ID: c.graph.clientId,
    GRAPH_CLIENT_SECRET: c.graph.clientSecret,
    GRAPH_BASE_URL: c.graph.baseUrl,
    AUTHORITY_HOST: c.graph.authorityHost,
    NETSUITE_ACCOUNT_ID: c.netsuite.accountId,
    NETSUITE_BASE_URL: c.netsuite.baseUrl,
    NETSUITE_CLIENT_ID: auth.clientId,
    NETSUITE_CERTIFICATE_ID: auth.certificateId,
    NETSUITE_PRIVATE_KEY: auth.privateKey,
    NETSUITE_FOLDER_ID: c.netsuite.folderId,
    LICENSE_KEY: c.license.key,
    LICENSE_PUBLIC_KEY: c.license.publicKey,
  };
}
