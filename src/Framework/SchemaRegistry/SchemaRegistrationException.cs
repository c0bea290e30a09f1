namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// Startup could not register or find the schemas of one or more message sets. <see cref="Problems"/> lists every
/// problem found (not just the first), each naming the set, the subject and the fix.
/// </summary>
public sealed class SchemaRegistrationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public SchemaRegistrationException(IReadOnlyList<string> problems, Exception? innerException = null)
        : base(Describe(problems), innerException)
    {
        Problems = problems;
    }

    /// <summary>Creates an empty exception (serialization conventions).</summary>
    public SchemaRegistrationException()
    {
        Problems = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    public SchemaRegistrationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SchemaRegistrationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Every problem, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems) =>
        $"{problems.Count} schema problem(s) found at startup:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(static (p, i) => $"  {i + 1}. {p}"));
}
