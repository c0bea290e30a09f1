using KafkaTyped.SchemaModel;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Framing;

namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// The startup step that makes message sets' schemas known to the registry: registers them (default), looks them up
/// (<see cref="SchemaRegistrationOptions.AutoRegisterSchemas"/> = false) or adopts the latest registered version
/// (<see cref="SchemaRegistrationOptions.UseLatestVersion"/>). Imported files are registered first, depth-first, each
/// under a subject named after the file, and referenced by version.
/// </summary>
/// <remarks>
/// Thread-safe. Call <see cref="RegisterAsync(IEnumerable{MessageSetDefinition}, bool, CancellationToken)"/> once with
/// every set the application writes or reads: it checks them all and throws one
/// <see cref="SchemaRegistrationException"/> listing every problem. Registry outages surface as
/// <see cref="SchemaRegistryException"/> (nothing to fix in the schemas; retry).
/// </remarks>
internal sealed class SchemaRegistration
{
    private readonly ISchemaRegistry registry;
    private readonly SchemaRegistrationOptions options;
    private readonly ILogger logger;

    /// <summary>Creates the step.</summary>
    public SchemaRegistration(ISchemaRegistry registry, SchemaRegistrationOptions? options = null, ILogger<SchemaRegistration>? logger = null)
    {
        this.registry = registry ?? throw new ArgumentNullException(nameof(registry));
        this.options = options ?? new SchemaRegistrationOptions();
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The schema of a file as sent to the registry (without references).</summary>
    public static string SchemaTextOf(ProtoFile file, SchemaFormat format) =>
        format == SchemaFormat.Text ? file.Text : Convert.ToBase64String(file.Descriptor);

    /// <summary>Registers or finds one set's schema.</summary>
    /// <exception cref="SchemaRegistrationException">The schema is missing, incompatible or lacks a member.</exception>
    public async Task<RegisteredMessageSet> RegisterAsync(MessageSetDefinition set, bool isKey = false, CancellationToken cancellationToken = default) =>
        (await RegisterAsync([set], isKey, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Registers or finds every set's schema, reporting every problem at once.</summary>
    /// <exception cref="SchemaRegistrationException">At least one schema is missing, incompatible or lacks a member.</exception>
    public async Task<IReadOnlyList<RegisteredMessageSet>> RegisterAsync(IEnumerable<MessageSetDefinition> sets, bool isKey = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var problems = new List<string>();
        var results = new List<RegisteredMessageSet>();
        var references = new Dictionary<string, SchemaReference?>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            var before = problems.Count;

            // With UseLatestVersion the local schema is never sent, so its imports need not be registered either.
            var schema = options.UseLatestVersion
                ? new Schema(SchemaTextOf(set.File, options.SchemaFormat))
                : await BuildSchemaAsync(set.File, references, problems, cancellationToken).ConfigureAwait(false);
            if (problems.Count > before)
            {
                continue;
            }

            var registered = await RegisterSetAsync(set, schema, isKey, problems, cancellationToken).ConfigureAwait(false);
            if (registered is not null)
            {
                results.Add(registered);
            }
        }

        if (problems.Count > 0)
        {
            throw new SchemaRegistrationException(problems);
        }

        return results;
    }

    private async Task<Schema> BuildSchemaAsync(ProtoFile file, Dictionary<string, SchemaReference?> done, List<string> problems, CancellationToken cancellationToken)
    {
        var references = new List<SchemaReference>();
        foreach (var dependency in file.Dependencies)
        {
            if (dependency.IsWellKnown && options.SkipWellKnownReferences)
            {
                continue;
            }

            if (!done.TryGetValue(dependency.Name, out var reference))
            {
                reference = await RegisterReferenceAsync(dependency, done, problems, cancellationToken).ConfigureAwait(false);
                done[dependency.Name] = reference;
            }

            if (reference is not null)
            {
                references.Add(reference);
            }
        }

        return new Schema(SchemaTextOf(file, options.SchemaFormat), Schema.Protobuf, references);
    }

    private async Task<SchemaReference?> RegisterReferenceAsync(ProtoFile file, Dictionary<string, SchemaReference?> done, List<string> problems, CancellationToken cancellationToken)
    {
        var schema = await BuildSchemaAsync(file, done, problems, cancellationToken).ConfigureAwait(false);
        var subject = file.Name;
        try
        {
            if (options.AutoRegisterSchemas && !options.UseLatestVersion)
            {
                await registry.RegisterSchemaAsync(subject, schema, options.NormalizeSchemas, cancellationToken).ConfigureAwait(false);
            }

            // The reference needs the version, which only a lookup returns.
            var found = await registry.LookupSchemaAsync(subject, schema, options.NormalizeSchemas, cancellationToken).ConfigureAwait(false);
            return new SchemaReference(file.Name, subject, found.Version);
        }
        catch (SchemaRegistryException ex) when (ex.HttpStatus is >= 400 and < 500)
        {
            problems.Add(await DescribeAsync($"imported file '{file.Name}'", subject, schema, ex, cancellationToken).ConfigureAwait(false));
            return null;
        }
    }

    private async Task<RegisteredMessageSet?> RegisterSetAsync(MessageSetDefinition set, Schema schema, bool isKey, List<string> problems, CancellationToken cancellationToken)
    {
        var names = set.MessageNames;
        if (names.Count == 0)
        {
            problems.Add($"Message set {set} has no messages.");
            return null;
        }

        var ids = new int[names.Count];
        var paths = new MessageIndexPath[names.Count];
        var subjects = new List<string>();
        int? version = null;
        var failed = false;
        for (var i = 0; i < names.Count; i++)
        {
            var subject = SubjectNames.For(options.SubjectNameStrategy, set.Topic, names[i], isKey);
            var sameSubject = subjects.Count > 0 && subjects[^1] == subject;
            if (sameSubject)
            {
                ids[i] = ids[i - 1];
                paths[i] = options.UseLatestVersion ? paths[i] : MessageIndexPath.TopLevel(i);
                continue;
            }

            subjects.Add(subject);
            try
            {
                if (options.UseLatestVersion)
                {
                    var latest = await registry.GetLatestSchemaAsync(subject, cancellationToken).ConfigureAwait(false);
                    version ??= latest.Version;
                    if (!MapToLatest(set, latest, ids, paths, i, options.SubjectNameStrategy == SubjectNameStrategy.Topic, problems, subject))
                    {
                        failed = true;
                    }

                    if (options.SubjectNameStrategy == SubjectNameStrategy.Topic)
                    {
                        break;
                    }

                    continue;
                }

                if (options.AutoRegisterSchemas)
                {
                    ids[i] = await registry.RegisterSchemaAsync(subject, schema, options.NormalizeSchemas, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var found = await registry.LookupSchemaAsync(subject, schema, options.NormalizeSchemas, cancellationToken).ConfigureAwait(false);
                    ids[i] = found.Id;
                    version ??= found.Version;
                }

                paths[i] = MessageIndexPath.TopLevel(i);
            }
            catch (SchemaRegistryException ex) when (ex.HttpStatus is >= 400 and < 500)
            {
                problems.Add(await DescribeAsync($"message set {set}", subject, schema, ex, cancellationToken).ConfigureAwait(false));
                failed = true;
            }
        }

        if (failed)
        {
            return null;
        }

        return new RegisteredMessageSet(set, subjects, ids, paths, version);
    }

    private bool MapToLatest(MessageSetDefinition set, RegisteredSchema latest, int[] ids, MessageIndexPath[] paths, int from, bool allMembers, List<string> problems, string subject)
    {
        ProtoFileModel model;
        try
        {
            model = ProtoParser.Parse(latest.Schema.Text);
        }
        catch (ProtoParseException ex)
        {
            problems.Add($"The latest schema under subject '{subject}' (id {latest.Id}, version {latest.Version}) could not be read as .proto text: {ex.Message}");
            return false;
        }

        var ok = true;
        var to = allMembers ? set.MessageNames.Count : from + 1;
        for (var i = from; i < to; i++)
        {
            var index = model.Messages.FindIndex(m => m.FullName == set.MessageNames[i]);
            if (index < 0)
            {
                problems.Add($"UseLatestVersion: the latest schema under subject '{subject}' (id {latest.Id}, version {latest.Version}) has no message {set.MessageNames[i]}, which message set {set} writes. Register a schema version that contains it, or turn UseLatestVersion off.");
                ok = false;
                continue;
            }

            ids[i] = latest.Id;
            paths[i] = MessageIndexPath.TopLevel(index);
        }

        return ok;
    }

    private async Task<string> DescribeAsync(string what, string subject, Schema schema, SchemaRegistryException ex, CancellationToken cancellationToken)
    {
        if (ex.ErrorCode == SchemaRegistryException.IncompatibleSchema)
        {
            return $"The schema of {what} is incompatible with the versions registered under subject '{subject}': {ex.Message} Make the change compatible (add fields with new numbers, keep types and numbers), or register it under a new topic.";
        }

        if (!options.AutoRegisterSchemas && ex.ErrorCode is SchemaRegistryException.SchemaNotFound or SchemaRegistryException.SubjectNotFound)
        {
            var compatibility = string.Empty;
            try
            {
                var check = await registry.TestCompatibilityAsync(subject, schema, null, true, cancellationToken).ConfigureAwait(false);
                compatibility = check.IsCompatible
                    ? " It is compatible with the latest registered version, so registering it would succeed."
                    : check.Messages.Count == 0
                        ? " It is also incompatible with the latest registered version (the registry client reports no reasons)."
                        : $" It is also incompatible with the latest registered version: {string.Join("; ", check.Messages)}.";
            }
            catch (SchemaRegistryException)
            {
                // the lookup failure is the problem to report; the extra detail is optional
            }

            return $"The schema of {what} is not registered under subject '{subject}' (error {ex.ErrorCode}) and AutoRegisterSchemas is false.{compatibility} Register it before deploying, or set KafkaTyped:Schemas:AutoRegisterSchemas=true.";
        }

        return $"The registry refused the schema of {what} under subject '{subject}': {ex.Message}";
    }
}
