using System.Threading.Channels;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// A registration of an address already known: the owner hears of it, and nothing changes. The request that found it
/// answers at once, with the same work in the request as for a new address (one create), so its timing tells nobody
/// whether the address was registered; this queue does the rest (a read and a write) right after, in the background.
/// </summary>
public sealed class RegisteredAgainQueue
{
    private readonly Channel<(string CohortId, string ParticipantId)> _queue =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<(string CohortId, string ParticipantId)> Reader => _queue.Reader;

    /// <summary>Queues the work; waits only when ten thousand are already waiting.</summary>
    public ValueTask EnqueueAsync(string cohortId, string participantId, CancellationToken ct) => _queue.Writer.WriteAsync((cohortId, participantId), ct);
}

/// <summary>Tells the owners of addresses registered again (through their own participant workflow and the outbox).</summary>
public sealed class RegisteredAgainWorker(RegisteredAgainQueue queue, ParticipantWorkflow participants, Email.Outbox outbox, ILogger<RegisteredAgainWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (cohortId, participantId) in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await participants.ApplyAsync(cohortId, participantId, new ParticipantEvent.RegisteredAgain(), stoppingToken);
                outbox.Notify(cohortId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Participant {ParticipantId} of cohort {CohortId}: the registered-again notice could not be recorded", participantId, cohortId);
            }
        }
    }
}
