using System.Diagnostics;
using System.Globalization;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>The app as its own process (as the Container Apps app and job run it), configured through environment variables only.</summary>
public static class ChildApp
{
    /// <summary>The task hub of a database's apps: letters and digits, at most 45.</summary>
    public static string TaskHubFor(string database)
    {
        var name = "hub" + new string([.. database.Where(char.IsAsciiLetterOrDigit)]);
        return name[..Math.Min(45, name.Length)];
    }

    public static Process Start(string verb, LocalStack stack, string database, IReadOnlyDictionary<string, string> environment, Action<string>? log = null)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{typeof(Program).Assembly.Location}\" {verb}")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Cosmos__Endpoint"] = stack.CosmosEndpoint;
        start.Environment["Cosmos__Database"] = database;
        start.Environment["Smtp__Port"] = stack.SmtpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Durable__StorageConnectionString"] = stack.DurableConnectionString;
        // A task hub of its own for each database, shared by the processes (and restarts) that use that database.
        start.Environment["Durable__TaskHub"] = TaskHubFor(database);
        start.Environment["Durable__PartitionCount"] = "1";
        start.Environment["MentorFlow__AdminKey"] = MentorFlowApp.AdminKey;
        start.Environment["MentorFlow__PublicBaseUrl"] = "http://mentorflow.test";
        start.Environment["MentorFlow__EmailsPerMinute"] = "100000";
        start.Environment["MentorFlow__EmailsPerHour"] = "1000000";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => log?.Invoke(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => log?.Invoke(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until the process answers <c>/healthz/live</c> (true) or exits or 30 seconds pass (false).</summary>
    public static async Task<bool> WaitUntilLiveAsync(Process process, HttpClient client)
    {
        for (var attempt = 0; attempt < 120 && !process.HasExited; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("/healthz/live");
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                // Not listening yet: the only failure expected while the process starts; anything else fails the test.
                await Task.Delay(250);
                continue;
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>
    /// Waits until the process's log says its Durable Task engine runs (true), or it exits or a minute passes (false): the
    /// engine starts beside the app, after the app answers.
    /// </summary>
    public static async Task<bool> WaitForEngineAsync(Process process, IEnumerable<string> log)
    {
        for (var look = 0; look < 600 && !process.HasExited; look++)
        {
            if (log.Any(l => l.Contains("The workflow's orchestrations run here", StringComparison.Ordinal)))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }
}
