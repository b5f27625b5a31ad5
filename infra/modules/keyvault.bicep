// Key Vault in RBAC mode with purge protection. It holds the SMTP password and the admin key; the app's managed
// identity may read secrets, the deploying operator may write them. The template never holds a secret's value.

@description('Azure region.')
param location string

@description('Name prefix shared by every resource.')
param prefix string

@description('Name of the app\'s user-assigned managed identity (in this resource group).')
param identityName string

@description('Object id of the operator who sets the secrets (Key Vault Secrets Officer); empty for none.')
param operatorPrincipalId string

@description('Principal type of the operator.')
@allowed([ 'User', 'Group', 'ServicePrincipal' ])
param operatorPrincipalType string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var cryptoUser = '12338af0-0e69-4776-bea7-57ae8d297424'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${prefix}-kv-${uniqueString(resourceGroup().id)}', 24)
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Wraps the Data Protection key ring's keys (the app calls wrapkey/unwrapkey with its identity; the key never leaves the vault).
resource keyRingKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'key-ring'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [ 'wrapKey', 'unwrapKey' ]
  }
}

resource appWrapsKeys 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyRingKey.id, identity.id, cryptoUser)
  scope: keyRingKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appReads 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorWrites 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
output keyRingKeyUri string = keyRingKey.properties.keyUri
