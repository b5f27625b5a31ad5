// The Container Apps environment, the MentorFlow app (HTTP, scales to zero) and the scheduled job that runs the
// same image with the `tick` verb. Both sign in to Cosmos DB, Key Vault, the registry and Application Insights with
// one user-assigned managed identity; secrets come from Key Vault references, never from the template.

@description('Azure region.')
param location string

@description('Name prefix shared by every resource.')
param prefix string

@description('The image both the app and the job run, e.g. myregistry.azurecr.io/mentorflow:1.')
param image string

@description('Login server of the registry the image is pulled from.')
param registryServer string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Log Analytics workspace that receives the container logs.')
param workspaceName string

@description('Application Insights connection string (ingestion needs an Entra token; the string alone cannot write).')
param insightsConnectionString string

@description('Key Vault URI, e.g. https://name.vault.azure.net/.')
param vaultUri string

@description('Cosmos DB endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param databaseName string

@description('SMTP relay host.')
param smtpHost string

@description('SMTP user name: <Communication Services resource>|<Entra app id>|<tenant id>.')
param smtpUserName string

@description('Sender address.')
param fromAddress string

@description('Sender display name.')
param fromName string

@description('The address people reach the app at; empty for the Container Apps address.')
param publicBaseUrl string

@description('The email provider\'s per-minute quota.')
param emailsPerMinute int

@description('The email provider\'s per-hour quota.')
param emailsPerHour int

@description('Cron expression (UTC) of the dispatcher job.')
param tickSchedule string

@description('OpenID Connect authority of admin bearer tokens; empty for the admin key only.')
param entraAuthority string

@description('Audience admin bearer tokens must carry (the MentorFlow API app\'s client id).')
param entraAudience string

@description('Most app replicas under load.')
@minValue(1)
@maxValue(30)
param maxReplicas int

@description('vCPU of an app replica (0.25 steps; memory is twice this in GiB).')
@allowed([ '0.5', '1.0', '2.0' ])
param appCpu string

var appName = '${prefix}-app'
var baseUrl = empty(publicBaseUrl) ? 'https://${appName}.${environment.properties.defaultDomain}' : publicBaseUrl
var port = 8080

// The same configuration for the app and the job; names are the app's options (Section__Property).
var secrets = [
  { name: 'smtp-password', keyVaultUrl: '${vaultUri}secrets/smtp-password', identity: identityId }
  { name: 'admin-key', keyVaultUrl: '${vaultUri}secrets/admin-key', identity: identityId }
]
var settings = [
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'ASPNETCORE_HTTP_PORTS', value: string(port) }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'Cosmos__Endpoint', value: cosmosEndpoint }
  { name: 'Cosmos__Database', value: databaseName }
  { name: 'Cosmos__ManagedIdentityClientId', value: identityClientId }
  { name: 'Smtp__Host', value: smtpHost }
  { name: 'Smtp__Port', value: '587' }
  { name: 'Smtp__Security', value: 'StartTls' }
  { name: 'Smtp__UserName', value: smtpUserName }
  { name: 'Smtp__Password', secretRef: 'smtp-password' }
  { name: 'Smtp__FromAddress', value: fromAddress }
  { name: 'Smtp__FromName', value: fromName }
  { name: 'MentorFlow__AdminKey', secretRef: 'admin-key' }
  { name: 'MentorFlow__PublicBaseUrl', value: baseUrl }
  // The scheduled job dispatches and sends pair emails (the `tick` verb turns its own loops off anyway); the app answers
  // requests and sends intake receipts.
  { name: 'MentorFlow__RunDispatcher', value: 'false' }
  { name: 'MentorFlow__EmailsPerMinute', value: string(emailsPerMinute) }
  { name: 'MentorFlow__EmailsPerHour', value: string(emailsPerHour) }
  { name: 'MentorFlow__EntraAuthority', value: entraAuthority }
  { name: 'MentorFlow__EntraAudience', value: entraAudience }
  { name: 'Telemetry__ConnectionString', value: insightsConnectionString }
  { name: 'Telemetry__ManagedIdentityClientId', value: identityClientId }
]
var registries = [ { server: registryServer, identity: identityId } ]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${prefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [ { name: 'Consumption', workloadProfileType: 'Consumption' } ]
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: port
        transport: 'auto'
        allowInsecure: false
      }
      registries: registries
      secrets: secrets
    }
    template: {
      containers: [
        {
          name: 'mentorflow'
          image: image
          args: [ 'serve' ]
          env: settings
          resources: { cpu: json(appCpu), memory: '${int(json(appCpu) * 2)}Gi' }
          probes: [
            { type: 'Startup', httpGet: { path: '/healthz/live', port: port }, periodSeconds: 3, failureThreshold: 20 }
            { type: 'Liveness', httpGet: { path: '/healthz/live', port: port }, periodSeconds: 30, failureThreshold: 3 }
            { type: 'Readiness', httpGet: { path: '/healthz', port: port }, periodSeconds: 15, failureThreshold: 3, timeoutSeconds: 6 }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        rules: [ { name: 'http', http: { metadata: { concurrentRequests: '50' } } } ]
      }
    }
  }
}

resource tick 'Microsoft.App/jobs@2024-03-01' = {
  name: '${prefix}-tick'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Schedule'
      scheduleTriggerConfig: { cronExpression: tickSchedule, parallelism: 1, replicaCompletionCount: 1 }
      // A tick that outlives its slot is stopped; the next one picks up where it left off (ETags keep work single).
      replicaTimeout: 1800
      replicaRetryLimit: 0
      registries: registries
      secrets: secrets
    }
    template: {
      containers: [
        {
          name: 'mentorflow-tick'
          image: image
          args: [ 'tick' ]
          env: settings
          resources: { cpu: json('0.5'), memory: '1Gi' }
        }
      ]
    }
  }
}

output appUrl string = baseUrl
output appName string = app.name
output jobName string = tick.name
