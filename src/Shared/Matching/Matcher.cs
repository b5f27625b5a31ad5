using System.Runtime.CompilerServices;
using Google.OrTools.Graph;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Matching;

/// <summary>
/// Matches a whole cohort at once, exactly: a min-cost flow (OR-Tools' exact solver) whose optimum has first the most
/// mentees matched, then the largest total score. Each mentee's first slot carries a bonus larger than every score in the
/// cohort together, so no trade of score can ever cost a mentee their match. In a "quilt" cohort (several mentors per
/// mentee) each extra mentor covers a further aspect the mentee asked for, never the same one twice.
/// </summary>
public static class Matcher
{
    public static MatchingResult Match(Cohort cohort, IEnumerable<Participant> participants, MatchingSteering steering) =>
        Match(cohort, participants, steering, DefaultCandidates);

    internal static MatchingResult Match(Cohort cohort, IEnumerable<Participant> participants, MatchingSteering steering, int candidatesPerMentee)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reference = new DateTimeOffset(cohort.ProgramStartsOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var active = participants.Where(p => p.Status == ParticipantStatus.Registered).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var interner = new Interner();
        var preferences = Scoring.Preferences(cohort);
        var mentees = active.Where(p => p.Role == Role.Mentee).Select((p, i) => new Profile(p, i, reference, interner, preferences)).ToList();
        var mentors = active.Where(p => p.Role == Role.Mentor).Select((p, i) => new Profile(p, i, reference, interner, preferences)).ToList();
        var scoring = new Scoring(cohort, steering);
        var slots = cohort.MentorsPerMentee;
        var warnings = new List<string>();

        // Pins are kept whatever the score: they take their capacity and slot before the optimisation.
        var menteeById = mentees.ToDictionary(m => m.Id);
        var mentorById = mentors.ToDictionary(m => m.Id);
        var load = new int[mentors.Count];
        var taken = mentees.Select(_ => new List<(Profile Mentor, Aspect? Aspect, bool Pinned)>()).ToList();
        foreach (var pin in steering.Pins.Distinct())
        {
            if (!menteeById.TryGetValue(pin.MenteeId, out var mentee) || !mentorById.TryGetValue(pin.MentorId, out var mentor))
            {
                warnings.Add($"Pin {pin.MenteeId} → {pin.MentorId} ignored: one of them is no longer registered.");
                continue;
            }
            if (load[mentor.Index] >= mentor.Capacity || taken[mentee.Index].Count >= slots)
            {
                warnings.Add($"Pin {mentee.Participant.FullName} → {mentor.Participant.FullName} ignored: no capacity or slot left.");
                continue;
            }
            Aspect? aspect = scoring.Quilt ? BestFreeAspect(scoring, mentee, mentor, taken[mentee.Index]) : null;
            if (scoring.Blocker(mentee, mentor) is { } blocker)
            {
                warnings.Add($"Pin {mentee.Participant.FullName} → {mentor.Participant.FullName} kept although {blocker}.");
            }
            load[mentor.Index]++;
            taken[mentee.Index].Add((mentor, aspect, true));
        }

        var preparing = clock.Elapsed;
        var (solved, points) = Solve(scoring, mentees, mentors, load, taken, slots, candidatesPerMentee);
        clock.Restart();
        var pairs = new List<ProposedPair>();
        foreach (var mentee in mentees)
        {
            foreach (var (mentor, aspect, pinned) in taken[mentee.Index].Concat(solved[mentee.Index].Select(s => (s.Mentor, s.Aspect, false))))
            {
                pairs.Add(new ProposedPair(mentee.Id, mentor.Id, mentee.Participant.FullName, mentor.Participant.FullName, aspect,
                    scoring.Points(mentee, mentor, aspect) / 10.0, scoring.Reasons(mentee, mentor, aspect, pinned), pinned));
            }
        }
        var placed = Placed.Of(mentees, mentors, pairs);
        var unmatched = Explain(scoring, mentees, mentors, pairs, slots, points, placed);
        var quality = Quality(scoring, mentees, mentors, pairs, slots, points, taken, placed);
        LastRun = LastRun with { Preparing = preparing, Explaining = clock.Elapsed };
        return new MatchingResult(pairs, unmatched, quality, warnings);
    }

