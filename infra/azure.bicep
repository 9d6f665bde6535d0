// Mailroom on Azure: App Service (Linux, Node 20), Azure Bot with the Teams channel, PostgreSQL flexible
// server and a Key Vault for the secrets. Deployed by `teamsapp provision` (teamsapp.yml, arm/deploy) with
// infra/azure.parameters.json; the outputs are written back to env/.env.<env> by Teams Toolkit.
//
// ── Replicas ────────────────────────────────────────────────────────────────────────────────────────────
// The plan runs `instanceCount` instances (default 2) of the same stateless web app, behind App Service's
// load balancer. Two is safe, and so is any number, because every piece of shared state is in PostgreSQL:
//   - Durable jobs (ingest, post card, save to NetSuite, set category) are claimed with
//     SELECT … FOR UPDATE SKIP LOCKED and a lease, so one instance runs a job; a crashed instance's lease
//     expires and another picks the job up.
//   - Unique constraints make duplicates impossible rather than unlikely: one email per
//     (tenant, mailbox, internetMessageId), one save per (tenant, internetMessageId, record), one claim per
//     email. A second instance doing the same work hits the constraint and stops.
//   - NetSuite's concurrency limit is per account, so the budget (NETSUITE_CONCURRENCY) is counted in the
//     database, not per process: two instances never exceed it together.
//   - Graph notifications and Bot Framework activities may land on either instance; both write to the same
//     jobs table before answering.
// SQLite is only for a single process; this template always uses PostgreSQL.
// https://learn.microsoft.com/azure/app-service/manage-scale-up

@description('Base name for the resources, e.g. mailroom plus a suffix.')
param resourceBaseName string
param location string = resourceGroup().location

@description('App Service plan size. Basic (B1) or higher is needed for Always On and more than one instance.')
param webAppSku string = 'B1'
@description('How many instances run Mailroom (see the replica note at the top).')
@minValue(1)
param instanceCount int = 2

param botAadAppClientId string
param botAadAppTenantId string = tenant().tenantId
@secure()
param botAadAppClientSecret string
param botDisplayName string = 'Mailroom'

param graphTenantId string = tenant().tenantId
param graphClientId string
@secure()
param graphClientSecret string
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'
param authorityHost string = 'https://login.microsoftonline.com'

param tabClientId string
param tabOpenIdMetadataUrl string = ''

param postgresAdminLogin string = 'mailroom'
@secure()
param postgresAdminPassword string
param postgresSku string = 'Standard_B1ms'
param postgresTier string = 'Burstable'

param netsuiteAccountId string = ''
param netsuiteBaseUrl string = ''
param netsuiteClientId string = ''
param netsuiteCertificateId string = ''
@secure()
param netsuitePrivateKey string = ''
@secure()
param netsuiteConsumerKey string = ''
@secure()
param netsuiteConsumerSecret string = ''
@secure()
param netsuiteTokenId string = ''
@secure()
param netsuiteTokenSecret string = ''
// Numbers arrive as strings from env files; empty means "use Mailroom's default".
param netsuiteConcurrency string = '5'
param netsuiteFolderId string = ''
@description('The Mailroom SuiteApp save RESTlet: script id, deployment id and host (empty = the SDF project defaults).')
param netsuiteRestletScript string = ''
param netsuiteRestletDeploy string = ''
param netsuiteRestletUrl string = ''

param mailroomAdmins string = ''
@description('Object id of the Entra group whose members are Mailroom admins (optional).')
param mailroomAdminGroupId string = ''
@secure()
param licenseKey string = ''
param licensePublicKey string = ''
param catchupIntervalMinutes string = '15'
@description('Well-known mail folders delta catch-up leaves out, besides Deleted Items, Junk Email and Drafts (e.g. archive,outbox).')
param catchupExcludeFolders string = ''
@description('Days the audit trail is kept; older rows are pruned.')
param auditRetentionDays string = '400'
param logLevel string = 'info'

var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var webAppName = '${resourceBaseName}-${suffix}'
var keyVaultName = 'kv${suffix}'
var postgresName = '${resourceBaseName}-pg-${suffix}'
var databaseName = 'mailroom'

