using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Store;
using MentorFlow.Shared;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Verbs;

/// <summary>Counts what was sent, by kind (from the idempotency key), on its way to the real sender.</summary>
public sealed class CountingEmailSender(SmtpEmailSender inner) : IEmailSender
{
    public ConcurrentDictionary<string, int> ByKind { get; } = new();

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        await inner.SendAsync(message, cancellationToken);
        var parts = message.IdempotencyKey.Split('/');
        var kind = parts[0] is "receipt" or "report" ? parts[0] : parts[1] == "alert" ? "alert:" + string.Concat(parts[2].TakeWhile(c => !char.IsDigit(c))).TrimEnd('-') : parts[1].StartsWith("resend", StringComparison.Ordinal) ? "resend" : parts[1].Split('-')[0];
        ByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }
}

/// <summary>
/// The `simulate` verb: a synthetic cohort through its whole term against the configured stack (the local one under
/// ./mentorflow simulate), driven through the same HTTP routes, orchestrations and sender as production, on the dev clock (each
/// jump of it wakes every orchestration and waits for their answers).
/// People answer through their links. Prints pairs by final state, emails by kind, and Cosmos DB operations per pair.
/// </summary>
public static class Simulation
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pairCount = int.Parse(VerbArgs.Option(args, "--pairs") ?? "1000", CultureInfo.InvariantCulture);
        var seed = int.Parse(VerbArgs.Option(args, "--seed") ?? "2027", CultureInfo.InvariantCulture);
        var answerConcurrency = int.Parse(VerbArgs.Option(args, "--answer-concurrency") ?? "8", CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateBuilder(VerbArgs.Without(args, "--pairs", "--seed", "--answer-concurrency"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MentorFlow:RunOutbox"] = "false",
            ["MentorFlow:DevClock"] = "true",
            ["Durable:TaskHub"] = $"sim{Guid.NewGuid():N}"[..20],
            ["MentorFlow:IntakePermitsPerMinute"] = "100000",
            ["MentorFlow:LinkPermitsPerMinute"] = "100000",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMentorFlow();
        builder.Services.AddSingleton<SmtpEmailSender>();
        builder.Services.AddSingleton<CountingEmailSender>();
        builder.Services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<CountingEmailSender>());
        await using var app = builder.Build();
        app.UseMentorFlow();
        await app.StartAsync();
        var settings = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppSettings>>().Value;
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add(AdminKeyFilter.Header, settings.AdminKey);
        var clock = (DevClock)app.Services.GetRequiredService<TimeProvider>();
        var store = app.Services.GetRequiredService<CosmosStore>();
        var counter = app.Services.GetRequiredService<CosmosConnection>().Counter;
        var tokens = app.Services.GetRequiredService<ResponseTokens>();
        var engine = app.Services.GetRequiredService<Durable.WorkflowEngine>();
        var outbox = app.Services.GetRequiredService<Email.Outbox>();
        var emails = app.Services.GetRequiredService<CountingEmailSender>();
        var random = new Random(seed);
        var wall = Stopwatch.StartNew();
        var slowWakeUps = 0;

        Console.WriteLine($"simulate: {pairCount} pairs, seed {seed}, answers {answerConcurrency} at once, quota {settings.EmailsPerMinute}/min and {settings.EmailsPerHour}/h on the simulated clock");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var cohort = await ReadJson(await http.PostAsJsonAsync("/api/cohorts", new JsonObject
        {
            ["name"] = $"Simulated cohort {seed}", ["society"] = "Simulation Society",
            ["nationalMeeting"] = new JsonObject { ["name"] = "Annual Meeting", ["startsOn"] = today.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["city"] = "Austin", ["timeZone"] = "America/Chicago" },
            ["intakeClosesOn"] = today.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["programStartsOn"] = today.AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["adminEmails"] = new JsonArray("program-team@simulation.example"),
        }));
        var cohortId = cohort["id"]!.GetValue<string>();
        await Ok(http.PostAsync($"/api/cohorts/{cohortId}/intake/open", null));
        string[] zones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London", "Asia/Tokyo"];
        string[] aspects = ["clinical", "career", "research", "leadership", "education", "wellbeing", "navigation"];
        for (var i = 0; i < pairCount * 2; i++)
        {
            var mentor = i % 2 == 1;
            await Ok(http.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", new JsonObject
            {
                ["role"] = mentor ? "mentor" : "mentee", ["firstName"] = mentor ? "Mentor" : "Mentee", ["lastName"] = $"N{i / 2:D5}",
                ["email"] = $"{(mentor ? "mentor" : "mentee")}{i / 2:D5}@simulation.example", ["careerStage"] = mentor ? "late" : "trainee",
                ["specialty"] = "Anesthesiology", ["practiceSetting"] = "academic", ["institution"] = $"Hospital {i}", ["city"] = "City",
                ["region"] = "TX", ["country"] = "US", ["timeZone"] = zones[i / 2 % zones.Length],
                ["aspects"] = new JsonArray(aspects[i % 7], aspects[(i + 3) % 7]), ["attendingNationalMeeting"] = i % 3 != 0,
                ["capacity"] = mentor ? 1 : null, ["goals"] = "Grow.", ["consent"] = true,
            }));
        }
        // Everyone confirms at once (Development's shortcut for what each person does from their first email).
        await Ok(http.PostAsync($"/api/dev/cohorts/{cohortId}/participants/confirm", null));
        await Ok(http.PostAsync($"/api/cohorts/{cohortId}/intake/close", null));
        await Ok(http.PostAsync($"/api/cohorts/{cohortId}/matching", null));
        await Ok(http.PostAsync($"/api/cohorts/{cohortId}/matching/approve", null));
        // The emails about registrations (confirmation, receipt) go out before launch, as the outbox's sweep sends them in
        // production: they are the intake's, not the term's, and are counted apart.
        await outbox.SweepAsync(CancellationToken.None);
        var before = counter.Snapshot();
        var writesBefore = new Dictionary<string, long>(counter.WritesByContainer);
        var racesBefore = counter.LostRaces;
        var storage = app.Services.GetRequiredService<Durable.StorageTransactions>();
        var workflowCounters = app.Services.GetRequiredService<Durable.WorkflowCounters>();
        var storageBefore = storage.Snapshot();
        var stepsBefore = workflowCounters.Steps;
        await Ok(http.PostAsync($"/api/cohorts/{cohortId}/launch", null));
        var setupTime = wall.Elapsed;
        var cpu = new CpuMeter();

        // Behaviour per pair: most meet monthly; some never answer; some answer "not yet" early; some ask for help once.
        var behaviour = new Dictionary<string, int>();
        var excluded = (Reads: 0L, Writes: 0L, Queries: 0L, Feeds: 0L);
        var lastMonth = new Dictionary<string, int>();
        var surveyed = new HashSet<string>();
        var steps = 0;
        var tickTimes = new List<double>();
        var transitions = 0L;
        var answerTime = TimeSpan.Zero;
        var bulkTimes = new List<double>();
        var nudged = 0;
        var lookTime = TimeSpan.Zero; // the simulation's own reading of the pairs: the people's side, not the app's work
        (Shared.Cohorts.CohortStatus, int) shown = default;
        while (steps++ < 100_000)
        {
            var tick = Stopwatch.StartNew();
            var summary = await CatchUpAsync(); // every orchestration answers the clock's jump
            await outbox.SweepAsync(CancellationToken.None);
            tickTimes.Add(tick.Elapsed.TotalMilliseconds);
            transitions += summary.Transitions + summary.CohortTransitions;
            // The simulation's own look at the pairs is not the app's work: its operations are left out of the figures.
            var look = counter.Snapshot();
            var looking = Stopwatch.StartNew();
            var pairs = await store.ListPairsAsync(cohortId, CancellationToken.None);
            var status = (await store.ReadCohortAsync(cohortId, CancellationToken.None))!.Cohort.Status;
            var after = counter.Snapshot();
            lookTime += looking.Elapsed;
            excluded = (excluded.Reads + after.Reads - look.Reads, excluded.Writes + after.Writes - look.Writes, excluded.Queries + after.Queries - look.Queries, excluded.Feeds + after.Feeds - look.Feeds);
            // A progress line whenever the cohort's status or its leading month changes: a 400-pair term takes a while here.
            var progress = (status, pairs.Count == 0 ? 0 : pairs.Max(d => d.Pair.Month));
            if (progress != shown)
            {
                shown = progress;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {wall.Elapsed:hh\\:mm\\:ss} day {clock.Offset.TotalDays:0}: cohort {Words.Of(status)}, leading month {progress.Item2}, {pairs.Count(d => d.Pair.Status == PairStatus.Completed)} of {pairs.Count} pairs completed"));
            }
            if (status == Shared.Cohorts.CohortStatus.Closed)
            {
                break;
            }
            // People answer as they would: many at once (the answers are decided here in order, so that a seed gives one run).
            var answers = new List<(string PairId, string Path, Dictionary<string, string>? Form)>();
            foreach (var document in pairs.Where(d => d.Outbox.Count == 0))
            {
                var pair = document.Pair;
                var kind = behaviour.TryGetValue(pair.Id, out var k) ? k : behaviour[pair.Id] = random.Next(100);
                if (pair.Status is PairStatus.Active or PairStatus.AtRisk && pair.Month > lastMonth.GetValueOrDefault(pair.Id))
                {
                    lastMonth[pair.Id] = pair.Month;
                    Answer? answer = kind switch
                    {
                        < 70 => Answer.Met,
                        < 80 => null,
                        < 90 => pair.Month <= 3 ? Answer.NotYet : Answer.Met,
                        < 95 => pair.Month == 4 ? Answer.NeedHelp : Answer.Met,
                        _ => pair.Month % 2 == 1 ? Answer.Met : null,
                    };
                    if (answer is { } a)
                    {
                        answers.Add((pair.Id, Path(tokens.CheckIn(pair, pair.Mentee, pair.Month, a)), null));
                    }
                }
                if (pair.Status == PairStatus.Surveying && surveyed.Add(pair.Id) && kind < 60)
                {
                    foreach (var member in pair.Both)
                    {
                        answers.Add((pair.Id, Path(tokens.Survey(pair, member)), new Dictionary<string, string>
                        {
                            ["satisfaction"] = (3 + random.Next(3)).ToString(CultureInfo.InvariantCulture), ["goalsMet"] = "yes",
                            ["willContinue"] = "true", ["wouldJoinAgain"] = "true", ["wouldMentor"] = random.Next(2) == 0 ? "true" : "false",
                        }));
                    }
                }
            }
            var answering = Stopwatch.StartNew();
            // Pairs answer at once; the two people of one pair one after the other (they seldom answer in the same instant).
            await Parallel.ForEachAsync(answers.GroupBy(a => a.PairId), new ParallelOptions { MaxDegreeOfParallelism = answerConcurrency }, async (pairAnswers, _) =>
            {
                foreach (var answer in pairAnswers)
                {
                    using var form = answer.Form is null ? null : new FormUrlEncodedContent(answer.Form);
                    await Ok(http.PostAsync(answer.Path, form));
                }
            });
            answerTime += answering.Elapsed;
            if (bulkTimes.Count == 0 && pairs.Count(d => d.Pair.Month >= 5) * 2 >= pairCount)
            {
                // Once, in month 5, the program's admin nudges every pair that has not answered, twenty at a time (the bulk action, timed).
                var answered = answers.Select(a => a.PairId).ToHashSet(StringComparer.Ordinal);
                foreach (var batch in pairs.Where(d => d.Pair.AwaitsAnswer() && !answered.Contains(d.Id)).Select(d => d.Id).Chunk(20))
                {
                    var bulk = Stopwatch.StartNew();
                    var result = await ReadJson(await http.PostAsJsonAsync($"/api/cohorts/{cohortId}/pairs/bulk", new { action = "nudge", pairIds = batch }));
                    bulkTimes.Add(bulk.Elapsed.TotalMilliseconds);
                    nudged += result["done"]!.GetValue<int>();
                }
            }
            transitions += answers.Count; // each answer is a transition of its pair too (one write), made by a request
            var now = clock.GetUtcNow();
            var waiting = pairs.Any(d => d.Outbox.Count > 0);
            var next = pairs.Where(d => d.Pair.NextDueAt is not null && d.Pair.Status != PairStatus.Paused).Select(d => d.Pair.NextDueAt!.Value).DefaultIfEmpty(now.AddDays(1)).Min();
            clock.Advance(waiting ? TimeSpan.FromMinutes(20) : next > now ? next - now : TimeSpan.FromMinutes(1));
        }
        var end = counter.Snapshot();
        var storageUsed = storage.Snapshot().Since(storageBefore);
        var engineSteps = workflowCounters.Steps - stepsBefore;
        var (machineBusy, appBusy) = cpu.Read();
        var final = await store.ListPairsAsync(cohortId, CancellationToken.None);
        var reads = end.Reads - before.Reads - excluded.Reads;
        var writes = end.Writes - before.Writes - excluded.Writes;
        var queries = end.Queries - before.Queries - excluded.Queries;
        var feeds = end.Feeds - before.Feeds - excluded.Feeds;
        Console.WriteLine($"wall time: {wall.Elapsed.TotalSeconds:0} s (setup {setupTime.TotalSeconds:0} s), simulated {clock.Offset.TotalDays:0} days, {steps} steps");
        Console.WriteLine($"pairs by final state: {string.Join(", ", final.GroupBy(d => d.Pair.Status).OrderBy(g => g.Key).Select(g => $"{Words.Of(g.Key)} {g.Count()}"))}; ever at risk {final.Count(d => d.Pair.EverAtRisk)}");
        Console.WriteLine($"emails by kind: {string.Join(", ", emails.ByKind.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))} (total {emails.ByKind.Values.Sum()})");
        Console.WriteLine($"the machine's {Environment.ProcessorCount} cores over the term: {(machineBusy is { } busy ? $"{busy:0}% busy" : "not measured here")}, the app's own share {appBusy:0}% (the rest: the store, the mail server, others)");
        Console.WriteLine($"clock jumps: {tickTimes.Count}, each answered by the cohort's orchestration and those of the pairs then due, {tickTimes.Sum() / 1000:0} s in all; the people's answers {answerTime.TotalSeconds:0} s; " +
            $"the simulation's own look at the pairs between steps {lookTime.TotalSeconds:0} s, left out of the term's time as its requests are left out of the counts");
        Console.WriteLine($"Cosmos DB operations from launch to close: {reads} point reads, {writes} writes, {queries} queries, {feeds} feed reads");
        Console.WriteLine($"  per pair: {reads / (double)pairCount:0.0} reads, {writes / (double)pairCount:0.0} writes, {queries / (double)pairCount:0.00} queries");
        Console.WriteLine($"  registration to launch (intake, its emails, matching), apart: {before.Reads / (double)pairCount:0.0} reads, {before.Writes / (double)pairCount:0.0} writes, {before.Queries / (double)pairCount:0.00} queries per pair");
        Console.WriteLine($"  writes by container: {string.Join(", ", counter.WritesByContainer.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {(kv.Value - writesBefore.GetValueOrDefault(kv.Key)) / (double)pairCount:0.0}"))} per pair; refused as lost races (412): {counter.LostRaces - racesBefore}");
        Console.WriteLine($"largest document written: {end.LargestWrite:N0} bytes; largest pair document at the end: {final.Max(d => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(d, Hosting.Json.Output).Length):N0} bytes");
        var durable = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Durable.DurableSettings>>().Value;
        var historyRows = await HistoryRowsAsync(durable, Durable.InstanceIds.PairsOf(cohortId));
        // Lost: a pair launched that did not reach an end (completed or cancelled) by the cohort's close.
        var lost = final.Count(d => !d.Pair.IsTerminal);
        Console.WriteLine($"the Durable engine's task hub from launch to close: {engineSteps} steps (activities), {storageUsed.Total} storage transactions " +
            $"({storageUsed.Queue} queue, {storageUsed.Table} table, {storageUsed.Blob} blob): {storageUsed.Total / (double)pairCount:0} per pair; " +
            $"history rows left per pair: {historyRows / (double)pairCount:0.0}; pairs lost (not ended at the close): {lost}");
        var term = wall.Elapsed - setupTime - lookTime;
        tickTimes.Sort();
        var largestPair = final.Max(d => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(d, Hosting.Json.Output).Length);
        // One line for ./mentorflow bench workflow to read: the term from launch to close, and what it took.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT pairs={pairCount} term_s={term.TotalSeconds:0.0} transitions={transitions} emails={emails.ByKind.Values.Sum()} ticks={tickTimes.Count} " +
            $"tick_p50_ms={tickTimes[tickTimes.Count / 2]:0} tick_p99_ms={tickTimes[(int)(tickTimes.Count * 0.99)]:0} reads={reads} writes={writes} queries={queries} feeds={feeds} " +
            $"largest_write={end.LargestWrite} largest_pair={largestPair} send_concurrency={settings.SendConcurrency} answer_concurrency={answerConcurrency} " +
            $"cpu_busy_pct={machineBusy ?? -1:0} app_cpu_pct={appBusy:0} steps={engineSteps} storage={storageUsed.Total} storage_queue={storageUsed.Queue} " +
            $"storage_table={storageUsed.Table} storage_blob={storageUsed.Blob} history_rows={historyRows} lost={lost} slow_wakeups={slowWakeUps}"));
        bulkTimes.Sort();
        Console.WriteLine(bulkTimes.Count == 0 ? "bulk nudge: no pair left unanswered in month 5" :
            $"bulk nudge in month 5 (POST …/pairs/bulk, 20 pairs a call): {nudged} pairs nudged in {bulkTimes.Count} calls, p50 {bulkTimes[bulkTimes.Count / 2]:0} ms, max {bulkTimes[^1]:0} ms");
        await ConsoleTimingsAsync(app.Urls.First(), settings.AdminKey, cohortId, pairCount, final[pairCount / 2].Pair);
        // The retention period ends: the cohort's own timer erases every participant's personal data.
        var erasureDue = (await store.ReadCohortAsync(cohortId, CancellationToken.None))!.Cohort.NextDueAt!.Value;
        clock.Advance(erasureDue - clock.GetUtcNow());
        var people = (await store.ListParticipantsAsync(cohortId, CancellationToken.None)).Count;
        var erasing = Stopwatch.StartNew();
        await CatchUpAsync();
        erasing.Stop();
        var left = (await store.ListParticipantsAsync(cohortId, CancellationToken.None)).Count;
        Console.WriteLine($"erasure after the retention period: {people} participants' personal data in {erasing.Elapsed.TotalSeconds:0.0} s ({left} left)");
        await app.StopAsync();
        return 0;

        string Path(string url) => new Uri(url).PathAndQuery;

        // A catch-up whose wake-up goes unanswered for a minute (a machine briefly overloaded: Azurite's one core is the
        // bound) is reported and run again, up to three times: waking is only ever "look now", so a second catch-up is
        // harmless, and a long run is not lost to one slow minute. The count is printed with the figures.
        async Task<Durable.TickSummary> CatchUpAsync()
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await engine.CatchUpAsync(CancellationToken.None);
                }
                catch (TimeoutException slow) when (attempt < 3)
                {
                    slowWakeUps++;
                    Console.WriteLine($"  {wall.Elapsed:hh\\:mm\\:ss} a wake-up went unanswered for a minute; catching up again ({attempt} of 3): {slow.Message}");
                }
            }
        }
    }

    /// <summary>The rows the task hub's History table holds for the instances whose ids start with <paramref name="prefix"/>.</summary>
    private static async Task<long> HistoryRowsAsync(Durable.DurableSettings durable, string prefix)
    {
        var table = new Azure.Data.Tables.TableClient(durable.StorageConnectionString, $"{durable.TaskHub}History");
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        var rows = 0L;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>($"PartitionKey ge '{prefix}' and PartitionKey lt '{end}'", select: ["PartitionKey"]))
        {
            rows++;
        }
        return rows;
    }

    /// <summary>
    /// How long the console takes to answer with each page whose size grows with the cohort (signed in with the key, as a
    /// browser would): the lists, the pages that sum over every pair, and one pair's and one person's page.
    /// </summary>
    private static async Task ConsoleTimingsAsync(string baseUrl, string adminKey, string cohortId, int pairCount, Pair onePair)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
        var form = await browser.GetStringAsync("/console/sign-in");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        await Ok(browser.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["key"] = adminKey, ["returnUrl"] = "/console",
        })));
        async Task<string> Time(string path)
        {
            var times = new List<double>();
            for (var i = 0; i < 22; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await browser.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                watch.Stop();
                if (!response.IsSuccessStatusCode || !body.Contains("<main", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
                }
                if (i >= 2)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
            times.Sort();
            return $"p50 {times[times.Count / 2]:0} ms, max {times[^1]:0} ms";
        }
        Console.WriteLine($"console ({pairCount} pairs, 20 requests each after 2 warm-ups): pairs board {await Time($"/console/cohorts/{cohortId}/pairs")}; " +
            $"pairs board searched {await Time($"/console/cohorts/{cohortId}/pairs?q=Hospital")}; matching review {await Time($"/console/cohorts/{cohortId}/matching")}; " +
            $"messages {await Time($"/console/cohorts/{cohortId}/messages")}; audit trail {await Time($"/console/cohorts/{cohortId}/audit")}");
        Console.WriteLine($"console, more pages ({pairCount} pairs, as above): overview {await Time($"/console/cohorts/{cohortId}")}; " +
            $"participants {await Time($"/console/cohorts/{cohortId}/participants")}; participants searched {await Time($"/console/cohorts/{cohortId}/participants?q=Hospital")}; " +
            $"dashboard {await Time($"/console/cohorts/{cohortId}/dashboard")}; report {await Time($"/console/cohorts/{cohortId}/report")}; " +
            $"alerts {await Time($"/console/cohorts/{cohortId}/alerts")}; program {await Time("/console/program")}; " +
            $"one pair {await Time($"/console/cohorts/{cohortId}/pairs/{onePair.Id}")}; one participant {await Time($"/console/cohorts/{cohortId}/participants/{onePair.Mentee.ParticipantId}")}");
    }


    private static async Task<JsonObject> ReadJson(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