    private static Aspect? BestFreeAspect(Scoring scoring, Profile mentee, Profile mentor, List<(Profile Mentor, Aspect? Aspect, bool Pinned)> taken)
    {
        var free = mentee.Participant.Aspects.Where(a => (mentor.AspectMask & 1 << (int)a) != 0 && taken.All(t => t.Aspect != a)).ToList();
        return free.Count == 0 ? null : free.MaxBy(a => scoring.Points(mentee, mentor, a));
    }

    /// <summary>Candidate mentors kept per mentee before the exactness check adds any that could improve the optimum.</summary>
    internal const int DefaultCandidates = 20;

    /// <summary>
    /// When the check finds improving pairs, the pairs within this many points of improving join the candidates too (two
    /// weight units): the next optimum moves the potentials a little, and those would be the next round's violations.
    /// Measured on the 10,000 × 5,000 benchmark: two solve rounds instead of three or four.
    /// </summary>
    private const long Margin = 20;

    /// <summary>Solve rounds and pairs added by the exactness check in this thread's last match (printed by the benchmark).</summary>
    [ThreadStatic]
    internal static (int Rounds, int Added, TimeSpan Preparing, TimeSpan Candidates, TimeSpan Solving, TimeSpan Checking, TimeSpan Explaining) LastRun;

