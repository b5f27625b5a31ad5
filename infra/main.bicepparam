// Example parameters; one deployment creates everything (then the admin key goes into Key Vault and the package is uploaded).
using 'main.bicep'

param prefix = 'mentorflow'
param operatorPrincipalId = ''
param adminApiAppId = ''
param consoleAppId = ''
param customEmailDomain = ''
param tickSchedule = '0 */5 * * * *'
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
