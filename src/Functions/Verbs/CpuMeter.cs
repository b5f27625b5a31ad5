using System.Diagnostics;
using System.Globalization;

namespace MentorFlow.Functions.Verbs;

/// <summary>
/// How busy the machine's cores and this process were between two moments: on one machine the app, the store and the mail
/// server share the cores, so this says whether a run was bound by them. The machine's share comes from /proc/stat (Linux);
/// elsewhere it is left out.
/// </summary>
public sealed class CpuMeter
{
    private readonly (long Busy, long Total)? _machine = ReadMachine();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    /// <summary>The machine's cores busy (0–100 % of all of them; null off Linux) and this process's share of all the cores.</summary>
    public (double? MachinePercent, double ProcessPercent) Read()
    {
        var cores = Environment.ProcessorCount;
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds / (_wall.Elapsed.TotalSeconds * cores) * 100;
        double? machine = null;
        if (_machine is { } before && ReadMachine() is { } after && after.Total > before.Total)
        {
            machine = 100.0 * (after.Busy - before.Busy) / (after.Total - before.Total);
        }
        return (machine, process);
    }

    /// <summary>The "cpu" line of /proc/stat: busy and total jiffies (idle and I/O wait are not busy).</summary>
    private static (long Busy, long Total)? ReadMachine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
