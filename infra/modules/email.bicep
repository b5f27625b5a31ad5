// Azure Communication Services with an Email Communication Service and one linked domain: Azure-managed by default
// (no DNS work, small quota), or the society's own domain (verify its DNS records in the portal, then link).
// The app sends through the Email REST API with its managed identity (no secret): the identity holds the role the
// service checks on this resource.

@description('Name prefix shared by every resource.')
param prefix string

@description('Where Communication Services keeps data at rest.')
param dataLocation string

@description('The society\'s own sending domain, e.g. mentoring.example.org; empty for an Azure-managed domain.')
param customDomain string

@description('Display name of the sender on a custom domain.')
param senderDisplayName string

@description('Name of the app\'s user-assigned managed identity (in this resource group), which sends the email.')
param identityName string

var azureManaged = empty(customDomain)
// Communication and Email Service Owner: read/write on Communication Services and write on Email Services, which sending requires.
var emailServiceOwner = '09976791-48a7-449e-bb21-39d1a415f350'

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: '${prefix}-email-${uniqueString(resourceGroup().id)}'
  location: 'global'
  properties: { dataLocation: dataLocation }
}

resource domain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: azureManaged ? 'AzureManagedDomain' : customDomain
  location: 'global'
  properties: {
    domainManagement: azureManaged ? 'AzureManaged' : 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource sender 'Microsoft.Communication/emailServices/domains/senderUsernames@2023-04-01' = if (!azureManaged) {
  parent: domain
  name: 'mentorship'
  properties: { username: 'mentorship', displayName: senderDisplayName }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: '${prefix}-acs-${uniqueString(resourceGroup().id)}'
  location: 'global'
  properties: {
    dataLocation: dataLocation
    linkedDomains: [ domain.id ]
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource senderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, identity.id, emailServiceOwner)
  scope: communication
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', emailServiceOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output communicationName string = communication.name
output communicationId string = communication.id
output endpoint string = 'https://${communication.properties.hostName}'
output fromAddress string = '${azureManaged ? 'DoNotReply' : 'mentorship'}@${domain.properties.fromSenderDomain}'
output azureManagedDomain bool = azureManaged
