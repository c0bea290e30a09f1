using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using KafkaTyped.SchemaModel;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>
/// The registry operations of the embedded Schema Registry over a <see cref="KafkaSchemaStore"/>, following
/// Confluent's <c>KafkaSchemaRegistry</c> (PROTOCOLS.md §2): canonical text, same schema → same id across subjects,
/// compatibility checks per level, soft and permanent deletes.
/// </summary>
internal sealed partial class SchemaRegistryCore
{
    private const int MaxWriteAttempts = 8;

    private readonly KafkaSchemaStore store;
    private readonly EmbeddedSchemaRegistryOptions options;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, ProtoFileModel> models = new();

    public SchemaRegistryCore(KafkaSchemaStore store, EmbeddedSchemaRegistryOptions options)
    {
        this.store = store;
        this.options = options;
    }

    private SchemaState State => store.State;

    public async Task<int> RegisterAsync(string subject, SchemaRequestJson request, CancellationToken cancellationToken)
    {
        ValidateSubject(subject);
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
            {
                await store.CatchUpAsync(options.StoreTimeout, cancellationToken).ConfigureAwait(false);
                var candidate = Canonicalize(request);
                int id;
                int version;
                lock (State.Gate)
                {
                    var importing = CheckRegisterMode(subject, request.Id);
                    State.Subjects.TryGetValue(subject, out var versions);
                    var same = versions?.Values.FirstOrDefault(v => !v.Deleted && v.Identity == candidate.Identity);
                    if (same is not null && (!importing || same.Id == request.Id))
                    {
                        return same.Id;
                    }

                    if (importing)
                    {
                        (id, version) = ImportTarget(subject, versions, candidate, request.Id!.Value, request.Version);
                    }
                    else
                    {
                        var problems = CheckAgainstSubject(subject, versions, candidate.Model, null);
                        if (problems.Count > 0)
                        {
                            throw new RegistryError(409, SchemaRegistryException.IncompatibleSchema, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join("; ", problems)}]");
                        }

                        id = State.IdByIdentity.TryGetValue(candidate.Identity, out var existingId) ? existingId : State.MaxId + 1;
                        version = (versions is { Count: > 0 } ? versions.Keys.Max() : 0) + 1;
                    }
                }

                var value = new StoreSchemaValueJson { Subject = subject, Version = version, Id = id, SchemaType = SchemaTypes.Protobuf, Schema = candidate.Text, References = ToJson(candidate.References) };
                await WriteSchemaAsync(subject, version, value, cancellationToken).ConfigureAwait(false);
                lock (State.Gate)
                {
                    if (State.Subjects.TryGetValue(subject, out var versions) && versions.TryGetValue(version, out var stored) && stored.Id == id && stored.Identity == candidate.Identity)
                    {
                        return id;
                    }
                }

                // Another instance wrote first; the state now reflects it, so the next round decides afresh.
            }

