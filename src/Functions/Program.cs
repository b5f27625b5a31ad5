using MentorFlow.Functions.Hosting;

var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var rest = verb == "serve" && args.Length > 0 && args[0] == "serve" ? args[1..] : args;

switch (verb)
{
    case "serve":
        var builder = WebApplication.CreateBuilder(rest);
        builder.AddMentorFlow();
        var app = builder.Build();
        app.UseMentorFlow();
        await app.RunAsync();
        return 0;
    default:
        await Console.Error.WriteLineAsync($"Unknown verb '{verb}'. Verbs: serve.");
        return 2;
}

public partial class Program;
