using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>
/// The real local stack, started once per test run on free ports: the Cosmos DB server, MailDev and Azurite (the Durable
/// Task engine's storage) from the project's node_modules (installed by ./mentorflow). Stopped when the test process ends.
/// </summary>
public sealed class LocalStack
{
    private static readonly Lazy<Task<LocalStack>> Instance = new(StartAsync);
    private readonly List<Process> _processes = [];

    private LocalStack(int cosmosPort, int smtpPort, int inboxPort, (int Blob, int Queue, int Table) azurite)
    {
        Azurite = azurite;
        // Azurite's well-known development account (public, documented): the engine's task hub lives there.
        DurableConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{azurite.Blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{azurite.Queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{azurite.Table}/devstoreaccount1;";
        CosmosEndpoint = $"https://127.0.0.1:{cosmosPort}/";
        SmtpPort = smtpPort;
        Inbox = new Inbox(new Uri($"http://127.0.0.1:{inboxPort}/"));
    }

    public string CosmosEndpoint { get; }

    public (int Blob, int Queue, int Table) Azurite { get; }

    /// <summary>The task hub's storage account on Azurite (Durable:StorageConnectionString).</summary>
    public string DurableConnectionString { get; }

    public int SmtpPort { get; }

    public Inbox Inbox { get; }

    public static Task<LocalStack> GetAsync() => Instance.Value;

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MentorFlow.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("MentorFlow.sln not found above the test binaries.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<LocalStack> StartAsync()
    {
        var bin = Path.Combine(RepoRoot(), "node_modules", ".bin");
        if (!File.Exists(Path.Combine(bin, "cosmosdb-server")) || !File.Exists(Path.Combine(bin, "maildev")) || !File.Exists(Path.Combine(bin, "azurite")))
        {
            throw new InvalidOperationException("The local stack is not installed: run ./mentorflow test (it runs npm ci first).");
        }
        var stack = new LocalStack(FreePort(), FreePort(), FreePort(), (FreePort(), FreePort(), FreePort()));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stack.Stop();
        var cosmosPort = new Uri(stack.CosmosEndpoint).Port;
        // The server with keep-alive on, as Azure's gateway (its own command line closes every connection after one request).
        stack.Start("node", $"{Path.Combine(RepoRoot(), "scripts", "local-cosmos.js")} --host 127.0.0.1 -p {cosmosPort}");
        stack.Start(Path.Combine(bin, "maildev"), $"--smtp {stack.SmtpPort} --ip 127.0.0.1 --web {stack.Inbox.BaseAddress.Port} --web-ip 127.0.0.1 --silent");
        stack.Start(Path.Combine(bin, "azurite"), $"--silent --inMemoryPersistence --skipApiVersionCheck --blobHost 127.0.0.1 --blobPort {stack.Azurite.Blob} " +
            $"--queueHost 127.0.0.1 --queuePort {stack.Azurite.Queue} --tableHost 127.0.0.1 --tablePort {stack.Azurite.Table}");
        await WaitForPortAsync(cosmosPort);
        await WaitForPortAsync(stack.Azurite.Blob);
        await WaitForPortAsync(stack.Azurite.Queue);
        await WaitForPortAsync(stack.Azurite.Table);
        await WaitForPortAsync(stack.SmtpPort);
        await stack.Inbox.WaitUntilUpAsync();
        return stack;
    }

    /// <summary>Starts a server tied to this process: it stops when the test host ends, however it ends (killed, too).</summary>
    private void Start(string file, string arguments)
    {
        var tied = Path.Combine(RepoRoot(), "scripts", "tied-to-parent.js");
        var process = Process.Start(new ProcessStartInfo("node", $"\"{tied}\" {Environment.ProcessId} {file} {arguments}")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private void Stop()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var attempt = 0; attempt < 600; attempt++) // a minute: Azurite starts slowly on a busy machine
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"Nothing listens on port {port}.");
    }
}
