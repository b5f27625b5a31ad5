// MentorFlow as an Azure Functions app on the Flex Consumption plan: a .NET isolated worker (the zip `./mentorflow package`
// builds: HTTP functions over the app's one pipeline, the orchestrator and activity functions, the Dispatch timer). The
// Durable extension keeps the task hub (host.json: hub "mentorflow", Azure Storage provider) in the host's own storage
// account, which accepts no shared key: the app's user-assigned managed identity reaches it (AzureWebJobsStorage__*), as it
// does the package, the timer's leases and the deployment. Secrets come from Key Vault references, never from the template.

@description('Azure region.')
param location string

@description('Name prefix shared by every resource.')
param prefix string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Principal (object) id of the user-assigned managed identity.')
param identityPrincipalId string

@description('Application Insights connection string (ingestion needs an Entra token; the string alone cannot write).')
param insightsConnectionString string

@description('Key Vault URI, e.g. https://name.vault.azure.net/.')
param vaultUri string

@description('The Key Vault key that wraps the Data Protection key ring (the app uses it with its identity).')
param keyRingKeyUri string

@description('Cosmos DB endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param databaseName string

@description('Communication Services endpoint, e.g. https://name.communication.azure.com.')
param acsEndpoint string

@description('Sender address.')
param fromAddress string

@description('The address people reach the app at; empty for the Functions app\'s own address.')
param publicBaseUrl string

@description('The email provider\'s per-minute quota.')
param emailsPerMinute int

@description('The email provider\'s per-hour quota.')
param emailsPerHour int

@description('NCRONTAB expression (six fields, UTC) of the Dispatch timer function.')
param tickSchedule string

@description('OpenID Connect authority of admin sign-in and bearer tokens; empty for the admin key only.')
param entraAuthority string

@description('Audience admin bearer tokens must carry (the MentorFlow API app\'s client id).')
param entraAudience string

@description('Client id of the console\'s app registration (Entra ID sign-in at /console); empty for the admin key.')
param entraClientId string

@description('Most instances the platform may run at once.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of an instance in MB.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int

var appName = '${prefix}-func-${uniqueString(resourceGroup().id)}'
var baseUrl = empty(publicBaseUrl) ? 'https://${appName}.azurewebsites.net' : publicBaseUrl
var deploymentContainer = 'app-package'
// Storage Blob Data Owner (the package, the timer's leases, the task hub's partition leases and large messages), Queue and
// Table Data Contributor (the task hub's control and work-item queues, its history and instances tables): the roles the
// Durable extension's Azure Storage provider needs with an identity-based connection.
var storageRoles = [ 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b', '974c5e8b-45b9-4653-ba55-5f855dd0fb88', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' ]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${replace(prefix, '-', '')}${uniqueString(resourceGroup().id)}', 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
}

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, identityId, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${prefix}-plan'
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var settings = [
  { name: 'AzureWebJobsStorage__accountName', value: storage.name }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'TickSchedule', value: tickSchedule }
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'Cosmos__Endpoint', value: cosmosEndpoint }
  { name: 'Cosmos__Database', value: databaseName }
  { name: 'Cosmos__ManagedIdentityClientId', value: identityClientId }
  { name: 'Email__Transport', value: 'AcsRest' }
  { name: 'Acs__Endpoint', value: acsEndpoint }
  { name: 'Acs__SenderAddress', value: fromAddress }
  { name: 'Acs__ManagedIdentityClientId', value: identityClientId }
  { name: 'MentorFlow__AdminKey', value: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/admin-key)' }
  { name: 'MentorFlow__PublicBaseUrl', value: baseUrl }
  { name: 'MentorFlow__KeyRingKeyVaultKeyId', value: keyRingKeyUri }
  { name: 'MentorFlow__KeyRingManagedIdentityClientId', value: identityClientId }
  // The Functions host hands each request to the worker over loopback, with the front end's X-Forwarded-For (ip:port hops).
  { name: 'MentorFlow__TrustedProxies__0', value: '127.0.0.1/32' }
  { name: 'MentorFlow__TrustedProxies__1', value: '::1/128' }
  // The Functions host's Durable extension runs the orchestrations: the local engine never starts in Azure. The Dispatch timer
  // sweeps the outbox and starts an orchestration a crash left unstarted; an instance alive for HTTP also sends what waits.
  { name: 'MentorFlow__RunWorkflow', value: 'false' }
  { name: 'MentorFlow__EmailsPerMinute', value: string(emailsPerMinute) }
  { name: 'MentorFlow__EmailsPerHour', value: string(emailsPerHour) }
  { name: 'MentorFlow__EntraAuthority', value: entraAuthority }
  { name: 'MentorFlow__EntraAudience', value: entraAudience }
  { name: 'MentorFlow__EntraClientId', value: entraClientId }
  { name: 'Telemetry__ConnectionString', value: insightsConnectionString }
  { name: 'Telemetry__ManagedIdentityClientId', value: identityClientId }
]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: settings
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
  dependsOn: [ storageAccess, packages ]
}

output appName string = app.name
output appUrl string = baseUrl
output storageName string = storage.name
output deploymentContainer string = deploymentContainer
