namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// A Confluent-compatible Schema Registry (the REST subset in PROTOCOLS.md §2).
/// </summary>
/// <remarks>
/// Implementations are thread-safe. Methods returning <see cref="ValueTask{TResult}"/> are cached: after the first
/// call for a (subject, schema) or id they complete synchronously from memory. Failures throw
/// <see cref="SchemaRegistryException"/>; cancellation throws <see cref="OperationCanceledException"/>.
/// </remarks>
public interface ISchemaRegistry
{
    /// <summary>Registers a schema under a subject (idempotent) and returns its id. Cached.</summary>
    ValueTask<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false, CancellationToken cancellationToken = default);

    /// <summary>Finds a schema under a subject; throws with <see cref="SchemaRegistryException.SchemaNotFound"/> or <see cref="SchemaRegistryException.SubjectNotFound"/> when absent. Cached.</summary>
    ValueTask<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool normalize = false, CancellationToken cancellationToken = default);

    /// <summary>The schema with an id. Cached.</summary>
    ValueTask<Schema> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The latest version under a subject (not cached: it changes).</summary>
    Task<RegisteredSchema> GetLatestSchemaAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>One version under a subject.</summary>
    Task<RegisteredSchema> GetSchemaAsync(string subject, int version, CancellationToken cancellationToken = default);

    /// <summary>Tests a schema against a version (<c>null</c> = latest) of a subject.</summary>
    Task<CompatibilityCheckResult> TestCompatibilityAsync(string subject, Schema schema, int? version = null, bool verbose = true, CancellationToken cancellationToken = default);

    /// <summary>The compatibility level of a subject, or the global level when <paramref name="subject"/> is null.</summary>
    /// <param name="subject">The subject, or null for the global level.</param>
    /// <param name="defaultToGlobal">For a subject without its own level: return the global one instead of failing with 40408.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, bool defaultToGlobal = true, CancellationToken cancellationToken = default);

    /// <summary>Sets the compatibility level of a subject, or the global level when <paramref name="subject"/> is null.</summary>
    Task<CompatibilityLevel> SetCompatibilityAsync(CompatibilityLevel level, string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>All subjects.</summary>
    Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>The versions under a subject.</summary>
    Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Deletes a subject (soft, or permanent after a soft delete) and returns the deleted versions.</summary>
    Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default);

    /// <summary>Deletes one version of a subject and returns it.</summary>
    Task<int> DeleteVersionAsync(string subject, int version, bool permanent = false, CancellationToken cancellationToken = default);
}
