namespace MentorFlow.Functions.Store;

/// <summary>
/// Whether the writes of this flow of work lower the deployment's wake-up time themselves. A tick's writes do not: the
/// tick sets the wake-up time from what it leaves behind. Neither do the sender's claim and sent marks: it lowers the
/// time once, for what it left unsent. Everything else (requests, the outbox worker's own callers) does.
/// </summary>
public static class WakeScope
{
    private static readonly AsyncLocal<bool> Suppressed = new();

    public static bool IsSuppressed => Suppressed.Value;

    /// <summary>Suppresses lowering for the rest of the calling async method and what it calls (not for its caller).</summary>
    public static void Suppress() => Suppressed.Value = true;
}
