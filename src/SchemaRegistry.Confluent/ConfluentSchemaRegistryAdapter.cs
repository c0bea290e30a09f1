using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http;
using ConfluentRegistry = Confluent.SchemaRegistry;

namespace KafkaTyped.SchemaRegistry.Confluent;

/// <summary>
/// <see cref="ISchemaRegistry"/> over Confluent's <see cref="ConfluentRegistry.ISchemaRegistryClient"/>. Keeps its own
/// caches like <see cref="SchemaRegistryClient"/>'s so cache hits are synchronous and allocation-free (Confluent's
/// methods return a new <see cref="Task"/> per call), and maps Confluent's exceptions to KafkaTyped's.
/// </summary>
internal sealed class ConfluentSchemaRegistryAdapter : ISchemaRegistry
{
    private readonly ConfluentRegistry.ISchemaRegistryClient client;
    private readonly int maxCached;
    private readonly ConcurrentDictionary<(string Subject, Schema Schema), int> registered = new();
    private readonly ConcurrentDictionary<(string Subject, Schema Schema), RegisteredSchema> lookedUp = new();
    private readonly ConcurrentDictionary<int, Schema> byId = new();

    public ConfluentSchemaRegistryAdapter(ConfluentRegistry.ISchemaRegistryClient client)
    {
        this.client = client;
        maxCached = client.MaxCachedSchemas;
    }

