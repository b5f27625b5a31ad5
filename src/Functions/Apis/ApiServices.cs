using MentorFlow.Functions.Email;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Apis;

/// <summary>What the handlers need, bundled for <c>[AsParameters]</c>.</summary>
public sealed record ApiServices(CosmosStore Store, TimeProvider Time, IOptions<AppSettings> Options, Outbox Outbox)
{
    public AppSettings Settings => Options.Value;
}
