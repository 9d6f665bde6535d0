/** What Teams Toolkit writes into env/.env.dev after provisioning, shaped like the real values. */
export const SAMPLE_VARS: Record<string, string> = {
  TEAMS_APP_ID: '5f2d1c7e-8a41-4d0b-9c3e-1a2b3c4d5e6f',
  BOT_ID: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  AAD_APP_CLIENT_ID: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
  BOT_DOMAIN: 'mailroom-x7k2.azurewebsites.net',
  TAB_DOMAIN: 'mailroom-x7k2.azurewebsites.net',
  TAB_ENDPOINT: 'https://mailroom-x7k2.azurewebsites.net',
  APP_NAME_SUFFIX: '',
};
