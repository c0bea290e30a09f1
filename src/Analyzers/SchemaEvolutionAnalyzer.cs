using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Analyzers.Rules;
using KafkaTyped.Analyzers.SchemaEvolution;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Analyzers
{
    /// <summary>
    /// Compares the messages against the committed schema baseline: the exported <c>.proto</c> files of the last
    /// release, passed as AdditionalFiles (KafkaTyped.props adds <c>$(KafkaTypedSchemaBaselineDir)/**/*.proto</c>).
    /// Field-level rules run per message (live in the IDE); set-level rules need every message and run at compilation end.
    /// Setting <c>KafkaTypedUpdateSchemaBaseline=true</c> turns the check off while the baseline is being rewritten.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SchemaEvolutionAnalyzer : KafkaTypedAnalyzer
    {
        /// <summary>AdditionalFiles metadata (made compiler-visible by KafkaTyped.props) that marks a baseline file.</summary>
        public const string BaselineMetadata = "build_metadata.AdditionalFiles.KafkaTypedSchemaBaseline";

        /// <summary>The MSBuild property that disables the check while updating the baseline.</summary>
        public const string UpdateProperty = "build_property.KafkaTypedUpdateSchemaBaseline";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.FieldTypeChanged,
            DiagnosticDescriptors.RemovedFieldNotReserved,
            DiagnosticDescriptors.FieldNumberOrNameReused,
            DiagnosticDescriptors.SetMemberRemoved,
            DiagnosticDescriptors.PackageChanged,
            DiagnosticDescriptors.MessageRenamed,
            DiagnosticDescriptors.BaselineUnreadable);

        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
        {
            if (IsUpdating(start.Options))
            {
                return;
            }

            var baseline = Baseline.Load(start.Options, start.CancellationToken);
            if (baseline is null)
            {
                return;
            }

            var current = new ConcurrentBag<CurrentMessage>();
            start.RegisterSymbolAction(symbolContext => AnalyzeMessage(symbolContext, known, baseline, current), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(endContext => AnalyzeSets(endContext, baseline, current));
        }

        private static bool IsUpdating(AnalyzerOptions options) =>
            options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(UpdateProperty, out var value) &&
            string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        private static void AnalyzeMessage(SymbolAnalysisContext context, KnownSymbols known, Baseline baseline, ConcurrentBag<CurrentMessage> current)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (KnownSymbols.Find(type, known.KafkaMessageAttribute) is null)
            {
                return;
            }

            var cancellationToken = context.CancellationToken;
            var identifier = TypeDeclarations.IdentifierLocation(type, cancellationToken);
            var package = ProtoIdentity.PackageOf(type);
            var name = ProtoIdentity.MessageProtoName(type);
            var fullName = package.Length == 0 ? name : package + "." + name;

            INamedTypeSymbol? set = null;
            foreach (var iface in type.AllInterfaces)
            {
                if (KnownSymbols.Find(iface, known.TopicAttribute) is not null)
                {
                    set = iface;
                    break;
                }
            }

            current.Add(new CurrentMessage(
                fullName,
                name,
                identifier,
                set?.Name,
                set is null ? null : TypeDeclarations.IdentifierLocation(set, cancellationToken)));

            var previous = baseline.Find(fullName, name, out var packageChanged);
            if (previous is null)
            {
                return;
            }

            if (packageChanged)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PackageChanged, identifier, name, previous.File.Package, package));
            }

            CompareFields(context, type, known, previous, identifier);
        }

        private static void CompareFields(SymbolAnalysisContext context, INamedTypeSymbol type, KnownSymbols known, BaselineMessage previous, Location identifier)
        {
            var members = MessageMembers.Collect(type, known, context.CancellationToken);
            var reservedNumbers = new HashSet<int>();
            var reservedNames = new HashSet<string>(StringComparer.Ordinal);
            MessageMembers.CollectReserved(type, known, reservedNumbers, reservedNames);

            var byNumber = new Dictionary<int, MessageMember>();
            foreach (var member in members)
            {
                if (member.Number is int number && !byNumber.ContainsKey(number))
                {
                    byNumber.Add(number, member);
                }
            }

            var shapes = CurrentProtoShape.Fields(type, context.CancellationToken);
            var baselineByName = new Dictionary<string, BaselineField>(StringComparer.Ordinal);
            foreach (var field in previous.Fields)
            {
                baselineByName[field.Name] = field;
                if (!byNumber.TryGetValue(field.Number, out var member))
                {
                    if (!reservedNumbers.Contains(field.Number))
                    {
                        var properties = ImmutableDictionary<string, string?>.Empty
                            .Add(DiagnosticProperties.RemovedNumber, field.Number.ToString(CultureInfo.InvariantCulture))
                            .Add(DiagnosticProperties.RemovedName, reservedNames.Contains(field.Name) ? null : field.Name);
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RemovedFieldNotReserved, identifier, properties, field.Number, field.Name, previous.Name));
                    }

                    continue;
                }

                if (shapes.TryGetValue(member.Name, out var model))
                {
                    var (currentType, label, currentIsEnum) = CurrentProtoShape.Of(model);
                    var problem = WireCompatibility.Incompatibility(field.Type, field.IsEnum, field.Label, currentType, currentIsEnum, label);
                    if (problem is not null)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FieldTypeChanged, member.Location, field.Number, member.Name, previous.Name, problem));
                    }
                }
            }

            foreach (var member in members)
            {
                var protoName = ProtoNaming.ToSnakeCase(member.Name);
                string? reuse = null;
                if (member.Number is int number && previous.IsReserved(number))
                {
                    reuse = "number " + number.ToString(CultureInfo.InvariantCulture) + ", which the baseline reserves";
                }
                else if (previous.ReservedNames.Contains(protoName))
                {
                    reuse = "the name '" + protoName + "', which the baseline reserves";
                }
                else if (baselineByName.TryGetValue(protoName, out var old) && member.Number is int current && current != old.Number)
                {
                    reuse = "the name '" + protoName + "', which was field " + old.Number.ToString(CultureInfo.InvariantCulture) + " in the baseline";
                }

                if (reuse is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FieldNumberOrNameReused, member.Location, member.Name, previous.Name, reuse));
                }
            }
        }

        private static void AnalyzeSets(CompilationAnalysisContext context, Baseline baseline, ConcurrentBag<CurrentMessage> collected)
        {
            // One ordered snapshot: enumerating a ConcurrentBag copies it each time, and the order must be deterministic.
            var current = collected.OrderBy(m => m.FullName, StringComparer.Ordinal).ToList();
            var setStems = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var message in current)
            {
                if (message.SetName is { } setName && !setStems.ContainsKey(setName))
                {
                    setStems.Add(setName, ProtoNaming.ToSnakeCase(ProtoNaming.SetBaseName(setName)));
                }
            }

            foreach (var (path, error) in baseline.Errors)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BaselineUnreadable, Location.None, path, error));
            }

            var byFullName = new Dictionary<string, CurrentMessage>(StringComparer.Ordinal);
            var bySimpleName = new Dictionary<string, List<CurrentMessage>>(StringComparer.Ordinal);
            foreach (var message in current)
            {
                byFullName[message.FullName] = message;
                if (!bySimpleName.TryGetValue(message.Name, out var list))
                {
                    bySimpleName[message.Name] = list = new List<CurrentMessage>();
                }

                list.Add(message);
            }

            foreach (var file in baseline.Files)
            {
                var matches = new CurrentMessage?[file.Messages.Count];
                var setVotes = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < file.Messages.Count; i++)
                {
                    var old = file.Messages[i];
                    matches[i] = byFullName.TryGetValue(old.FullName, out var exact) ? exact
                        : bySimpleName.TryGetValue(old.Name, out var candidates) && candidates.Count == 1 ? candidates[0]
                        : null;
                    if (matches[i]?.SetName is { } setName)
                    {
                        setVotes[setName] = setVotes.TryGetValue(setName, out var votes) ? votes + 1 : 1;
                    }
                }

                // The exported file of a set is named after it (IOrderEvents → order_events.proto); that decides first,
                // then the set most of the file's messages belong to now.
                var stem = System.IO.Path.GetFileNameWithoutExtension(file.Path);
                var set = setStems.Where(p => p.Value == stem).Select(p => p.Key).OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault()
                    ?? setVotes.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key).FirstOrDefault();
                var setLocation = set is null ? null : current.First(m => m.SetName == set).SetLocation;
                var removed = new List<BaselineMessage>();
                for (var i = 0; i < file.Messages.Count; i++)
                {
                    var old = file.Messages[i];
                    var match = matches[i];
                    if (match is null)
                    {
                        removed.Add(old);
                    }
                    else if (set is not null && match.SetName != set)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.SetMemberRemoved, setLocation ?? match.Location, old.FullName, file.Path, "is no longer a member of message set '" + set + "'"));
                    }
                }

                // New members of the set that the baseline does not know pair up with the vanished ones: renames.
                var known = new HashSet<CurrentMessage>(matches.Where(m => m is not null)!);
                var added = set is null
                    ? new List<CurrentMessage>()
                    : current.Where(m => m.SetName == set && !known.Contains(m) && !baseline.Contains(m.FullName))
                        .OrderBy(m => m.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(m => m.Location.SourceSpan.Start).ToList();
                for (var i = 0; i < removed.Count; i++)
                {
                    var old = removed[i];
                    if (i < added.Count)
                    {
                        var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.BaselineName, old.Name);
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MessageRenamed, added[i].Location, properties, added[i].Name, set, old.Name));
                    }
                    else
                    {
                        var location = setLocation ?? baseline.LocationOf(old);
                        var what = set is null ? "no longer exists" : "was removed from message set '" + set + "'";
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SetMemberRemoved, location, old.FullName, file.Path, what));
                    }
                }
            }
        }

        /// <summary><c>IOrderEvents</c> → <c>OrderEvents</c>, the base of the set's file name.</summary>
        private sealed class CurrentMessage(string fullName, string name, Location location, string? setName, Location? setLocation)
        {
            public string FullName { get; } = fullName;
            public string Name { get; } = name;
            public Location Location { get; } = location;
            public string? SetName { get; } = setName;
            public Location? SetLocation { get; } = setLocation;
        }

        /// <summary>The parsed baseline files of one compilation, indexed by message name.</summary>
        private sealed class Baseline
        {
            private readonly Dictionary<string, BaselineMessage> _byFullName = new Dictionary<string, BaselineMessage>(StringComparer.Ordinal);
            private readonly Dictionary<string, List<BaselineMessage>> _bySimpleName = new Dictionary<string, List<BaselineMessage>>(StringComparer.Ordinal);
            private readonly Dictionary<string, SourceText> _texts = new Dictionary<string, SourceText>(StringComparer.Ordinal);

            public List<BaselineFile> Files { get; } = new List<BaselineFile>();

            public List<(string Path, string Error)> Errors { get; } = new List<(string Path, string Error)>();

            public static Baseline? Load(AnalyzerOptions options, System.Threading.CancellationToken cancellationToken)
            {
                Baseline? baseline = null;
                foreach (var additional in options.AdditionalFiles)
                {
                    if (!additional.Path.EndsWith(".proto", StringComparison.OrdinalIgnoreCase) ||
                        (options.AnalyzerConfigOptionsProvider.GetOptions(additional).TryGetValue(BaselineMetadata, out var flag) &&
                         string.Equals(flag?.Trim(), "false", StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }

                    var text = additional.GetText(cancellationToken);
                    if (text is null)
                    {
                        continue;
                    }

                    baseline ??= new Baseline();
                    var file = BaselineProtoReader.Read(additional.Path, text.ToString(), out var error);
                    if (error is not null)
                    {
                        baseline.Errors.Add((additional.Path, error));
                        continue;
                    }

                    baseline.Add(file, text);
                }

                return baseline;
            }

            public bool Contains(string fullName) => _byFullName.ContainsKey(fullName);

            /// <summary>The baseline message by full name, else the only one with that simple name (its package changed).</summary>
            public BaselineMessage? Find(string fullName, string name, out bool packageChanged)
            {
                packageChanged = false;
                if (_byFullName.TryGetValue(fullName, out var exact))
                {
                    return exact;
                }

                if (_bySimpleName.TryGetValue(name, out var candidates) && candidates.Count == 1)
                {
                    packageChanged = true;
                    return candidates[0];
                }

                return null;
            }

            public Location LocationOf(BaselineMessage message) =>
                _texts.TryGetValue(message.File.Path, out var text) && message.Span.End <= text.Length
                    ? Location.Create(message.File.Path, message.Span, text.Lines.GetLinePositionSpan(message.Span))
                    : Location.None;

            private void Add(BaselineFile file, SourceText text)
            {
                Files.Add(file);
                _texts[file.Path] = text;
                foreach (var message in file.Messages)
                {
                    _byFullName[message.FullName] = message;
                    if (!_bySimpleName.TryGetValue(message.Name, out var list))
                    {
                        _bySimpleName[message.Name] = list = new List<BaselineMessage>();
                    }

                    list.Add(message);
                }
            }
        }
    }
}
