using Google.OrTools.Graph;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;

namespace MentorFlow.Benchmarks;

/// <summary>The allowed pairs of a cohort with their points, computed once by the production scoring rules.</summary>
public sealed class PairTable
{
    public PairTable(Cohort cohort, List<Participant> people)
    {
        var reference = new DateTimeOffset(cohort.ProgramStartsOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var scoring = new Scoring(cohort, MatchingSteering.None);
        var interner = new Interner();
        Mentees = people.Where(p => p.Role == Role.Mentee).Select((p, i) => new Profile(p, i, reference, interner)).ToList();
        Mentors = people.Where(p => p.Role == Role.Mentor).Select((p, i) => new Profile(p, i, reference, interner)).ToList();
        Capacity = [.. Mentors.Select(m => m.Capacity)];
        Allowed = new (int Mentor, int Points)[Mentees.Count][];
        Parallel.For(0, Mentees.Count, i =>
        {
            var list = new List<(int, int)>();
            foreach (var mentor in Mentors)
            {
                if (scoring.Blocker(Mentees[i], mentor) is null)
                {
                    list.Add((mentor.Index, scoring.Points(Mentees[i], mentor, null)));
                }
            }
            Allowed[i] = [.. list];
        });
    }

    internal List<Profile> Mentees { get; }
    internal List<Profile> Mentors { get; }
    public int[] Capacity { get; }
    public (int Mentor, int Points)[][] Allowed { get; }
    public long PairCount => Allowed.Sum(a => (long)a.Length);
}

public readonly record struct Objective(int Matched, long Points)
{
    public override string ToString() => $"{Matched} matched, {Points / 10.0:0.0} score";
}

public static class Baselines
{
    /// <summary>Best score first: take the highest-scoring allowed pair while both sides have room.</summary>
    public static Objective Greedy(PairTable table)
    {
        var pairs = new List<(int Mentee, int Mentor, int Points)>();
        for (var m = 0; m < table.Allowed.Length; m++)
        {
            pairs.AddRange(table.Allowed[m].Select(a => (m, a.Mentor, a.Points)));
        }
        pairs.Sort((a, b) => b.Points != a.Points ? b.Points.CompareTo(a.Points) : (a.Mentee, a.Mentor).CompareTo((b.Mentee, b.Mentor)));
        var load = new int[table.Capacity.Length];
        var taken = new bool[table.Allowed.Length];
        var result = new Objective(0, 0);
        foreach (var (mentee, mentor, points) in pairs)
        {
            if (!taken[mentee] && load[mentor] < table.Capacity[mentor])
            {
                taken[mentee] = true;
                load[mentor]++;
                result = new Objective(result.Matched + 1, result.Points + points);
            }
        }
        return result;
    }

    /// <summary>
    /// Mentee-proposing deferred acceptance (Gale–Shapley with capacities, as in the residency match): each mentee proposes
    /// down their list by score; a full mentor keeps the best proposals and rejects the worst. Stable, not optimal.
    /// </summary>
    public static Objective GaleShapley(PairTable table)
    {
        var prefs = table.Allowed.Select(a => a.OrderByDescending(x => x.Points).ThenBy(x => x.Mentor).ToArray()).ToArray();
        var next = new int[prefs.Length];
        var held = table.Capacity.Select(_ => new List<(int Mentee, int Points)>()).ToArray();
        var free = new Queue<int>(Enumerable.Range(0, prefs.Length));
        while (free.Count > 0)
        {
            var mentee = free.Dequeue();
            if (next[mentee] >= prefs[mentee].Length)
            {
                continue;
            }
            var (mentor, points) = prefs[mentee][next[mentee]++];
            var list = held[mentor];
            list.Add((mentee, points));
            if (list.Count > table.Capacity[mentor])
            {
                var worst = list.OrderBy(x => x.Points).ThenByDescending(x => x.Mentee).First();
                list.Remove(worst);
                free.Enqueue(worst.Mentee);
            }
        }
        return new Objective(held.Sum(h => h.Count), held.Sum(h => h.Sum(x => (long)x.Points)));
    }

    /// <summary>
    /// The optimality reference, formulated apart from the production matcher: a plain bipartite b-matching solved by
    /// OR-Tools' max-flow-with-min-cost (the most mentees matched, then the least cost), with no bonus arcs and no bypass.
    /// </summary>
    public static Objective Reference(PairTable table)
    {
        var flow = new MinCostFlow();
        var mentees = table.Allowed.Length;
        int Source() => 0;
        int Sink() => 1;
        int MentorNode(int u) => 2 + u;
        int MenteeNode(int m) => 2 + table.Capacity.Length + m;
        for (var u = 0; u < table.Capacity.Length; u++)
        {
            flow.AddArcWithCapacityAndUnitCost(Source(), MentorNode(u), table.Capacity[u], 0);
        }
        var arcs = new List<(int Arc, int Points)>();
        for (var m = 0; m < mentees; m++)
        {
            foreach (var (mentor, points) in table.Allowed[m])
            {
                arcs.Add((flow.AddArcWithCapacityAndUnitCost(MentorNode(mentor), MenteeNode(m), 1, -points), points));
            }
            flow.AddArcWithCapacityAndUnitCost(MenteeNode(m), Sink(), 1, 0);
        }
        flow.SetNodeSupply(Source(), table.Capacity.Sum());
        flow.SetNodeSupply(Sink(), -mentees);
        var status = flow.SolveMaxFlowWithMinCost();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"Reference solver: {status}");
        }
        return new Objective((int)flow.MaximumFlow(), arcs.Where(a => flow.Flow(a.Arc) > 0).Sum(a => (long)a.Points));
    }
}