    /// <summary>
    /// Solves on each mentee's best candidates, then proves the result optimal for all allowed pairs: from the optimal flow
    /// it derives node potentials (Bellman–Ford on the residual graph) and checks that no left-out pair has a negative
    /// reduced cost. Any pair that fails the check joins the candidates and the cohort is solved again.
    /// </summary>
    private static (List<(Profile Mentor, Aspect? Aspect)>[] Solved, int[][] Points) Solve(
        Scoring scoring, List<Profile> mentees, List<Profile> mentors, int[] load, List<List<(Profile Mentor, Aspect? Aspect, bool Pinned)>> taken, int slots,
        int candidatesPerMentee)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = (Rounds: 0, Added: 0, Preparing: TimeSpan.Zero, Candidates: TimeSpan.Zero, Solving: TimeSpan.Zero, Checking: TimeSpan.Zero, Explaining: TimeSpan.Zero);
        // Every pair's points once (-1: not allowed); the candidate lists, the optimality check and the figures read them.
        var points = new int[mentees.Count][];
        var columns = scoring.Columns(mentors);
        Parallel.For(0, mentees.Count, i =>
        {
            if (taken[i].Count == 0 && !scoring.Quilt)
            {
                scoring.FillRow(mentees[i], columns, points[i] = new int[mentors.Count]);
            }
            else
            {
                points[i] = Row(scoring, mentees[i], mentors, taken[i]);
            }
        });
        var candidates = new HashSet<int>[mentees.Count];
        Parallel.For(0, mentees.Count, i =>
        {
            var best = new TopK(candidatesPerMentee);
            var row = points[i];
            for (var j = 0; j < row.Length; j++)
            {
                best.Offer(j, row[j]);
            }
            candidates[i] = best.Items();
        });
        // The mentors' side too: each mentor's best mentees, so that a popular mentor's rivals are all in the graph. The
        // table is read in blocks of mentors so that each mentee's row is read in order, not one column at a time.
        const int block = 64;
        var mentorSide = new HashSet<int>[mentors.Count];
        Parallel.For(0, (mentors.Count + block - 1) / block, b =>
        {
            var from = b * block;
            var to = Math.Min(from + block, mentors.Count);
            var best = Enumerable.Range(from, to - from).Select(_ => new TopK(candidatesPerMentee)).ToArray();
            for (var i = 0; i < mentees.Count; i++)
            {
                var row = points[i];
                for (var j = from; j < to; j++)
                {
                    best[j - from].Offer(i, row[j]);
                }
            }
            for (var j = from; j < to; j++)
            {
                mentorSide[j] = best[j - from].Items();
            }
        });
        for (var j = 0; j < mentors.Count; j++)
        {
            foreach (var i in mentorSide[j])
            {
                candidates[i].Add(j);
            }
        }
        run.Candidates = clock.Elapsed;
        for (var round = 1; ; round++)
        {
            clock.Restart();
            var graph = new FlowGraph(scoring, mentees, mentors, load, taken, slots, candidates, points);
            var result = graph.Solve();
            run.Solving += clock.Elapsed;
            clock.Restart();
            var (violations, near) = graph.Violations(candidatesPerMentee == int.MaxValue, Margin);
            run.Checking += clock.Elapsed;
            run.Rounds = round;
            run.Added += violations.Count;
            if (violations.Count == 0)
            {
                LastRun = run;
                return (result, points);
            }
            // With the pairs that improve, those close to it: the next optimum's potentials differ a little, and a pair just
            // short of improving now would otherwise be the next round's violation.
            foreach (var (mentee, mentor) in violations.Concat(near))
            {
                candidates[mentee].Add(mentor);
            }
        }
    }

    /// <summary>The indexes of the k highest non-negative values offered (ties to the lower index, offered in increasing order).</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<int, (int Points, int Order)> _best = new(k + 1);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Offer(int index, int value)
        {
            if (value < 0)
            {
                return;
            }
            if (_best.Count == k)
            {
                // Full: most values lose to the weakest kept one, without touching the heap.
                _best.TryPeek(out _, out var weakest);
                if (value < weakest.Points || (value == weakest.Points && -index < weakest.Order))
                {
                    return;
                }
            }
            _best.Enqueue(index, (value, -index));
            if (_best.Count > k)
            {
                _best.Dequeue();
            }
        }

        public HashSet<int> Items() => [.. _best.UnorderedItems.Select(e => e.Element)];
    }

    /// <summary>One mentee's points with every mentor, -1 where a hard rule keeps them apart or a pin already joins them (quilt cohorts, pinned mentees).</summary>
    private static int[] Row(Scoring scoring, Profile mentee, List<Profile> mentors, List<(Profile Mentor, Aspect? Aspect, bool Pinned)> pinned)
    {
        var row = new int[mentors.Count];
        foreach (var mentor in mentors)
        {
            row[mentor.Index] = scoring.Check(mentee, mentor) != Block.None || pinned.Any(t => t.Mentor.Index == mentor.Index)
                ? -1
                : BestPoints(scoring, mentee, mentor, pinned);
        }
        return row;
    }

    private static int BestPoints(Scoring scoring, Profile mentee, Profile mentor, List<(Profile Mentor, Aspect? Aspect, bool Pinned)> taken) =>
        !scoring.Quilt
            ? scoring.Points(mentee, mentor, null)
            : mentee.Participant.Aspects
                .Where(a => (mentor.AspectMask & 1 << (int)a) != 0 && taken.All(t => t.Aspect != a))
                .Select(a => scoring.Points(mentee, mentor, a)).DefaultIfEmpty(0).Max();

    /// <summary>One min-cost-flow instance over the candidate pairs, with a mirror of its arcs for the optimality check.</summary>
    private sealed class FlowGraph
    {
        private const int Source = 0, Sink = 1;
        private readonly MinCostFlow _flow = new();
        private readonly List<(int Tail, int Head, long Capacity, long Cost)> _arcs = [];
        private readonly List<(int Arc, Profile Mentee, Profile Mentor, Aspect? Aspect)> _pairArcs = [];
        private readonly Scoring _scoring;
        private readonly List<Profile> _mentees;
        private readonly List<Profile> _mentors;
        private readonly List<List<(Profile Mentor, Aspect? Aspect, bool Pinned)>> _taken;
        private readonly HashSet<int>[] _candidates;
        private readonly int[][] _points;
        private readonly int[] _mentorNode;
        private readonly int[] _menteeNode;
        private readonly Dictionary<Aspect, int>[] _slotNode;
        private readonly bool[] _mentorHasRoom;
        private int _nodes = 2;
        private readonly long _supply;
        private long[] _potential = [];

        public FlowGraph(Scoring scoring, List<Profile> mentees, List<Profile> mentors, int[] load,
            List<List<(Profile Mentor, Aspect? Aspect, bool Pinned)>> taken, int slots, HashSet<int>[] candidates, int[][] pointsTable)
        {
            _points = pointsTable;
            _scoring = scoring;
            _mentees = mentees;
            _mentors = mentors;
            _taken = taken;
            _candidates = candidates;
            _mentorNode = [.. mentors.Select(_ => _nodes++)];
            _menteeNode = [.. mentees.Select(_ => _nodes++)];
            _slotNode = [.. mentees.Select(_ => new Dictionary<Aspect, int>())];
            _mentorHasRoom = new bool[mentors.Count];
            var best = new long[mentees.Count];
            foreach (var mentor in mentors)
            {
                var left = mentor.Capacity - load[mentor.Index];
                if (left > 0)
                {
                    _mentorHasRoom[mentor.Index] = true;
                    Arc(Source, _mentorNode[mentor.Index], left, 0);
                    _supply += left;
                }
            }
            foreach (var mentee in mentees)
            {
                var usedAspects = taken[mentee.Index].Where(t => t.Aspect is not null).Select(t => t.Aspect!.Value).ToHashSet();
                if (scoring.Quilt)
                {
                    foreach (var aspect in mentee.Participant.Aspects.Where(a => !usedAspects.Contains(a)))
                    {
                        var slotNode = _nodes++;
                        _slotNode[mentee.Index][aspect] = slotNode;
                        Arc(slotNode, _menteeNode[mentee.Index], 1, 0);
                    }
                }
                foreach (var mentor in candidates[mentee.Index].Order().Select(i => mentors[i]))
                {
                    if (!scoring.Quilt)
                    {
                        var points = scoring.Points(mentee, mentor, null);
                        best[mentee.Index] = Math.Max(best[mentee.Index], points);
                        _pairArcs.Add((Arc(_mentorNode[mentor.Index], _menteeNode[mentee.Index], 1, -points), mentee, mentor, null));
                        continue;
                    }
                    var pairNode = -1;
                    foreach (var (aspect, slotNode) in _slotNode[mentee.Index])
                    {
                        if ((mentor.AspectMask & 1 << (int)aspect) == 0)
                        {
                            continue;
                        }
                        if (pairNode < 0)
                        {
                            pairNode = _nodes++;
                            Arc(_mentorNode[mentor.Index], pairNode, 1, 0);
                        }
                        var points = scoring.Points(mentee, mentor, aspect);
                        best[mentee.Index] = Math.Max(best[mentee.Index], points);
                        _pairArcs.Add((Arc(pairNode, slotNode, 1, -points), mentee, mentor, aspect));
                    }
                }
            }
            // Every score in the cohort together is worth less than one more mentee matched. The bound uses the best
            // possible score (all criteria met) so that it holds for pairs outside the candidates too.
            var bonus = (long)mentees.Count * slots * scoring.MaxPoints + 1;
            foreach (var mentee in mentees)
            {
                var open = (scoring.Quilt ? Math.Min(slots, mentee.Participant.Aspects.Count) : 1) - taken[mentee.Index].Count;
                if (open <= 0)
                {
                    continue;
                }
                if (taken[mentee.Index].Count == 0)
                {
                    Arc(_menteeNode[mentee.Index], Sink, 1, -bonus);
                    open--;
                }
                if (open > 0)
                {
                    Arc(_menteeNode[mentee.Index], Sink, open, 0);
                }
            }
            if (_supply > 0)
            {
                Arc(Source, Sink, _supply, 0);
            }
        }

        public List<(Profile Mentor, Aspect? Aspect)>[] Solve()
        {
            var result = _mentees.Select(_ => new List<(Profile, Aspect?)>()).ToArray();
            _potential = new long[_nodes];
            if (_supply == 0)
            {
                return result;
            }
            _flow.SetNodeSupply(Source, _supply);
            _flow.SetNodeSupply(Sink, -_supply);
            var status = _flow.Solve();
            if (status != MinCostFlowBase.Status.OPTIMAL)
            {
                throw new InvalidOperationException($"The min-cost-flow solver ended with {status}.");
            }
            foreach (var (arc, mentee, mentor, aspect) in _pairArcs)
            {
                if (_flow.Flow(arc) > 0)
                {
                    result[mentee.Index].Add((mentor, aspect));
                }
            }
            _potential = Potentials();
            return result;
        }

        /// <summary>Left-out allowed pairs whose reduced cost is negative: they could improve the optimum. Empty proves it optimal.</summary>
        public (List<(int Mentee, int Mentor)> Violations, List<(int Mentee, int Mentor)> Near) Violations(bool allCandidates, long margin)
        {
            var violations = new List<(int, int)>();
            var near = new List<(int, int)>();
            if (allCandidates || _supply == 0)
            {
                return (violations, near);
            }
            // A mentor without room adds nothing: its head potential is set out of reach.
            var heads = new long[_mentors.Count];
            for (var j = 0; j < heads.Length; j++)
            {
                heads[j] = _mentorHasRoom[j] ? _potential[_mentorNode[j]] : long.MaxValue / 4;
            }
            var gate = new Lock();
            Parallel.For(0, _mentees.Count, i =>
            {
                var (found, close) = _scoring.Quilt ? QuiltRow(i, heads, margin) : Row(_points[i], heads, _potential[_menteeNode[i]], margin, _candidates[i], i);
                if (found.Count > 0 || close.Count > 0)
                {
                    lock (gate)
                    {
                        violations.AddRange(found);
                        near.AddRange(close);
                    }
                }
            });
            return (violations, near);
        }

        /// <summary>
        /// One mentee's left-out pairs whose reduced cost (head potential − points − mentee potential) is below the margin;
        /// negative ones could improve the optimum. A tight loop: it runs on every allowed pair of the cohort.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static (List<(int, int)> Found, List<(int, int)> Close) Row(int[] row, long[] heads, long menteePotential, long margin, HashSet<int> candidates, int mentee)
        {
            var found = new List<(int, int)>();
            var close = new List<(int, int)>();
            for (var j = 0; j < row.Length; j++)
            {
                var points = row[j];
                if (points >= 0 && heads[j] - points - menteePotential < margin && !candidates.Contains(j))
                {
                    (heads[j] - points - menteePotential < 0 ? found : close).Add((mentee, j));
                }
            }
            return (found, close);
        }

        private (List<(int, int)> Found, List<(int, int)> Close) QuiltRow(int i, long[] heads, long margin)
        {
            var mentee = _mentees[i];
            var row = _points[i];
            var found = new List<(int, int)>();
            var close = new List<(int, int)>();
            foreach (var mentor in _mentors)
            {
                if (row[mentor.Index] < 0)
                {
                    continue;
                }
                var head = heads[mentor.Index];
                var reduced = _slotNode[i].Where(s => (mentor.AspectMask & 1 << (int)s.Key) != 0)
                    .Select(s => head - _scoring.Points(mentee, mentor, s.Key) - _potential[s.Value]).DefaultIfEmpty(long.MaxValue).Min();
                if (reduced < margin && !_candidates[i].Contains(mentor.Index))
                {
                    (reduced < 0 ? found : close).Add((i, mentor.Index));
                }
            }
            return (found, close);
        }

        /// <summary>Shortest distances in the residual graph of the optimal flow (no negative cycle exists there): dual potentials.</summary>
        private long[] Potentials()
        {
            var residual = new List<(int To, long Cost)>[_nodes];
            for (var n = 0; n < _nodes; n++)
            {
                residual[n] = [];
            }
            for (var a = 0; a < _arcs.Count; a++)
            {
                var (tail, head, capacity, cost) = _arcs[a];
                var flow = _flow.Flow(a);
                if (flow < capacity)
                {
                    residual[tail].Add((head, cost));
                }
                if (flow > 0)
                {
                    residual[head].Add((tail, -cost));
                }
            }
            var distance = new long[_nodes];
            var queued = new bool[_nodes];
            var queue = new Queue<int>(Enumerable.Range(0, _nodes));
            Array.Fill(queued, true);
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                queued[node] = false;
                foreach (var (to, cost) in residual[node])
                {
                    if (distance[node] + cost < distance[to])
                    {
                        distance[to] = distance[node] + cost;
                        if (!queued[to])
                        {
                            queued[to] = true;
                            queue.Enqueue(to);
                        }
                    }
                }
            }
            return distance;
        }

        private int Arc(int tail, int head, long capacity, long cost)
        {
            var arc = _flow.AddArcWithCapacityAndUnitCost(tail, head, capacity, cost);
            _arcs.Add((tail, head, capacity, cost));
            return arc;
        }
    }

    /// <summary>The proposal by index, worked out once for the reasons and the figures: each mentee's mentors and worst pair, each mentor's load and worst pair.</summary>
    private sealed record Placed(List<int>[] MentorsOf, (int Count, int Worst)[] MenteeWorst, int[] MentorLoad, int[] MentorWorst)
    {
        public static Placed Of(List<Profile> mentees, List<Profile> mentors, List<ProposedPair> pairs)
        {
            var menteeIndex = mentees.ToDictionary(m => m.Id, m => m.Index);
            var mentorIndex = mentors.ToDictionary(m => m.Id, m => m.Index);
            var placed = new Placed(mentees.Select(_ => new List<int>()).ToArray(), new (int, int)[mentees.Count], new int[mentors.Count], new int[mentors.Count]);
            foreach (var pair in pairs)
            {
                var (i, j, points) = (menteeIndex[pair.MenteeId], mentorIndex[pair.MentorId], (int)Math.Round(pair.Score * 10));
                placed.MentorsOf[i].Add(j);
                var (count, worst) = placed.MenteeWorst[i];
                placed.MenteeWorst[i] = (count + 1, count == 0 ? points : Math.Min(worst, points));
                placed.MentorWorst[j] = placed.MentorLoad[j] == 0 ? points : Math.Min(placed.MentorWorst[j], points);
                placed.MentorLoad[j]++;
            }
            return placed;
        }
    }

    private static List<UnmatchedMentee> Explain(Scoring scoring, List<Profile> mentees, List<Profile> mentors, List<ProposedPair> pairs, int slots, int[][] points,
        Placed placed)
    {
        var byMentee = pairs.ToLookup(p => p.MenteeId);
        bool Full(Profile mentor) => placed.MentorLoad[mentor.Index] >= mentor.Capacity;
        // Each short mentee's reasons look at every mentor: in parallel, in the mentees' order.
        return [.. mentees.AsParallel().AsOrdered().Select(mentee => Reasons(mentee)).OfType<UnmatchedMentee>()];

        UnmatchedMentee? Reasons(Profile mentee)
        {
            var mine = byMentee[mentee.Id].ToList();
            var wanted = scoring.Quilt ? Math.Min(slots, mentee.Participant.Aspects.Count) : 1;
            if (mine.Count >= wanted)
            {
                return null;
            }
            var reasons = new List<string>();
            var uncovered = scoring.Quilt
                ? mentee.Participant.Aspects.Where(a => mine.All(p => p.Aspect != a)).ToList()
                : [];
            if (mentors.Count == 0)
            {
                reasons.Add("no mentors are registered");
            }
            // The points table has -1 for every pair a hard rule keeps apart (and for pinned ones, which are in mine).
            var row = points[mentee.Index];
            var allowed = new List<Profile>();
            foreach (var mentor in mentors)
            {
                if (row[mentor.Index] >= 0 && (mine.Count == 0 || mine.TrueForAll(p => p.MentorId != mentor.Id)))
                {
                    allowed.Add(mentor);
                }
            }
            if (mentors.Count > 0 && allowed.Count == 0 && mine.Count == 0)
            {
                var counts = mentors.GroupBy(m => scoring.Blocker(mentee, m)!).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}");
                reasons.Add($"no compatible mentor: of {mentors.Count}, {string.Join("; ", counts)}");
            }
            if (scoring.Quilt)
            {
                foreach (var aspect in uncovered)
                {
                    var offering = allowed.Where(m => (m.AspectMask & 1 << (int)aspect) != 0).ToList();
                    reasons.Add(offering.Count == 0
                        ? $"no compatible mentor offers {Words.Of(aspect)}"
                        : $"no mentor offers {Words.Of(aspect)} with capacity left ({offering.Count} compatible, all full)");
                }
            }
            else if (allowed.Count > 0)
            {
                var first = mentee.Participant.Aspects[0];
                var offeringFirst = allowed.Count(m => (m.AspectMask & 1 << (int)first) != 0);
                reasons.Add(allowed.All(Full)
                    ? $"all {allowed.Count} compatible mentors are at capacity ({offeringFirst} of them offer {Words.Of(first)}); more matched mentees were not possible"
                    : $"{allowed.Count(m => !Full(m))} compatible mentors have room, but none could take this mentee without another mentee losing theirs");
            }
            return new UnmatchedMentee(mentee.Id, mentee.Participant.FullName, uncovered, reasons);
        }
    }

    private static MatchingQuality Quality(Scoring scoring, List<Profile> mentees, List<Profile> mentors, List<ProposedPair> pairs, int slots,
        int[][] points, List<List<(Profile Mentor, Aspect? Aspect, bool Pinned)>> taken, Placed placed)
    {
        var matched = pairs.Select(p => p.MenteeId).Distinct().Count();
        var byId = mentees.Concat(mentors).ToDictionary(p => p.Id);
        var byMentee = pairs.ToLookup(p => p.MenteeId);
        var firstCovered = mentees.Count(m => byMentee[m.Id].Any(p =>
            (p.Aspect is { } a ? a == m.Participant.Aspects[0] : (byId[p.MentorId].AspectMask & 1 << (int)m.Participant.Aspects[0]) != 0)));
        var bothAtMeeting = pairs.Count(p => byId[p.MenteeId].Participant.AttendingNationalMeeting && byId[p.MentorId].Participant.AttendingNationalMeeting);
        var totalPoints = pairs.Sum(p => (long)Math.Round(p.Score * 10));
        return new MatchingQuality(
            mentees.Count, mentors.Count, matched, mentees.Count == 0 ? 0 : Math.Round((double)matched / mentees.Count, 4), pairs.Count,
            pairs.Count == 0 ? 0 : Math.Round(pairs.Average(p => p.Score), 2), pairs.Count == 0 ? 0 : pairs.Min(p => p.Score),
            mentees.Count == 0 ? 0 : Math.Round((double)firstCovered / mentees.Count, 4),
            pairs.Count, mentors.Sum(m => m.Capacity), bothAtMeeting, BlockingPairs(scoring, mentees, mentors, slots, points, taken, placed), totalPoints);
    }

    /// <summary>One mentee's blocking pairs from its row of the points table: a tight loop over every mentor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountBlocking(int[] row, int menteeCount, int menteeCapacity, int menteeFloor, List<int> mine, int[] mentorCount, int[] mentorFloor, int[] capacity)
    {
        var count = 0;
        for (var j = 0; j < row.Length; j++)
        {
            var points = row[j];
            if (points < 0 || (menteeCount >= menteeCapacity && points <= menteeFloor) || (menteeCount > 0 && mine.Contains(j)))
            {
                continue;
            }
            if (mentorCount[j] < capacity[j] || points > mentorFloor[j])
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Pairs not made in which both would rather have each other than (one of) what they got: a measure of stability.</summary>
    private static int BlockingPairs(Scoring scoring, List<Profile> mentees, List<Profile> mentors, int slots,
        int[][] table, List<List<(Profile Mentor, Aspect? Aspect, bool Pinned)>> taken, Placed placed)
    {
        // Everything by index: this looks at every allowed pair of the cohort (45 million in a 10,000 × 5,000 one).
        var (mine, menteeWorst, mentorCount, mentorFloor) = placed;
        var capacity = mentors.Select(m => m.Capacity).ToArray();
        var blocking = 0;
        Parallel.ForEach(mentees, () => 0, (mentee, _, count) =>
        {
            var (menteeCount, menteeFloor) = menteeWorst[mentee.Index];
            var menteeCapacity = scoring.Quilt ? Math.Min(slots, mentee.Participant.Aspects.Count) : 1;
            // The table holds each allowed pair's best points already (-1 where a hard rule keeps it apart), except for a
            // quilt mentee with pins, whose row leaves out the aspects the pins cover.
            if (!scoring.Quilt || taken[mentee.Index].Count == 0)
            {
                return count + CountBlocking(table[mentee.Index], menteeCount, menteeCapacity, menteeFloor, mine[mentee.Index], mentorCount, mentorFloor, capacity);
            }
            foreach (var mentor in mentors)
            {
                if (scoring.Check(mentee, mentor) != Block.None || mine[mentee.Index].Contains(mentor.Index))
                {
                    continue;
                }
                var points = mentee.Participant.Aspects.Where(a => (mentor.AspectMask & 1 << (int)a) != 0).Max(a => scoring.Points(mentee, mentor, a));
                if ((menteeCount < menteeCapacity || points > menteeFloor) && (mentorCount[mentor.Index] < capacity[mentor.Index] || points > mentorFloor[mentor.Index]))
                {
                    count++;
                }
            }
            return count;
        }, count => Interlocked.Add(ref blocking, count));
        return blocking;
    }
}
