using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Apis;

/// <summary>What the handlers need, bundled for <c>[AsParameters]</c>.</summary>
public sealed record ApiServices(CosmosStore Store, TimeProvider Time, IOptions<AppSettings> Options, Outbox Outbox)
{
    public AppSettings Settings => Options.Value;

    public string PublicUrl(string path) => Settings.PublicBaseUrl.TrimEnd('/') + path;
}

/// <summary>The JSON the API answers with: the stored records plus the links an admin follows next.</summary>
public static class Views
{
    public static JsonObject Cohort(CohortDocument document, ApiServices services)
    {
        var cohort = document.Cohort;
        var node = (JsonObject)JsonSerializer.SerializeToNode(cohort, Json.Output)!;
        node["pendingMessages"] = document.OutboxCount;
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
        var receipt = document.Outbox.FirstOrDefault(m => m.Key == Shared.Email.ReceiptEmail.KeyFor(document.Participant));
        node["receipt"] = new JsonObject
        {
            ["state"] = JsonSerializer.SerializeToNode(receipt?.State ?? OutboxState.Sent, Json.Output),
            ["attempts"] = receipt?.Attempts ?? 0,
            ["sentAt"] = receipt?.SentAt?.ToString("O"),
        };
        return node;
    }
}