// Secrets that go to Key Vault. Empty optional ones (TBA when you use M2M, say) are not created.
var secrets = [
  { name: 'bot-password', value: botAadAppClientSecret }
  { name: 'graph-client-secret', value: graphClientSecret }
  { name: 'netsuite-private-key', value: netsuitePrivateKey }
  { name: 'netsuite-consumer-key', value: netsuiteConsumerKey }
  { name: 'netsuite-consumer-secret', value: netsuiteConsumerSecret }
  { name: 'netsuite-token-id', value: netsuiteTokenId }
  { name: 'netsuite-token-secret', value: netsuiteTokenSecret }
  { name: 'license-key', value: licenseKey }
]
// App Service resolves these with the web app's managed identity.
// https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
var kvRef = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName='

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      appCommandLine: 'npm start'
      healthCheckPath: '/healthz'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: false
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    accessPolicies: [
      {
        tenantId: subscription().tenantId
        objectId: webApp.identity.principalId
        permissions: {
          secrets: [
            'get'
          ]
        }
      }
    ]
  }
}

resource vaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in secrets: if (!empty(s.value)) {
  parent: keyVault
  name: s.name
  properties: {
    value: s.value
  }
}]

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresName
  location: location
  sku: {
    name: postgresSku
    tier: postgresTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0–0.0.0.0 is Azure's rule for "allow Azure services", which includes App Service's outbound addresses.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource databaseUrl 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'database-url'
  properties: {
    value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'
  }
}

resource appSettings 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: webApp
  name: 'appsettings'
  dependsOn: [
    vaultSecrets
    database
    allowAzure
  ]
  properties: {
    // App Service sets PORT itself; Mailroom listens on it.
    PUBLIC_URL: 'https://${webApp.properties.defaultHostName}'
    DATABASE_URL: '${kvRef}${databaseUrl.name})'
    LOG_LEVEL: logLevel
    SANDBOX: 'false'
    BOT_ID: botAadAppClientId
    BOT_PASSWORD: '${kvRef}bot-password)'
    BOT_TENANT_ID: botAadAppTenantId
    BOT_TYPE: 'SingleTenant'
    GRAPH_TENANT_ID: graphTenantId
    GRAPH_CLIENT_ID: graphClientId
    GRAPH_CLIENT_SECRET: '${kvRef}graph-client-secret)'
    GRAPH_BASE_URL: graphBaseUrl
    AUTHORITY_HOST: authorityHost
    NETSUITE_ACCOUNT_ID: netsuiteAccountId
    NETSUITE_BASE_URL: netsuiteBaseUrl
    NETSUITE_CLIENT_ID: netsuiteClientId
    NETSUITE_CERTIFICATE_ID: netsuiteCertificateId
    NETSUITE_PRIVATE_KEY: empty(netsuitePrivateKey) ? '' : '${kvRef}netsuite-private-key)'
    NETSUITE_PRIVATE_KEY_FILE: ''
    NETSUITE_CONSUMER_KEY: empty(netsuiteConsumerKey) ? '' : '${kvRef}netsuite-consumer-key)'
    NETSUITE_CONSUMER_SECRET: empty(netsuiteConsumerSecret) ? '' : '${kvRef}netsuite-consumer-secret)'
    NETSUITE_TOKEN_ID: empty(netsuiteTokenId) ? '' : '${kvRef}netsuite-token-id)'
    NETSUITE_TOKEN_SECRET: empty(netsuiteTokenSecret) ? '' : '${kvRef}netsuite-token-secret)'
    NETSUITE_CONCURRENCY: empty(netsuiteConcurrency) ? '5' : netsuiteConcurrency
    NETSUITE_FOLDER_ID: netsuiteFolderId
    NETSUITE_RESTLET_SCRIPT: netsuiteRestletScript
    NETSUITE_RESTLET_DEPLOY: netsuiteRestletDeploy
    NETSUITE_RESTLET_URL: netsuiteRestletUrl
    MAILROOM_ADMINS: mailroomAdmins
    MAILROOM_ADMIN_GROUP_ID: mailroomAdminGroupId
    LICENSE_KEY: empty(licenseKey) ? '' : '${kvRef}license-key)'
    LICENSE_PUBLIC_KEY: licensePublicKey
    TAB_CLIENT_ID: tabClientId
    TAB_OPENID_METADATA_URL: tabOpenIdMetadataUrl
    CATCHUP_INTERVAL_MINUTES: empty(catchupIntervalMinutes) ? '15' : catchupIntervalMinutes
    CATCHUP_EXCLUDE_FOLDERS: catchupExcludeFolders
    AUDIT_RETENTION_DAYS: empty(auditRetentionDays) ? '400' : auditRetentionDays
    WORKER_MODE: 'thread'
    // Oryx runs `npm install` and `npm run build` on Linux, so native modules (better-sqlite3) match the host.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppTenantId: botAadAppTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Teams Toolkit writes each output to env/.env.<env> under the output's name.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output PUBLIC_URL string = 'https://${webApp.properties.defaultHostName}'
output KEY_VAULT_NAME string = keyVault.name
output POSTGRES_HOST string = postgres.properties.fullyQualifiedDomainName
