// Azure Cosmos DB for NoSQL, serverless, keys disabled (data-plane RBAC only), continuous backup; the database and
// every container the app uses, partitioned by cohort, indexing only the paths the app's queries filter on.

@description('Azure region.')
param location string

@description('Name prefix shared by every resource.')
param prefix string

@description('Database name (the app\'s Cosmos:Database).')
param databaseName string

@description('Container names (the app\'s Containers.All).')
param containerNames string[]

@description('Partition key path of every container (the app\'s Containers.PartitionKeyPath).')
param partitionKeyPath string

@description('Paths the app\'s queries filter on (the app\'s Containers.IndexedPaths); everything else is excluded from indexing.')
param indexedPaths string[]

@description('Name of the app\'s user-assigned managed identity (in this resource group).')
param identityName string

// Cosmos DB Built-in Data Contributor (data plane).
var dataContributor = '00000000-0000-0000-0000-000000000002'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: '${prefix}-cosmos-${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [ { name: 'EnableServerless' } ]
    locations: [ { locationName: location, failoverPriority: 0, isZoneRedundant: false } ]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: { tier: 'Continuous7Days' }
    }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for name in containerNames: {
  parent: database
  name: name
  properties: {
    resource: {
      id: name
      partitionKey: { paths: [ partitionKeyPath ], kind: 'Hash', version: 2 }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [for path in indexedPaths: { path: path }]
        excludedPaths: [ { path: '/*' } ]
      }
    }
  }
}]

resource contributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, identity.id, dataContributor)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributor}'
    principalId: identity.properties.principalId
    scope: account.id
  }
}

output endpoint string = account.properties.documentEndpoint
output accountName string = account.name