    public ValueTask<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(schema);
        return registered.TryGetValue((subject, schema), out var id) ? ValueTask.FromResult(id) : RegisterSlowAsync(subject, schema, normalize, cancellationToken);
    }

    public ValueTask<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool normalize = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(schema);
        return lookedUp.TryGetValue((subject, schema), out var found) ? ValueTask.FromResult(found) : LookupSlowAsync(subject, schema, normalize, cancellationToken);
    }

    public ValueTask<Schema> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default) =>
        byId.TryGetValue(id, out var schema) ? ValueTask.FromResult(schema) : GetByIdSlowAsync(id, cancellationToken);

    public Task<RegisteredSchema> GetLatestSchemaAsync(string subject, CancellationToken cancellationToken = default) =>
        CallAsync(async () => FromConfluent(await client.GetLatestSchemaAsync(subject).ConfigureAwait(false)), "GET latest version of " + subject, cancellationToken);

    public Task<RegisteredSchema> GetSchemaAsync(string subject, int version, CancellationToken cancellationToken = default) =>
        CallAsync(async () => FromConfluent(await client.GetRegisteredSchemaAsync(subject, version).ConfigureAwait(false)), $"GET version {version.ToString(CultureInfo.InvariantCulture)} of {subject}", cancellationToken);

    public Task<CompatibilityCheckResult> TestCompatibilityAsync(string subject, Schema schema, int? version = null, bool verbose = true, CancellationToken cancellationToken = default)
    {
        if (version is not null)
        {
            throw new NotSupportedException("Confluent's ISchemaRegistryClient tests compatibility against the latest version only; use KafkaTyped's SchemaRegistryClient to test against a given version.");
        }

        // Confluent's client answers a bare bool: no reasons to report.
        return CallAsync(async () => new CompatibilityCheckResult(await client.IsCompatibleAsync(subject, ToConfluent(schema)).ConfigureAwait(false), []), "test compatibility under " + subject, cancellationToken);
    }

    public Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, bool defaultToGlobal = true, CancellationToken cancellationToken = default) =>
        CallAsync(async () => FromConfluent(await client.GetCompatibilityAsync(subject).ConfigureAwait(false)), "GET compatibility", cancellationToken);

    public Task<CompatibilityLevel> SetCompatibilityAsync(CompatibilityLevel level, string? subject = null, CancellationToken cancellationToken = default) =>
        CallAsync(async () => FromConfluent(await client.UpdateCompatibilityAsync(ToConfluent(level), subject).ConfigureAwait(false)), "PUT compatibility", cancellationToken);

    public Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default) =>
        CallAsync<IReadOnlyList<string>>(async () => await client.GetAllSubjectsAsync().ConfigureAwait(false), "GET subjects", cancellationToken);

    public Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) =>
        CallAsync<IReadOnlyList<int>>(async () => await client.GetSubjectVersionsAsync(subject).ConfigureAwait(false), "GET versions of " + subject, cancellationToken);

    public Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default) =>
        throw NoDelete();

    public Task<int> DeleteVersionAsync(string subject, int version, bool permanent = false, CancellationToken cancellationToken = default) =>
        throw NoDelete();

    private static NotSupportedException NoDelete() =>
        new("Confluent's ISchemaRegistryClient has no delete; use KafkaTyped's SchemaRegistryClient (or the registry's REST API) to delete subjects and versions.");

    private async ValueTask<int> RegisterSlowAsync(string subject, Schema schema, bool normalize, CancellationToken cancellationToken)
    {
        var id = await CallAsync(() => client.RegisterSchemaAsync(subject, ToConfluent(schema), normalize), "register under " + subject, cancellationToken).ConfigureAwait(false);
        MakeRoom(registered);
        registered[(subject, schema)] = id;
        return id;
    }

    private async ValueTask<RegisteredSchema> LookupSlowAsync(string subject, Schema schema, bool normalize, CancellationToken cancellationToken)
    {
        var found = await CallAsync(async () => FromConfluent(await client.LookupSchemaAsync(subject, ToConfluent(schema), ignoreDeletedSchemas: true, normalize).ConfigureAwait(false)), "look up under " + subject, cancellationToken).ConfigureAwait(false);
        MakeRoom(lookedUp);
        lookedUp[(subject, schema)] = found;
        return found;
    }

    private async ValueTask<Schema> GetByIdSlowAsync(int id, CancellationToken cancellationToken)
    {
        var schema = await CallAsync(async () => FromConfluent(await client.GetSchemaAsync(id).ConfigureAwait(false)), "GET schema id " + id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        MakeRoom(byId);
        byId[id] = schema;
        return schema;
    }

    /// <summary>Runs a call of Confluent's client, observing cancellation and mapping its exceptions to ours.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string what, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Confluent's methods take no token: stop waiting on cancellation (the request finishes in the background).
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConfluentRegistry.SchemaRegistryException ex)
        {
            throw new SchemaRegistryException($"Schema Registry rejected the request to {what}: {ex.Message}", ex.ErrorCode, (int)ex.Status, ex);
        }
        catch (HttpRequestException ex)
        {
            // Every URL failed (Confluent aggregates them), or a non-registry HTTP failure: transient.
            var status = (int?)ex.StatusCode;
            throw new SchemaRegistryException($"Schema Registry request to {what} failed: {ex.Message}", status ?? SchemaRegistryException.Unreachable, status, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SchemaRegistryException($"Schema Registry request to {what} timed out: {ex.Message}", SchemaRegistryException.OperationTimeout, null, ex);
        }
    }

    private void MakeRoom<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache)
        where TKey : notnull
    {
        if (maxCached > 0 && cache.Count >= maxCached)
        {
            cache.Clear();
        }
    }

    private static ConfluentRegistry.Schema ToConfluent(Schema schema)
    {
        var references = new List<ConfluentRegistry.SchemaReference>(schema.References.Count);
        foreach (var reference in schema.References)
        {
            references.Add(new ConfluentRegistry.SchemaReference(reference.Name, reference.Subject, reference.Version));
        }

        var type = schema.SchemaType switch
        {
            Schema.Protobuf => ConfluentRegistry.SchemaType.Protobuf,
            "JSON" => ConfluentRegistry.SchemaType.Json,
            _ => ConfluentRegistry.SchemaType.Avro,
        };
        return new ConfluentRegistry.Schema(schema.Text, references, type);
    }

    private static Schema FromConfluent(ConfluentRegistry.Schema schema) =>
        new(schema.SchemaString, TypeName(schema.SchemaType), References(schema.References));

    private static RegisteredSchema FromConfluent(ConfluentRegistry.RegisteredSchema schema) =>
        new(schema.Subject, schema.Version, schema.Id, new Schema(schema.SchemaString, TypeName(schema.SchemaType), References(schema.References)));

    private static List<SchemaReference> References(List<ConfluentRegistry.SchemaReference>? references) =>
        references?.Select(static r => new SchemaReference(r.Name, r.Subject, r.Version)).ToList() ?? [];

    private static string TypeName(ConfluentRegistry.SchemaType type) => type switch
    {
        ConfluentRegistry.SchemaType.Protobuf => Schema.Protobuf,
        ConfluentRegistry.SchemaType.Json => "JSON",
        _ => Schema.Avro,
    };

    private static CompatibilityLevel FromConfluent(ConfluentRegistry.Compatibility level) => level switch
    {
        ConfluentRegistry.Compatibility.None => CompatibilityLevel.None,
        ConfluentRegistry.Compatibility.Backward => CompatibilityLevel.Backward,
        ConfluentRegistry.Compatibility.BackwardTransitive => CompatibilityLevel.BackwardTransitive,
        ConfluentRegistry.Compatibility.Forward => CompatibilityLevel.Forward,
        ConfluentRegistry.Compatibility.ForwardTransitive => CompatibilityLevel.ForwardTransitive,
        ConfluentRegistry.Compatibility.Full => CompatibilityLevel.Full,
        _ => CompatibilityLevel.FullTransitive,
    };

    private static ConfluentRegistry.Compatibility ToConfluent(CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => ConfluentRegistry.Compatibility.None,
        CompatibilityLevel.Backward => ConfluentRegistry.Compatibility.Backward,
        CompatibilityLevel.BackwardTransitive => ConfluentRegistry.Compatibility.BackwardTransitive,
        CompatibilityLevel.Forward => ConfluentRegistry.Compatibility.Forward,
        CompatibilityLevel.ForwardTransitive => ConfluentRegistry.Compatibility.ForwardTransitive,
        CompatibilityLevel.Full => ConfluentRegistry.Compatibility.Full,
        _ => ConfluentRegistry.Compatibility.FullTransitive,
    };
}
