using MentorFlow.Functions.FunctionApp;
using MentorFlow.Functions.Verbs;

// Started by the Azure Functions host: the isolated worker (HTTP functions over the app's pipeline, the orchestrations' functions).
if (FunctionsWorker.IsStartedByTheFunctionsHost(args))
{
    return await FunctionsWorker.RunAsync(args);
}

// MentorFlow's verbs: serve (the app: HTTP functions and, locally, its orchestrations), simulate,
// store-ceiling and engine-ceiling (the store's bare write rate and the Durable engine's own step rate, for the workflow
// benchmark), bench-intake (registrations under load).
var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var rest = args.Length > 0 && args[0] == verb ? args[1..] : args;
return verb switch
{
    "serve" => await Serve.RunAsync(rest),
    "simulate" => await Simulation.RunAsync(rest),
    "store-ceiling" => await StoreCeiling.RunAsync(rest),
    "engine-ceiling" => await EngineCeiling.RunAsync(rest),
    "bench-intake" => await IntakeLoad.RunAsync(rest),
    _ => await Unknown(verb),
};

static async Task<int> Unknown(string verb)
{
    await Console.Error.WriteLineAsync($"Unknown verb '{verb}'. Verbs: serve, simulate, store-ceiling, engine-ceiling, bench-intake.");
    return 2;
}

public partial class Program;
