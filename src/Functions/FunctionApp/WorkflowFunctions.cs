using MentorFlow.Functions.Durable;
using MentorFlow.Functions.Email;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace MentorFlow.Functions.FunctionApp;

/// <summary>
/// The workflow's functions: the orchestrator and activity triggers are wrappers of the classes the local engine registers (one
/// name each, <see cref="LocalDurableEngine.Orchestrators"/>), and the <c>Dispatch</c> timer sends what waits in the outbox and starts any orchestration a
/// crash left unstarted (between a document's write and its orchestration's start).
/// </summary>
public sealed class WorkflowFunctions(IServiceProvider services, DurableClients clients, Outbox outbox, ILogger<WorkflowFunctions> logger)
{
    public const string Dispatch = "Dispatch";

    [Function(nameof(PairOrchestration))]
    public static Task<string> RunPairOrchestration([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PairOrchestration().RunAsync(context, context.GetInput<WorkflowInput>()!);

    [Function(nameof(CohortOrchestration))]
    public static Task<string> RunCohortOrchestration([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CohortOrchestration().RunAsync(context, context.GetInput<WorkflowInput>()!);

    [Function(nameof(AdvancePair))]
    public Task<WorkflowStep> RunAdvancePair([ActivityTrigger] WorkflowInput input) =>
        services.GetRequiredService<AdvancePair>().StepAsync(input);

    [Function(nameof(AdvanceCohort))]
    public Task<WorkflowStep> RunAdvanceCohort([ActivityTrigger] WorkflowInput input) =>
        services.GetRequiredService<AdvanceCohort>().StepAsync(input);

    [Function(Dispatch)]
    public async Task RunDispatch([TimerTrigger("%TickSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        clients.Use(client);
        logger.LogInformation("Dispatch: {Sweep}", await outbox.SweepAsync(ct));
        await services.GetRequiredService<WorkflowEngine>().EnsureAllAsync(ct);
    }
}
