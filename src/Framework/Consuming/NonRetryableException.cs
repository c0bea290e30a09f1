namespace KafkaTyped.Consuming;

/// <summary>
/// Marks an exception whose message will not succeed on retry (invalid data, a business rule). The consumer sends the
/// message to the dead-letter topic at once. Implement it on your own exception types, or throw
/// <see cref="NonRetryableException"/>.
/// </summary>
public interface INonRetryableException
{
}

/// <summary>A handler failure not worth retrying: the message goes to the dead-letter topic at once.</summary>
public class NonRetryableException : Exception, INonRetryableException
{
    /// <summary>Creates the exception.</summary>
    public NonRetryableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public NonRetryableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NonRetryableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
