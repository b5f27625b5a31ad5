using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The local Cosmos DB server holds up for a whole test run: any number of databases, each queryable (scripts/patch-local-cosmos.js).</summary>
public class LocalCosmosTests
{
    /// <summary>
    /// Unpatched, the 62nd and 63rd database (and every 64th after) got a resource id with "+" or "/" that the SDK cannot use:
    /// a query on its container failed with 404 "stale cache" — one test in a full run failed wherever that database fell.
    /// </summary>
    [Fact]
    public async Task Every_one_of_130_databases_made_one_after_another_answers_a_query_on_its_container()
    {
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), FakeClockApp.Clock());
        var client = app.App.Services.GetRequiredService<CosmosConnection>().Client;
        var failed = new List<string>();
        var prefix = $"rid-{Guid.NewGuid():N}"[..12];

        for (var i = 0; i < 130; i++)
        {
            Database database = await client.CreateDatabaseIfNotExistsAsync($"{prefix}-{i}");
            Container container = await database.CreateContainerIfNotExistsAsync("things", "/pk");
            await container.CreateItemAsync(new { id = "a", pk = "p" }, new PartitionKey("p"));
            try
            {
                using var query = container.GetItemQueryIterator<dynamic>(new QueryDefinition("SELECT * FROM c WHERE c.pk = 'p'"), requestOptions: new() { PartitionKey = new PartitionKey("p") });
                if ((await query.ReadNextAsync()).Count != 1)
                {
                    failed.Add($"{i}: no item");
                }
            }
            catch (CosmosException e)
            {
                failed.Add($"{i} ({database.Id}): {e.StatusCode}");
            }
            await database.DeleteAsync();
        }

        Assert.Empty(failed);
    }
}
