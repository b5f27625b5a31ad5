using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using MentorFlow.Shared.Cohorts;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Apis;

/// <summary>What the handlers need, bundled for <c>[AsParameters]</c>.</summary>
public sealed record ApiServices(CosmosStore Store, TimeProvider Time, IOptions<AppSettings> Options, ReceiptOutbox Outbox)
{
    public AppSettings Settings => Options.Value;

    public string PublicUrl(string path) => Settings.PublicBaseUrl.TrimEnd('/') + path;
}

/// <summary>The JSON the API answers with: the stored records plus the links an admin follows next.</summary>
public static class Views
{
    public static JsonObject Cohort(Cohort cohort, ApiServices services)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(cohort, Json.Output)!;
        var self = $"/api/cohorts/{cohort.Id}";
        node["joinUrl"] = services.PublicUrl($"/cohorts/{cohort.Id}/join");
        node["links"] = new JsonObject
        {
            ["self"] = self,
            ["join"] = $"/cohorts/{cohort.Id}/join",
            ["participants"] = $"{self}/participants",
            ["openIntake"] = $"{self}/intake/open",
            ["closeIntake"] = $"{self}/intake/close",
        };
        return node;
    }

    public static JsonObject Participant(ParticipantDocument document)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(document.Participant, Json.Output)!;
        node["receipt"] = new JsonObject
        {
            ["state"] = JsonSerializer.SerializeToNode(document.Receipt.State, Json.Output),
            ["attempts"] = document.Receipt.Attempts,
            ["sentAt"] = document.Receipt.SentAt?.ToString("O"),
        };
        return node;
    }
}
