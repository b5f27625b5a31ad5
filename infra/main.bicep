// MentorFlow in one resource group: Cosmos DB (serverless, keyless), Communication Services email (sent with the
// managed identity, no secret), Key Vault (the admin key), Log Analytics + Application Insights, and the Azure Functions
// app on the Flex Consumption plan (a .NET isolated worker: the HTTP functions, the Durable orchestrations, the Dispatch timer). One deployment; then
// put the admin key in Key Vault and upload the package. See the README's "Deploy to Azure".

targetScope = 'resourceGroup'

@description('Azure region of every regional resource.')
param location string = resourceGroup().location

@description('Name prefix shared by every resource (lower-case letters, digits and hyphens).')
@minLength(3)
@maxLength(12)
param prefix string = 'mentorflow'

@description('Object id of the operator who sets Key Vault secrets (az ad signed-in-user show --query id -o tsv); empty for none.')
param operatorPrincipalId string = ''

@description('Principal type of the operator.')
@allowed([ 'User', 'Group', 'ServicePrincipal' ])
param operatorPrincipalType string = 'User'

@description('Client id of the Entra app that represents the MentorFlow API; when set, admins may call it with Entra ID bearer tokens carrying its MentorFlow.Admin app role (the admin key keeps working).')
param adminApiAppId string = ''

@description('Client id of the console\'s Entra app registration; when set (with adminApiAppId), /console signs admins in with Entra ID instead of the admin key.')
param consoleAppId string = ''

@description('The society\'s own sending domain (e.g. mentoring.example.org); empty for an Azure-managed domain.')
param customEmailDomain string = ''

@description('Sender display name.')
param fromName string = 'MentorFlow'

@description('Where Communication Services keeps data at rest.')
param emailDataLocation string = 'United States'

@description('The address people reach the app at (a custom domain); empty for the Functions app\'s address.')
param publicBaseUrl string = ''

@description('NCRONTAB expression (six fields, UTC) of the Dispatch timer function: every five minutes by default.')
param tickSchedule string = '0 */5 * * * *'

@description('Most instances the Flex Consumption plan may run at once (40 is its floor).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of an instance in MB.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

// What the code uses (src/Functions/Store/Documents.cs, Containers); a test holds the compiled template to it.
var databaseName = 'mentorflow'
var containerNames = [ 'cohorts', 'participants', 'matching', 'pairs', 'keys' ]
var partitionKeyPath = '/cohortId'
var indexedPaths = [ '/cohortId/?', '/type/?', '/dueAt/?', '/outboxCount/?', '/unconfirmedSince/?' ]

// Communication Services quotas: 30 a minute and 100 an hour on a custom domain; 5 and 10 on an Azure-managed one.
var workspaceName = '${prefix}-logs'
var azureManagedDomain = empty(customEmailDomain)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-identity'
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: workspaceName
    location: location
    prefix: prefix
    identityName: identity.name
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    prefix: prefix
    databaseName: databaseName
    containerNames: containerNames
    partitionKeyPath: partitionKeyPath
    indexedPaths: indexedPaths
    identityName: identity.name
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    prefix: prefix
    identityName: identity.name
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

module email 'modules/email.bicep' = {
  name: 'email'
  params: {
    prefix: prefix
    dataLocation: emailDataLocation
    customDomain: customEmailDomain
    senderDisplayName: fromName
    identityName: identity.name
  }
}

module functions 'modules/functions.bicep' = {
  name: 'functions'
  params: {
    location: location
    prefix: prefix
    identityId: identity.id
    identityClientId: identity.properties.clientId
    identityPrincipalId: identity.properties.principalId
    insightsConnectionString: monitoring.outputs.connectionString
    vaultUri: vault.outputs.uri
    keyRingKeyUri: vault.outputs.keyRingKeyUri
    cosmosEndpoint: cosmos.outputs.endpoint
    databaseName: databaseName
    acsEndpoint: email.outputs.endpoint
    fromAddress: email.outputs.fromAddress
    publicBaseUrl: publicBaseUrl
    emailsPerMinute: azureManagedDomain ? 5 : 30
    emailsPerHour: azureManagedDomain ? 10 : 100
    tickSchedule: tickSchedule
    entraAuthority: empty(adminApiAppId) ? '' : '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
    entraAudience: adminApiAppId
    entraClientId: consoleAppId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

@description('The app\'s address.')
output appUrl string = functions.outputs.appUrl

@description('Where participants register for a cohort: replace {cohortId}.')
output intakeUrlPattern string = '${functions.outputs.appUrl}/cohorts/{cohortId}/join'

@description('Where admins run cohorts.')
output consoleUrl string = '${functions.outputs.appUrl}/console'

@description('Cosmos DB endpoint.')
output cosmosEndpoint string = cosmos.outputs.endpoint

@description('Key Vault that holds admin-key.')
output keyVaultName string = vault.outputs.name

@description('Name of the Functions app (az functionapp ...).')
output appName string = functions.outputs.appName

@description('Storage account and container the package is uploaded to (Flex Consumption deploys from there).')
output deploymentStorage string = functions.outputs.storageName

@description('Blob container of the package.')
output deploymentContainer string = functions.outputs.deploymentContainer

@description('The sender address the app uses.')
output fromAddress string = email.outputs.fromAddress
