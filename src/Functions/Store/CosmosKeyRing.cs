using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MentorFlow.Functions.Store;

/// <summary>
/// Keeps the Data Protection key ring in Cosmos DB, so that a link signed by one instance (or before a restart) is
/// readable by every other. The interface is synchronous; Data Protection caches the ring and calls it rarely.
/// </summary>
public sealed class CosmosKeyRing(CosmosStore store, StoreReadiness readiness) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        readiness.Wait();
        return [.. store.ListKeysAsync(CancellationToken.None).GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        readiness.Wait();
        store.StoreKeyAsync(new KeyDocument(friendlyName, KeyDocument.Partition, element.ToString(SaveOptions.DisableFormatting)), CancellationToken.None)
            .GetAwaiter().GetResult();
    }
}

/// <summary>
/// Whether the store's containers exist: where the app creates them at start-up (the local stack), nothing reads the key ring
/// before they do (Data Protection reads it as the host starts, and a read of a container not yet made logged a 404 failure).
/// </summary>
public sealed class StoreReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void MarkReady() => _ready.TrySetResult();

    /// <summary>Waits for the containers (at most a minute: then the read goes ahead and fails as it would have).</summary>
    public void Wait() => _ready.Task.Wait(TimeSpan.FromMinutes(1));
}
