import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface SandboxNetSuiteCredentials {
  accountId: string;
  m2m: { clientId: string; certificateId: string; privateKeyPem: string; publicKeyPem: string };
  tba: { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };
}

let cached: SandboxNetSuiteCredentials | undefined;

/** Credentials for the sandbox: an RSA key pair made at startup (M2M) and random TBA secrets, shared by bot and emulator. */
export function sandboxNetSuiteCredentials(): SandboxNetSuiteCredentials {
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const secret = () => randomBytes(32).toString('hex');
  cached = {
    accountId: 'TSTDRV1234567',
    m2m: {
      clientId: 'sandbox-mailroom-client',
      certificateId: 'sandbox-certificate-1',
      privateKeyPem: privateKey,
      publicKeyPem: publicKey,
    },
    tba: { consumerKey: secret(), consumerSecret: secret(), tokenId: secret(), tokenSecret: secret() },
  };
  return cached;
}
