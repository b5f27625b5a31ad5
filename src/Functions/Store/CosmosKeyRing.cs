using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MentorFlow.Functions.Store;

/// <summary>
/// Keeps the Data Protection key ring in Cosmos DB, so that a link signed by one instance (or before a restart) is
/// readable by every other. The interface is synchronous; Data Protection caches the ring and calls it rarely.
/// </summary>
public sealed class CosmosKeyRing(CosmosStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.ListKeysAsync(CancellationToken.None).GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        store.StoreKeyAsync(new KeyDocument(friendlyName, KeyDocument.Partition, element.ToString(SaveOptions.DisableFormatting)), CancellationToken.None)
            .GetAwaiter().GetResult();
}
