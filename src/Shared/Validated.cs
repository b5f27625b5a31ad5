namespace MentorFlow.Shared;

/// <summary>The outcome of checking an input: the value, or every error found.</summary>
public sealed class Validated<T> where T : class
{
    private Validated(T? value, ValidationErrors? errors)
    {
        Value = value;
        Errors = errors ?? new ValidationErrors();
    }

    public T? Value { get; }

    public ValidationErrors Errors { get; }

    public bool IsValid => Value is not null;

    public static Validated<T> Valid(T value) => new(value, null);

    public static Validated<T> Invalid(ValidationErrors errors) => new(null, errors);
}
