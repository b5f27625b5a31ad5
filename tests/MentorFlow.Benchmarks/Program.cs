using System.Diagnostics;
using System.Globalization;
using MentorFlow.Benchmarks;
using MentorFlow.Shared.Matching;

// Usage: MentorFlow.Benchmarks [sizes...]   e.g. 100 1000 10000 (mentees; mentors are half as many)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [100, 1000, 10000];
const int seed = 2027;
Console.WriteLine($"MentorFlow matching benchmark · seed {seed} · {Environment.ProcessorCount} cores · .NET {Environment.Version}");
Console.WriteLine("objective = (mentees matched, total score); higher is better, matched first");
Console.WriteLine();
Console.WriteLine($"{"mentees",8} {"mentors",8} {"allowed pairs",14} | {"MentorFlow",28} {"time",8} {"peak MB",8} | {"reference (OR-Tools)",28} {"time",8} | {"greedy",28} {"ratio",7} | {"Gale-Shapley",28} {"ratio",7} | {"blocking",8}");
foreach (var mentees in sizes)
{
    var cohort = SyntheticCohort.Cohort();
    var people = SyntheticCohort.People(mentees, mentees / 2, seed);
    GC.Collect();
    var clock = Stopwatch.StartNew();
    var result = Matcher.Match(cohort, people, MatchingSteering.None);
    var matcherTime = clock.Elapsed;
    var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
    var run = Matcher.LastRun;
    var ours = new Objective(result.Quality.MatchedMentees, result.Quality.TotalPoints);

    var table = new PairTable(cohort, people);
    clock.Restart();
    var reference = Baselines.Reference(table);
    var referenceTime = clock.Elapsed;
    var greedy = Baselines.Greedy(table);
    var galeShapley = Baselines.GaleShapley(table);

    string Ratio(Objective o) => $"{(double)o.Points / ours.Points:0.000}";
    Console.WriteLine($"{mentees,8} {mentees / 2,8} {table.PairCount,14:N0} | {ours,28} {matcherTime.TotalSeconds,7:0.00}s {peak,8} | {reference,28} {referenceTime.TotalSeconds,7:0.00}s | {greedy,28} {Ratio(greedy),7} | {galeShapley,28} {Ratio(galeShapley),7} | {result.Quality.BlockingPairs,8}");
    Console.WriteLine($"{"",33}  MentorFlow: profiles {run.Preparing.TotalSeconds:0.00}s, candidates {run.Candidates.TotalSeconds:0.00}s, {run.Rounds} solve round(s) {run.Solving.TotalSeconds:0.00}s, optimality check {run.Checking.TotalSeconds:0.00}s ({run.Added} pairs added), reasons and figures {run.Explaining.TotalSeconds:0.00}s");
    Console.WriteLine($"{"",33}  MentorFlow {(ours == reference ? "equals" : "DIFFERS FROM")} the reference; greedy matched {greedy.Matched - ours.Matched:+0;-0;0}, Gale-Shapley matched {galeShapley.Matched - ours.Matched:+0;-0;0} mentees vs MentorFlow");
    if (ours != reference)
    {
        Environment.ExitCode = 1;
    }
}
