// Example parameters. First deployment: leave `image` empty; second: set it to the image `az acr build` pushed.
using 'main.bicep'

param prefix = 'mentorflow'
param image = ''
param operatorPrincipalId = ''
param smtpAppId = ''
param smtpServicePrincipalId = ''
param adminApiAppId = ''
param customEmailDomain = ''
param fromName = 'Society Mentorship Program'
param tickSchedule = '*/5 * * * *'
param maxReplicas = 3