            throw new RegistryError(500, SchemaRegistryException.StoreError, $"Registering under subject \"{subject}\" kept conflicting with concurrent writers; try again.");
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task<SchemaResponseJson> LookupAsync(string subject, SchemaRequestJson request, bool includeDeleted, string? format, CancellationToken cancellationToken)
    {
        await store.CatchUpAsync(options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        var candidate = Canonicalize(request);
        lock (State.Gate)
        {
            if (!State.Subjects.TryGetValue(subject, out var versions) || (!includeDeleted && versions.Values.All(static v => v.Deleted)))
            {
                throw new RegistryError(404, SchemaRegistryException.SubjectNotFound, $"Subject '{subject}' not found.");
            }

            var match = versions.Values.Where(v => (includeDeleted || !v.Deleted) && v.Identity == candidate.Identity).OrderByDescending(static v => v.Version).FirstOrDefault();
            return match is null
                ? throw new RegistryError(404, SchemaRegistryException.SchemaNotFound, "Schema not found")
                : ToResponse(match, format);
        }
    }

    public SchemaResponseJson GetById(int id, string? format)
    {
        lock (State.Gate)
        {
            if (!State.ById.TryGetValue(id, out var stored))
            {
                throw new RegistryError(404, SchemaRegistryException.SchemaNotFound, $"Schema {id.ToString(CultureInfo.InvariantCulture)} not found");
            }

            return new SchemaResponseJson { SchemaType = stored.SchemaType, Schema = Format(stored, format), References = stored.References.Count == 0 ? null : ToJson(stored.References) };
        }
    }

    public SchemaResponseJson GetVersion(string subject, string version, bool includeDeleted, string? format)
    {
        lock (State.Gate)
        {
            return ToResponse(FindVersion(subject, version, includeDeleted), format);
        }
    }

    public async Task<List<int>> DeleteSubjectAsync(string subject, bool permanent, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await store.CatchUpAsync(options.StoreTimeout, cancellationToken).ConfigureAwait(false);
            List<StoredSchema> targets;
            lock (State.Gate)
            {
                if (!State.Subjects.TryGetValue(subject, out var versions))
                {
                    throw new RegistryError(404, SchemaRegistryException.SubjectNotFound, $"Subject '{subject}' not found.");
                }

                var live = versions.Values.Where(static v => !v.Deleted).ToList();
                if (permanent && live.Count > 0)
                {
                    throw new RegistryError(404, SchemaRegistryException.SubjectNotSoftDeleted, $"Subject '{subject}' was not deleted first before being permanently deleted");
                }

                if (!permanent && live.Count == 0)
                {
                    throw new RegistryError(404, SchemaRegistryException.SubjectSoftDeleted, $"Subject '{subject}' was soft deleted. Set permanent=true to delete permanently");
                }

                targets = permanent ? versions.Values.ToList() : live;
                CheckWritable(subject);
                foreach (var target in targets)
                {
                    CheckNotReferenced(target, permanent);
                }
            }

            foreach (var target in targets)
            {
                await WriteSchemaAsync(subject, target.Version, permanent ? null : ToStoreValue(target with { Deleted = true }), cancellationToken).ConfigureAwait(false);
            }

            return targets.Select(static t => t.Version).ToList();
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task<int> DeleteVersionAsync(string subject, string version, bool permanent, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await store.CatchUpAsync(options.StoreTimeout, cancellationToken).ConfigureAwait(false);
            StoredSchema target;
            lock (State.Gate)
            {
                target = FindVersion(subject, version, includeDeleted: true);
                if (permanent && !target.Deleted)
                {
                    throw new RegistryError(404, 40407, $"Subject '{subject}' Version {target.Version} was not deleted first before being permanently deleted");
                }

                if (!permanent && target.Deleted)
                {
                    throw new RegistryError(404, 40406, $"Subject '{subject}' Version {target.Version} was soft deleted. Set permanent=true to delete permanently");
                }

                CheckWritable(subject);
                CheckNotReferenced(target, permanent);
            }

            await WriteSchemaAsync(subject, target.Version, permanent ? null : ToStoreValue(target with { Deleted = true }), cancellationToken).ConfigureAwait(false);
            return target.Version;
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Tests a schema against one version, <c>latest</c>, or (<paramref name="version"/> null) the versions the subject's level checks against.</summary>
    public async Task<CompatibilityResponseJson> TestCompatibilityAsync(string subject, string? version, SchemaRequestJson request, bool verbose, CancellationToken cancellationToken)
    {
        await store.CatchUpAsync(options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        var candidate = Canonicalize(request);
        List<string> problems;
        lock (State.Gate)
        {
            State.Subjects.TryGetValue(subject, out var versions);
            if (versions is null || versions.Values.All(static v => v.Deleted))
            {
                if (version is not null and not "latest")
                {
                    throw new RegistryError(404, SchemaRegistryException.SubjectNotFound, $"Subject '{subject}' not found.");
                }

                // PROTOCOLS.md §2: latest on a subject with no versions is compatible.
                return new CompatibilityResponseJson { IsCompatible = true, Messages = verbose ? [] : null };
            }

            // latest = the latest version alone; no version = as registration checks (latest, or all when transitive).
            StoredSchema? only = version is null ? null : FindVersion(subject, version, includeDeleted: false);
            problems = CheckAgainstSubject(subject, versions, candidate.Model, only);
        }

        return new CompatibilityResponseJson { IsCompatible = problems.Count == 0, Messages = verbose ? problems : null };
    }

    public string GetCompatibility(string? subject, bool defaultToGlobal)
    {
        lock (State.Gate)
        {
            if (subject is null)
            {
                return GlobalLevel().ToRegistryName();
            }

            if (State.Configs.TryGetValue(subject, out var level))
            {
                return level.ToRegistryName();
            }

            return defaultToGlobal
                ? GlobalLevel().ToRegistryName()
                : throw new RegistryError(404, SchemaRegistryException.SubjectCompatibilityNotConfigured, $"Subject '{subject}' does not have subject-level compatibility configured");
        }
    }

    public async Task<string> SetCompatibilityAsync(string? subject, string? levelName, CancellationToken cancellationToken)
    {
        if (!CompatibilityLevels.TryParse(levelName, out var level))
        {
            throw new RegistryError(422, SchemaRegistryException.InvalidCompatibilityLevel, $"Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
        }

        if (subject is not null)
        {
            ValidateSubject(subject);
        }

        var value = JsonSerializer.SerializeToUtf8Bytes(new ConfigGetResponseJson { CompatibilityLevel = level.ToRegistryName() }, SchemaRegistryJsonContext.Default.ConfigGetResponseJson);
        await store.WriteAsync(new StoreKeyJson { KeyType = "CONFIG", Subject = subject, Magic = 0 }, value, options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        return level.ToRegistryName();
    }

    public async Task<string> DeleteCompatibilityAsync(string subject, CancellationToken cancellationToken)
    {
        var previous = GetCompatibility(subject, defaultToGlobal: false);
        await store.WriteAsync(new StoreKeyJson { KeyType = "CONFIG", Subject = subject, Magic = 0 }, null, options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        return previous;
    }

    private CompatibilityLevel GlobalLevel() => State.Configs.TryGetValue(string.Empty, out var level) ? level : options.DefaultCompatibility;

    /// <summary>Checks a model against a subject's live versions (or one version) at the subject's level. Call under the gate.</summary>
    private List<string> CheckAgainstSubject(string subject, SortedDictionary<int, StoredSchema>? versions, ProtoFileModel model, StoredSchema? only)
    {
        var problems = new List<string>();
        if (versions is null)
        {
            return problems;
        }

        var level = State.Configs.TryGetValue(subject, out var subjectLevel) ? subjectLevel : GlobalLevel();
        if (level == CompatibilityLevel.None)
        {
            return problems;
        }

        var live = versions.Values.Where(static v => !v.Deleted).ToList();
        if (live.Count == 0)
        {
            return problems;
        }

        var transitive = level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;
        IEnumerable<StoredSchema> against = only is not null ? [only] : transitive ? live : [live[^1]];
        var backward = level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var forward = level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        foreach (var previous in against)
        {
            var previousModel = ModelOf(previous);
            var prefix = $"version {previous.Version.ToString(CultureInfo.InvariantCulture)} ({level.ToRegistryName()}): ";
            if (backward)
            {
                problems.AddRange(ProtoCompatibility.Incompatibilities(previousModel, model, options.StrictCompatibility).Select(d => prefix + d));
            }

            if (forward)
            {
                problems.AddRange(ProtoCompatibility.Incompatibilities(model, previousModel, options.StrictCompatibility).Select(d => prefix + "(forward) " + d));
            }
        }

        return problems;
    }

    private Candidate Canonicalize(SchemaRequestJson request)
    {
        if (request.SchemaType is not null && !string.Equals(request.SchemaType, SchemaTypes.Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryError(422, SchemaRegistryException.InvalidSchema, $"The embedded Schema Registry stores PROTOBUF schemas only, not {request.SchemaType}.");
        }

        if (string.IsNullOrWhiteSpace(request.Schema))
        {
            throw new RegistryError(422, SchemaRegistryException.InvalidSchema, "Empty schema");
        }

        var references = new List<SchemaReference>();
        var dependencies = new List<ProtoFileModel>();
        lock (State.Gate)
        {
            foreach (var reference in request.References ?? [])
            {
                if (reference.Subject is null || !State.Subjects.TryGetValue(reference.Subject, out var versions) || !versions.TryGetValue(reference.Version, out var target))
                {
                    throw new RegistryError(422, SchemaRegistryException.InvalidSchema, $"Invalid schema: reference '{reference.Name}' names subject '{reference.Subject}' version {reference.Version.ToString(CultureInfo.InvariantCulture)}, which is not registered.");
                }

                references.Add(new SchemaReference(reference.Name ?? reference.Subject, reference.Subject, reference.Version));
                dependencies.Add(ModelOf(target));
            }
        }

        var model = ParseSchema(request.Schema, dependencies);
        CheckImports(model, references);
        var text = ProtoPrinter.Print(model);
        return new Candidate(model, text, references, StoredSchema.IdentityOf(SchemaTypes.Protobuf, text, references));
    }

    private static ProtoFileModel ParseSchema(string schema, List<ProtoFileModel> dependencies)
    {
        try
        {
            return ProtoParser.Parse(schema, dependencies);
        }
        catch (ProtoParseException textError)
        {
            // Not .proto text: maybe the base64 descriptor Confluent's .NET serializer sends.
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(schema.Trim());
            }
            catch (FormatException)
            {
                throw new RegistryError(422, SchemaRegistryException.InvalidSchema, $"Invalid schema: not .proto text ({textError.Message}) and not a base64 FileDescriptorProto.");
            }

            try
            {
                var model = DescriptorModelReader.Read(bytes);
                return ProtoParser.Parse(ProtoPrinter.Print(model), dependencies);
            }
            catch (Exception ex) when (ex is Google.Protobuf.InvalidProtocolBufferException or ProtoParseException or InvalidOperationException)
            {
                throw new RegistryError(422, SchemaRegistryException.InvalidSchema, $"Invalid schema: not .proto text ({textError.Message}) and not a valid base64 FileDescriptorProto ({ex.Message}).");
            }
        }
    }

    private ProtoFileModel ModelOf(StoredSchema stored) => models.GetOrAdd(stored.Id, _ =>
    {
        var dependencies = new List<ProtoFileModel>();
        foreach (var reference in stored.References)
        {
            if (State.Subjects.TryGetValue(reference.Subject, out var versions) && versions.TryGetValue(reference.Version, out var target))
            {
                dependencies.Add(ModelOf(target));
            }
        }

        return ProtoParser.Parse(stored.Text, dependencies);
    });

    private StoredSchema FindVersion(string subject, string version, bool includeDeleted)
    {
        var versions = ExistingSubject(subject, includeDeleted);
        if (version == "latest" || version == "-1")
        {
            return versions.Values.LastOrDefault(v => includeDeleted || !v.Deleted)
                ?? throw new RegistryError(404, SchemaRegistryException.VersionNotFound, $"Version {version} not found.");
        }

        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw new RegistryError(422, SchemaRegistryException.InvalidVersion, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }

        return versions.TryGetValue(number, out var stored) && (includeDeleted || !stored.Deleted)
            ? stored
            : throw new RegistryError(404, SchemaRegistryException.VersionNotFound, $"Version {number.ToString(CultureInfo.InvariantCulture)} not found.");
    }

    private SortedDictionary<int, StoredSchema> ExistingSubject(string subject, bool includeDeleted)
    {
        if (!State.Subjects.TryGetValue(subject, out var versions) || (!includeDeleted && versions.Values.All(static v => v.Deleted)))
        {
            throw new RegistryError(404, SchemaRegistryException.SubjectNotFound, $"Subject '{subject}' not found.");
        }

        return versions;
    }

    private async Task WriteSchemaAsync(string subject, int version, StoreSchemaValueJson? value, CancellationToken cancellationToken)
    {
        var bytes = value is null ? null : JsonSerializer.SerializeToUtf8Bytes(value, SchemaStoreJsonContext.Default.StoreSchemaValueJson);
        await store.WriteAsync(new StoreKeyJson { KeyType = "SCHEMA", Subject = subject, Version = version, Magic = 1 }, bytes, options.StoreTimeout, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateSubject(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject) || subject.Any(char.IsControl))
        {
            throw new RegistryError(422, 42208, "Invalid subject");
        }
    }

    private static StoreSchemaValueJson ToStoreValue(StoredSchema stored) => new()
    {
        Subject = stored.Subject,
        Version = stored.Version,
        Id = stored.Id,
        SchemaType = stored.SchemaType,
        Schema = stored.Text,
        References = ToJson(stored.References),
        Deleted = stored.Deleted,
    };

    private SchemaResponseJson ToResponse(StoredSchema stored, string? format) => new()
    {
        Subject = stored.Subject,
        Version = stored.Version,
        Id = stored.Id,
        SchemaType = stored.SchemaType,
        References = stored.References.Count == 0 ? null : ToJson(stored.References),
        Schema = Format(stored, format),
    };

    /// <summary>
    /// The schema in a requested format: <c>serialized</c> is the base64 <c>FileDescriptorProto</c>; any other value
    /// (Confluent's <c>ignore_extensions</c>, or one it does not know) is the canonical text, as Confluent answers.
    /// </summary>
    private string Format(StoredSchema stored, string? format) =>
        string.Equals(format, "serialized", StringComparison.Ordinal) ? DescriptorModelWriter.ToBase64(ModelOf(stored)) : stored.Text;

    private static List<SchemaReferenceJson> ToJson(IReadOnlyList<SchemaReference> references) =>
        references.Select(static r => new SchemaReferenceJson { Name = r.Name, Subject = r.Subject, Version = r.Version }).ToList();

    private sealed record Candidate(ProtoFileModel Model, string Text, List<SchemaReference> References, string Identity);
}
