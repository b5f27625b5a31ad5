// MentorFlow in one resource group: Cosmos DB (serverless, keyless), Communication Services email, Key Vault,
// a registry, Log Analytics + Application Insights, and Container Apps (the app and the scheduled `tick` job).
// Deploy it twice: first without `image` (everything but the app and the job), then — after the secrets are in
// Key Vault and the image is built — with `image`. See the README's "Deploy to Azure".

targetScope = 'resourceGroup'

@description('Azure region of every regional resource.')
param location string = resourceGroup().location

@description('Name prefix shared by every resource (lower-case letters, digits and hyphens).')
@minLength(3)
@maxLength(12)
param prefix string = 'mentorflow'

@description('The image the app and the job run, e.g. <registry>.azurecr.io/mentorflow:1; empty on the first deployment (before the image exists).')
param image string = ''

@description('Object id of the operator who sets Key Vault secrets (az ad signed-in-user show --query id -o tsv); empty for none.')
param operatorPrincipalId string = ''

@description('Principal type of the operator.')
@allowed([ 'User', 'Group', 'ServicePrincipal' ])
param operatorPrincipalType string = 'User'

@description('Application (client) id of the Entra app the SMTP relay signs in as; empty until it is created.')
param smtpAppId string = ''

@description('Object id of that Entra app\'s service principal, granted its role on Communication Services; empty to grant it by hand.')
param smtpServicePrincipalId string = ''

@description('Client id of the Entra app that represents the MentorFlow API; when set, admins may call it with Entra ID bearer tokens carrying its MentorFlow.Admin app role (the admin key keeps working).')
param adminApiAppId string = ''

@description('The society\'s own sending domain (e.g. mentoring.example.org); empty for an Azure-managed domain.')
param customEmailDomain string = ''

@description('Sender display name.')
param fromName string = 'MentorFlow'

@description('Where Communication Services keeps data at rest.')
param emailDataLocation string = 'United States'

@description('The address people reach the app at (a custom domain); empty for the Container Apps address.')
param publicBaseUrl string = ''

@description('Cron expression (UTC) of the dispatcher job: every five minutes by default.')
param tickSchedule string = '*/5 * * * *'

@description('Most app replicas under load (it scales to zero when idle).')
@minValue(1)
@maxValue(30)
param maxReplicas int = 3

@description('vCPU of an app replica (memory is twice this in GiB).')
@allowed([ '0.5', '1.0', '2.0' ])
param appCpu string = '1.0'

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
    smtpServicePrincipalId: smtpServicePrincipalId
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    prefix: prefix
    identityName: identity.name
  }
}

module apps 'modules/apps.bicep' = if (!empty(image)) {
  name: 'apps'
  params: {
    location: location
    prefix: prefix
    image: image
    registryServer: registry.outputs.loginServer
    identityId: identity.id
    identityClientId: identity.properties.clientId
    workspaceName: workspaceName
    insightsConnectionString: monitoring.outputs.connectionString
    vaultUri: vault.outputs.uri
    cosmosEndpoint: cosmos.outputs.endpoint
    databaseName: databaseName
    smtpHost: 'smtp.azurecomm.net'
    smtpUserName: '${email.outputs.communicationName}|${smtpAppId}|${tenant().tenantId}'
    fromAddress: email.outputs.fromAddress
    fromName: fromName
    publicBaseUrl: publicBaseUrl
    emailsPerMinute: azureManagedDomain ? 5 : 30
    emailsPerHour: azureManagedDomain ? 10 : 100
    tickSchedule: tickSchedule
    entraAuthority: empty(adminApiAppId) ? '' : '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
    entraAudience: adminApiAppId
    maxReplicas: maxReplicas
    appCpu: appCpu
  }
}

@description('The app\'s address (empty until the image is deployed).')
output appUrl string = apps.?outputs.appUrl ?? ''

@description('Where participants register for a cohort: replace {cohortId}.')
output intakeUrlPattern string = empty(image) ? '' : '${apps.?outputs.appUrl}/cohorts/{cohortId}/join'

@description('Cosmos DB endpoint.')
output cosmosEndpoint string = cosmos.outputs.endpoint

@description('Key Vault that holds smtp-password and admin-key.')
output keyVaultName string = vault.outputs.name

@description('Registry to build the image into (az acr build).')
output registryName string = registry.outputs.name

@description('Registry login server, for the image name.')
output registryServer string = registry.outputs.loginServer

@description('Communication Services resource, scope of the SMTP app\'s role.')
output communicationServicesId string = email.outputs.communicationId

@description('The sender address the app uses.')
output fromAddress string = email.outputs.fromAddress

@description('Name of the container app (empty until the image is deployed).')
output appName string = apps.?outputs.appName ?? ''

@description('Name of the dispatcher job (empty until the image is deployed).')
output jobName string = apps.?outputs.jobName ?? ''
