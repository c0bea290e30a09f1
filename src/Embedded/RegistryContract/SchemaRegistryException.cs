namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// A Schema Registry request failed: the registry answered with an error (<see cref="ErrorCode"/> is its
/// <c>error_code</c>, for example 40401 subject not found or 409 incompatible), or no configured URL could be reached.
/// </summary>
/// <remarks>Messages never contain credentials: URLs are shown without user info and auth headers are never echoed.</remarks>
public sealed class SchemaRegistryException : Exception
{
    /// <summary>Subject not found.</summary>
    public const int SubjectNotFound = 40401;

    /// <summary>Version not found.</summary>
    public const int VersionNotFound = 40402;

    /// <summary>Schema not found (by id, or no match under the subject).</summary>
    public const int SchemaNotFound = 40403;

    /// <summary>Subject soft-deleted.</summary>
    public const int SubjectSoftDeleted = 40404;

    /// <summary>Subject not soft-deleted (before a permanent delete).</summary>
    public const int SubjectNotSoftDeleted = 40405;

    /// <summary>No subject-level compatibility configured.</summary>
    public const int SubjectCompatibilityNotConfigured = 40408;

    /// <summary>The schema is incompatible with an earlier one.</summary>
    public const int IncompatibleSchema = 409;

    /// <summary>The schema is invalid.</summary>
    public const int InvalidSchema = 42201;

    /// <summary>The version is invalid.</summary>
    public const int InvalidVersion = 42202;

    /// <summary>The compatibility level is invalid.</summary>
    public const int InvalidCompatibilityLevel = 42203;

    /// <summary>A schema references this one.</summary>
    public const int ReferenceExists = 42206;

    /// <summary>The store failed.</summary>
    public const int StoreError = 50001;

    /// <summary>The store did not answer in time.</summary>
    public const int OperationTimeout = 50002;

    /// <summary>No URL answered (network errors, timeouts or 5xx on every URL); not a registry code.</summary>
    public const int Unreachable = -1;

    /// <summary>Creates the exception.</summary>
    public SchemaRegistryException(string message, int errorCode, int? httpStatus, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
    }

    /// <summary>Creates an empty exception (serialization conventions).</summary>
    public SchemaRegistryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SchemaRegistryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SchemaRegistryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The registry's <c>error_code</c> (see the constants), or <see cref="Unreachable"/>.</summary>
    public int ErrorCode { get; }

    /// <summary>The HTTP status, when a response arrived.</summary>
    public int? HttpStatus { get; }
}
