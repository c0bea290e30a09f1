using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaTyped.Cli.Adapters;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Cli.Protobuf;
using KafkaTyped.SchemaRegistry;
using Spectre.Console;

namespace KafkaTyped.Cli.Commands;

/// <summary><c>kafkatyped schemas list | show | export | check</c>.</summary>
internal static class SchemasCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create()
    {
        var command = new Command("schemas", "Registry subjects and schemas; export .proto files and an AsyncAPI 3.0 document; check a .proto against the registry.");

        var list = new Command("list", "Subjects with their latest version and schema id.");
        list.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, _) => ListAsync(context)));
        command.Subcommands.Add(list);

        var target = new Argument<string>("subject-or-id") { Description = "A subject (latest version unless --version) or a schema id." };
        var version = new Option<int?>("--version") { Description = "The version under the subject." };
        var show = new Command("show", "A schema's text (stdout) with its id, version and references.") { target, version };
        show.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, _) => ShowAsync(context, parse.GetValue(target)!, parse.GetValue(version))));
        command.Subcommands.Add(show);

        var assembly = new Option<string?>("--assembly", "-a") { Description = "Export what this application assembly declares (its generated schemas, sets and consumer groups) instead of the registry's subjects." };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for the .proto files (written at their import paths). Default: protos, unless only --asyncapi is asked for." };
        var asyncApi = new Option<string?>("--asyncapi") { Description = "Also write an AsyncAPI 3.0 document to this file ('-' for stdout)." };
        var export = new Command("export", "Write .proto files and an AsyncAPI 3.0 document (topics, message sets, keys, consumer groups).") { assembly, output, asyncApi };
        export.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, _) => ExportAsync(context, parse.GetValue(assembly), parse.GetValue(output), parse.GetValue(asyncApi))));
        command.Subcommands.Add(export);

        var file = new Argument<string>("file") { Description = "The .proto file to check." };
        var subject = new Option<string?>("--subject", "-s") { Description = "The subject to check against." };
        var topic = new Option<string?>("--topic") { Description = "Check against the topic's value subject ({topic}-value)." };
        var check = new Command("check", "Test a local .proto against the registry's compatibility rules for a subject (exit 6 when incompatible).") { file, subject, topic };
        check.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, _) => CheckAsync(context, parse.GetValue(file)!, parse.GetValue(subject), parse.GetValue(topic))));
        command.Subcommands.Add(check);
        return command;
    }

    private static async Task<int> ListAsync(CliContext context)
    {
        var subjects = await context.CallRegistryAsync(r => r.GetSubjectsAsync()).ConfigureAwait(false);
        var rows = new List<RegisteredSchema>();
        foreach (var subject in subjects.Order(StringComparer.Ordinal))
        {
            rows.Add(await context.CallRegistryAsync(r => r.GetLatestSchemaAsync(subject)).ConfigureAwait(false));
        }

        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["subject"] = r.Subject,
                ["version"] = r.Version,
                ["id"] = r.Id,
                ["schemaType"] = r.Schema.SchemaType,
                ["references"] = References(r.Schema),
            }).ToArray()));
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Subject").AddColumn("Latest version", c => c.RightAligned()).AddColumn("Schema id", c => c.RightAligned()).AddColumn("Type").AddColumn("References");
        foreach (var r in rows)
        {
            table.AddRow(Markup.Escape(r.Subject), r.Version.ToString(CultureInfo.InvariantCulture), r.Id.ToString(CultureInfo.InvariantCulture), r.Schema.SchemaType, Markup.Escape(string.Join(", ", r.Schema.References.Select(x => $"{x.Subject} v{x.Version}"))));
        }

        context.Output.Console.Write(table);
        context.Output.Info($"{rows.Count} subject(s) in the registry at {context.RegistryDisplay}.");
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CliContext context, string target, int? version)
    {
        JsonObject json;
        Schema schema;
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && version is null)
        {
            schema = await context.CallRegistryAsync(r => r.GetSchemaByIdAsync(id).AsTask(), $"Schema id {id} is not in the registry").ConfigureAwait(false);
            json = new JsonObject { ["id"] = id };
        }
        else
        {
            var registered = await context.CallRegistryAsync(
                r => version is { } v ? r.GetSchemaAsync(target, v) : r.GetLatestSchemaAsync(target),
                version is null ? $"Subject '{target}' is not in the registry" : $"Subject '{target}' has no version {version}").ConfigureAwait(false);
            schema = registered.Schema;
            json = new JsonObject { ["subject"] = registered.Subject, ["version"] = registered.Version, ["id"] = registered.Id };
        }

        json["schemaType"] = schema.SchemaType;
        json["references"] = References(schema);
        json["schema"] = schema.Text;
        if (context.Output.Json)
        {
            context.Output.WriteJson(json);
            return ExitCodes.Ok;
        }

        var header = string.Join(", ", json.Where(p => p.Key is "subject" or "version" or "id").Select(p => $"{p.Key} {p.Value}"));
        context.Output.Info($"{header} ({schema.SchemaType}{(schema.References.Count > 0 ? ", references: " + string.Join(", ", schema.References.Select(r => $"{r.Name} = {r.Subject} v{r.Version}")) : string.Empty)})");
        context.Output.WriteLine(schema.Text.TrimEnd());
        return ExitCodes.Ok;
    }

    private static async Task<int> ExportAsync(CliContext context, string? assemblyPath, string? outDirectory, string? asyncApiPath)
    {
        outDirectory ??= asyncApiPath is null ? "protos" : null;
        var written = new List<string>();
        JsonObject document;
        if (assemblyPath is not null)
        {
            var model = AssemblyModel.Load(assemblyPath);
            if (outDirectory is not null)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var file in model.Files)
                {
                    WriteWithImports(file, outDirectory, seen, written);
                }
            }

            var topics = model.Sets.Select(s => new ApiTopic(
                s.Topic,
                s.Partitions,
                s.ReplicationFactor > 0 ? s.ReplicationFactor : null,
                s.File.Text,
                s.Topic + "-value",
                s.MessageNames.Select((n, i) => new ApiMessage(n, s.Keys[i]?.ClrType)).ToList(),
                Produced: true)).ToList();
            var groups = model.Groups.Select(g => new ApiGroup(g.GroupId, g.Handler, g.Topics)).ToList();
            document = AsyncApiDocument.Build(model.Name, model.Version, $"Kafka topics, message sets and consumer groups of {model.Name}, generated by kafkatyped from its KafkaTyped-generated code.", topics, groups, null, null);
        }
        else
        {
            var subjects = await context.CallRegistryAsync(r => r.GetSubjectsAsync()).ConfigureAwait(false);
            var schemas = new RegistrySchemas(context);
            var topics = await context.Output.WithProgressAsync($"Reading {subjects.Count} subjects", subjects.Count, async step =>
            {
                var topics = new List<ApiTopic>();
                foreach (var subject in subjects.Order(StringComparer.Ordinal))
                {
                    step();
                    var latest = await context.CallRegistryAsync(r => r.GetLatestSchemaAsync(subject)).ConfigureAwait(false);
                    if (!string.Equals(latest.Schema.SchemaType, Schema.Protobuf, StringComparison.OrdinalIgnoreCase))
                    {
                        context.Output.Info($"Skipping subject '{subject}': {latest.Schema.SchemaType}, not Protobuf.");
                        continue;
                    }

                    if (outDirectory is not null)
                    {
                        written.Add(WriteFile(outDirectory, RegistrySchemas.FileNameFor(subject), latest.Schema.Text));
                    }

                    if (subject.EndsWith("-value", StringComparison.Ordinal))
                    {
                        var (_, set) = await schemas.LatestAsync(subject).ConfigureAwait(false);
                        topics.Add(new ApiTopic(subject[..^"-value".Length], null, null, latest.Schema.Text, subject, set.TopLevelNames.Select(n => new ApiMessage(n, null)).ToList(), Produced: false));
                    }
                }

                return topics;
            }).ConfigureAwait(false);

            var cluster = TryCluster(context);
            document = AsyncApiDocument.Build("Schema Registry " + context.RegistryDisplay, "1.0.0", $"Topics with Protobuf value schemas in the Schema Registry at {context.RegistryDisplay} (subjects named {{topic}}-value), generated by kafkatyped.", topics, [], cluster, context.RegistryDisplay);
        }

        if (asyncApiPath is "-")
        {
            context.Output.WriteJson(document);
            return ExitCodes.Ok;
        }

        if (asyncApiPath is not null)
        {
            var full = Path.GetFullPath(asyncApiPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, document.ToJsonString(CliOutput.Indented), Utf8).ConfigureAwait(false);
            written.Add(full);
        }

        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonObject { ["files"] = new JsonArray(written.Select(w => (JsonNode)w).ToArray()) });
        }
        else
        {
            foreach (var path in written)
            {
                context.Output.WriteLine(path);
            }

            context.Output.Info($"Wrote {written.Count} file(s).");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> CheckAsync(CliContext context, string path, string? subject, string? topic)
    {
        subject ??= topic is null ? null : topic + "-value";
        if (subject is null)
        {
            throw new CliException("Name the subject to check against: --subject <subject> or --topic <topic>.", ExitCodes.Usage);
        }

        if (!File.Exists(path))
        {
            throw new CliException($"File '{path}' not found.", ExitCodes.NotFound);
        }

        var text = await File.ReadAllTextAsync(path).ConfigureAwait(false);
        IReadOnlyList<string> imports;
        try
        {
            imports = ProtoSchemaText.Imports(text);
        }
        catch (FormatException e)
        {
            throw new CliException($"{path} is not valid .proto: {e.Message}", ExitCodes.Usage, e);
        }

        // Imports are referenced under subjects named after their files, as KafkaTyped registers them.
        var references = new List<SchemaReference>();
        foreach (var import in imports.Where(i => !DescriptorSet.IsWellKnown(i)))
        {
            var registered = await context.CallRegistryAsync(r => r.GetLatestSchemaAsync(import), $"{path} imports '{import}', which is not registered under subject '{import}'").ConfigureAwait(false);
            references.Add(new SchemaReference(import, import, registered.Version));
        }

        var versions = await SafeVersionsAsync(context, subject).ConfigureAwait(false);
        var level = await context.CallRegistryAsync(r => r.GetCompatibilityAsync(subject, defaultToGlobal: true)).ConfigureAwait(false);
        var result = await context.CallRegistryAsync(r => r.TestCompatibilityAsync(subject, new Schema(text, Schema.Protobuf, references), null, verbose: true)).ConfigureAwait(false);
        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonObject
            {
                ["file"] = path,
                ["subject"] = subject,
                ["compatibility"] = level.ToRegistryName(),
                ["registeredVersions"] = versions,
                ["compatible"] = result.IsCompatible,
                ["messages"] = new JsonArray(result.Messages.Select(m => (JsonNode)m).ToArray()),
            });
        }
        else
        {
            var against = versions == 0 ? "no registered version yet" : $"{versions} registered version(s)";
            context.Output.WriteLine(result.IsCompatible
                ? $"{path} is compatible with subject '{subject}' ({level.ToRegistryName()}, {against})."
                : $"{path} is NOT compatible with subject '{subject}' ({level.ToRegistryName()}, {against}):");
            foreach (var message in result.Messages)
            {
                context.Output.WriteLine("  " + message);
            }
        }

        return result.IsCompatible ? ExitCodes.Ok : ExitCodes.Incompatible;
    }

    private static async Task<int> SafeVersionsAsync(CliContext context, string subject)
    {
        try
        {
            return (await context.CallRegistryAsync(r => r.GetVersionsAsync(subject)).ConfigureAwait(false)).Count;
        }
        catch (CliException e) when (e.ExitCode == ExitCodes.NotFound)
        {
            return 0;
        }
    }

    private static string? TryCluster(CliContext context)
    {
        try
        {
            return context.Cluster.BootstrapServers;
        }
        catch (CliException)
        {
            return null;
        }
    }

    private static JsonArray References(Schema schema) =>
        new(schema.References.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["subject"] = r.Subject, ["version"] = r.Version }).ToArray());

    private static void WriteWithImports(ProtoFileInfo file, string directory, HashSet<string> seen, List<string> written)
    {
        if (file.IsWellKnown || !seen.Add(file.Name))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            WriteWithImports(dependency, directory, seen, written);
        }

        written.Add(WriteFile(directory, file.Name, file.Text));
    }

    private static string WriteFile(string directory, string name, string text)
    {
        var root = Path.GetFullPath(directory);
        var path = Path.GetFullPath(Path.Combine(root, name));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new CliException($"The file name '{name}' points outside '{directory}'.", ExitCodes.Failed);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.EndsWith('\n') ? text : text + "\n", Utf8);
        return path;
    }
}
