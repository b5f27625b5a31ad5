using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace MentorFlow.Functions.Hosting;

/// <summary>The one shape of every pipeline around a dependency: retry with exponential back-off and jitter, then a circuit breaker.</summary>
public static class Resilience
{
    public sealed record Shape(int Attempts, TimeSpan Delay, TimeSpan MaxDelay, double FailureRatio, int MinimumThroughput, TimeSpan Sampling, TimeSpan Break);

    public static ResiliencePipelineBuilder AddRetryAndBreaker(this ResiliencePipelineBuilder builder, PredicateBuilder<object> transient, Shape shape,
        Func<Exception?, TimeSpan?>? retryAfter = null)
    {
        // Network back-off runs on wall time, never on the app's (possibly simulated) business clock.
        builder.TimeProvider = TimeProvider.System;
        return builder
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = Math.Max(1, shape.Attempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = shape.Delay,
                MaxDelay = shape.MaxDelay,
                DelayGenerator = retryAfter is null ? null : args => ValueTask.FromResult(retryAfter(args.Outcome.Exception)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = shape.FailureRatio,
                MinimumThroughput = shape.MinimumThroughput,
                SamplingDuration = shape.Sampling,
                BreakDuration = shape.Break,
            });
    }
}
