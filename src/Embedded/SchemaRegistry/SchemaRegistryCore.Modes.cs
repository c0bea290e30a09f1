using System.Globalization;
using System.Text.Json;
using KafkaTyped.SchemaModel;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

// Modes (READWRITE, READONLY, IMPORT), registration at a given id, and the rules that keep references intact.
internal sealed partial class SchemaRegistryCore
{
    public const string ReadWrite = "READWRITE";
    public const string ReadOnly = "READONLY";
    public const string Import = "IMPORT";

    public string GetMode(string? subject, bool defaultToGlobal)
    {
        lock (State.Gate)
        {
            if (subject is null)
            {
                return State.Modes.TryGetValue(string.Empty, out var global) ? global : ReadWrite;
            }

            if (State.Modes.TryGetValue(subject, out var mode))
            {
                return mode;
            }

            return defaultToGlobal
                ? ModeOf(subject)
                : throw new RegistryError(404, 40409, $"Subject '{subject}' does not have subject-level mode configured");
        }
    }

    public async Task<string> SetModeAsync(string? subject, string? modeName, bool force, CancellationToken cancellationToken)
    {
        var mode = modeName?.ToUpperInvariant();
        if (mode is not (ReadWrite or ReadOnly or Import))
        {
            throw new RegistryError(422, 42204, "Invalid mode. Valid values are READWRITE, READONLY and IMPORT.");
        }

        if (subject is not null)
        {
            ValidateSubject(subject);
        }

        await store.CatchUpAsync(options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        lock (State.Gate)
        {
            // Confluent refuses IMPORT where schemas exist (soft-deleted ones count), unless forced.
            var hasSchemas = subject is null ? State.Subjects.Count > 0 : State.Subjects.ContainsKey(subject);
            if (mode == Import && !force && hasSchemas && ModeOf(subject ?? string.Empty) != Import)
            {
                throw new RegistryError(422, 42205, "Cannot import since found existing subjects");
            }
        }

        var value = JsonSerializer.SerializeToUtf8Bytes(new ModeJson { Mode = mode }, SchemaRegistryJsonContext.Default.ModeJson);
        await store.WriteAsync(new StoreKeyJson { KeyType = "MODE", Subject = subject, Magic = 0 }, value, options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        return mode;
    }

    public async Task<string> DeleteModeAsync(string? subject, CancellationToken cancellationToken)
    {
        var previous = subject is null ? GetMode(null, true) : GetMode(subject, defaultToGlobal: false);
        await store.WriteAsync(new StoreKeyJson { KeyType = "MODE", Subject = subject, Magic = 0 }, null, options.StoreTimeout, cancellationToken).ConfigureAwait(false);
        return previous;
    }

    /// <summary>The mode in force for a subject: its own, else the global one, else READWRITE. Call under the gate.</summary>
    private string ModeOf(string subject) =>
        State.Modes.TryGetValue(subject, out var mode) ? mode
        : State.Modes.TryGetValue(string.Empty, out var global) ? global
        : ReadWrite;

    /// <summary>Checks that a registration is allowed in the subject's mode; true when it imports at a given id. Call under the gate.</summary>
    private bool CheckRegisterMode(string subject, int? id)
    {
        var mode = ModeOf(subject);
        if (mode == ReadOnly)
        {
            throw new RegistryError(422, 42205, $"Subject {subject} in context . is in read-only mode");
        }

        if (id is not null)
        {
            return mode == Import
                ? true
                : throw new RegistryError(422, 42205, $"Subject {subject} in context . is not in import mode");
        }

        return mode == ReadWrite
            ? false
            : throw new RegistryError(422, 42205, $"Subject {subject} in context . is not in read-write mode");
    }

    /// <summary>Deletes need a writable subject. Call under the gate.</summary>
    private void CheckWritable(string subject)
    {
        if (ModeOf(subject) == ReadOnly)
        {
            throw new RegistryError(422, 42205, $"Subject {subject} in context . is in read-only mode");
        }
    }

    /// <summary>The id and version an IMPORT registration writes, refusing to rebind either. Call under the gate.</summary>
    private (int Id, int Version) ImportTarget(string subject, SortedDictionary<int, StoredSchema>? versions, Candidate candidate, int id, int? requestedVersion)
    {
        if (id < 1)
        {
            throw new RegistryError(422, 42205, $"Invalid id {id.ToString(CultureInfo.InvariantCulture)}: ids start at 1.");
        }

        if (State.ById.TryGetValue(id, out var bound) && bound.Identity != candidate.Identity)
        {
            throw new RegistryError(422, 42205, $"Overwrite new schema with id {id.ToString(CultureInfo.InvariantCulture)} in context . is not permitted.");
        }

        // Same schema → same id is what lets every instance agree on the log; another id for it cannot be stored.
        if (State.IdByIdentity.TryGetValue(candidate.Identity, out var existingId) && existingId != id)
        {
            throw new RegistryError(422, 42207, $"Schema already registered with id {existingId.ToString(CultureInfo.InvariantCulture)} instead of input id {id.ToString(CultureInfo.InvariantCulture)}");
        }

        var version = requestedVersion ?? (versions is { Count: > 0 } ? versions.Keys.Max() : 0) + 1;
        if (version < 1)
        {
            throw new RegistryError(422, SchemaRegistryException.InvalidVersion, $"The specified version '{version.ToString(CultureInfo.InvariantCulture)}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }

        if (versions is not null && versions.TryGetValue(version, out var taken) && (taken.Id != id || taken.Identity != candidate.Identity))
        {
            throw new RegistryError(422, 42205, $"Overwrite of subject {subject} version {version.ToString(CultureInfo.InvariantCulture)} with another schema is not permitted.");
        }

        return (id, version);
    }

    /// <summary>A version that other schemas reference cannot be deleted (soft: live referrers; permanent: any). Call under the gate.</summary>
    private void CheckNotReferenced(StoredSchema target, bool permanent)
    {
        foreach (var versions in State.Subjects.Values)
        {
            foreach (var referrer in versions.Values)
            {
                if ((permanent || !referrer.Deleted) && referrer.References.Any(r => r.Subject == target.Subject && r.Version == target.Version))
                {
                    throw new RegistryError(422, SchemaRegistryException.ReferenceExists, $"One or more references exist to the schema {{magic=1,keytype=SCHEMA,subject={target.Subject},version={target.Version.ToString(CultureInfo.InvariantCulture)}}}.");
                }
            }
        }
    }

    /// <summary>
    /// Every import needs a reference of that name, except the files Confluent's registry has built in
    /// (<c>google/protobuf/*</c>, <c>google/type/*</c>, <c>confluent/*</c>); Confluent refuses the rest as invalid schemas.
    /// </summary>
    private static void CheckImports(ProtoFileModel model, List<SchemaReference> references)
    {
        foreach (var import in model.Imports)
        {
            if (IsBuiltIn(import) || references.Any(r => r.Name == import))
            {
                continue;
            }

            throw new RegistryError(422, SchemaRegistryException.InvalidSchema, $"Invalid schema: import \"{import}\" has no reference of that name, so it cannot be resolved. Register the imported file under a subject and list it in \"references\" as {{\"name\":\"{import}\",\"subject\":…,\"version\":…}}.");
        }
    }

    private static bool IsBuiltIn(string import) =>
        import.StartsWith("google/protobuf/", StringComparison.Ordinal)
        || import.StartsWith("google/type/", StringComparison.Ordinal)
        || import.StartsWith("confluent/", StringComparison.Ordinal);
}
