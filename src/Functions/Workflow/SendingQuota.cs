using MentorFlow.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// The email provider's quota (Azure Communication Services: 30 a minute and 100 an hour on a custom domain) on the app's
/// clock: a message is sent only when both sliding windows have room, so a wave is spread over the hours it needs and never
/// refused. Counted per process; run one sender (the scheduled job) per quota.
/// </summary>
public sealed class SendingQuota(TimeProvider time, IOptions<AppSettings> settings)
{
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly Lock _lock = new();

    public bool TryTake()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            while (_sent.Count > 0 && _sent.Peek() <= now - TimeSpan.FromHours(1))
            {
                _sent.Dequeue();
            }
            var lastMinute = _sent.Count(t => t > now - TimeSpan.FromMinutes(1));
            if (lastMinute >= settings.Value.EmailsPerMinute || _sent.Count >= settings.Value.EmailsPerHour)
            {
                return false;
            }
            _sent.Enqueue(now);
            return true;
        }
    }
}
