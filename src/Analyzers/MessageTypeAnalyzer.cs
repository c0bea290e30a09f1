using System.Collections.Immutable;
using System.Text;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Analyzers.Rules;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaTyped.Analyzers
{
    /// <summary>Checks <c>[KafkaMessage]</c> types: shape, field numbers, reserved numbers and names, types and keys.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MessageTypeAnalyzer : KafkaTypedAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.MessageMustBeClassOrRecord,
            DiagnosticDescriptors.ContainingTypeMustBePartial,
            DiagnosticDescriptors.MissingFieldNumber,
            DiagnosticDescriptors.DuplicateFieldNumber,
            DiagnosticDescriptors.FieldNumberOutOfRange,
            DiagnosticDescriptors.FieldNumberReserved,
            DiagnosticDescriptors.FieldNameReserved,
            DiagnosticDescriptors.UnsupportedFieldType,
            DiagnosticDescriptors.EnumWithoutZeroValue,
            DiagnosticDescriptors.MultipleKeys,
            DiagnosticDescriptors.UnsupportedKeyType,
            DiagnosticDescriptors.DuplicateFieldName,
            DiagnosticDescriptors.InvalidMessageName,
            DiagnosticDescriptors.InvalidPackage,
            DiagnosticDescriptors.MessageInheritance,
            DiagnosticDescriptors.FieldNotAssignable,
            DiagnosticDescriptors.EnumNotMappable,
            DiagnosticDescriptors.MessageNotGenerated);

        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
        {
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, known), SymbolKind.NamedType);
        }

        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (KnownSymbols.Find(type, known.KafkaMessageAttribute) is null)
            {
                return;
            }

            var cancellationToken = context.CancellationToken;
            var identifier = TypeDeclarations.IdentifierLocation(type, cancellationToken);
            var shapeProblem = ShapeProblem(type);
            if (shapeProblem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MessageMustBeClassOrRecord, identifier, type.Name, shapeProblem));
                return;
            }

            var reporter = new CountingReporter(context);
            // KT0001 is the generator's (CompilerMaskedRules): it is reported even when follow-on compiler errors stop analyzers.
            if (!TypeDeclarations.IsPartial(type, cancellationToken))
            {
                reporter.Explained();
            }

            ReportContainingTypes(context, type, identifier);
            AnalyzeNames(reporter, type, known, identifier);
            AnalyzeMembers(reporter, type, known);
            if (reporter.Count == 0 && !GeneratorVerdict.HasUnresolvedSymbols(type))
            {
                // The generator decides with its own parser; whatever it rejects that no rule above explained is reported here.
                var reasons = GeneratorVerdict.MessageReasons(type, cancellationToken);
                if (reasons.Count > 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MessageNotGenerated, identifier, type.Name, GeneratorVerdict.Describe(type, reasons)));
                }
            }
        }

        /// <summary>Reports the containing types of any KafkaTyped type that are not partial (shared with the other analyzers).</summary>
        internal static void ReportContainingTypes(SymbolAnalysisContext context, INamedTypeSymbol type, Location identifier)
        {
            for (var container = type.ContainingType; container is not null; container = container.ContainingType)
            {
                if (!TypeDeclarations.IsPartial(container, context.CancellationToken))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeMustBePartial, identifier, container.Name, type.Name));
                }
            }
        }

        private static void AnalyzeNames(CountingReporter context, INamedTypeSymbol type, KnownSymbols known, Location identifier)
        {
            if (type.BaseType is { SpecialType: not SpecialType.System_Object, TypeKind: not TypeKind.Error } baseType)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MessageInheritance, identifier, type.Name, Display(baseType)));
            }

            var name = ProtoIdentity.MessageProtoName(type);
            if (!ProtoNaming.IsIdentifier(name))
            {
                var attribute = KnownSymbols.Find(type, known.KafkaMessageAttribute)!;
                var location = TypeDeclarations.ArgumentLocation(attribute, context.CancellationToken, name: "Name");
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidMessageName, location == Location.None ? identifier : location, name));
            }

            var package = ProtoIdentity.PackageOf(type);
            if (!ProtoNaming.IsValidPackage(package))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidPackage, identifier, type.Name, package));
            }
        }

        private static string? ShapeProblem(INamedTypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Class)
            {
                return "it is a " + type.TypeKind.ToString().ToLowerInvariant();
            }

            if (type.ContainingType is not null)
            {
                return "it is nested in '" + type.ContainingType.Name + "'; declare it at namespace level";
            }

            if (!type.IsRecord)
            {
                return "it is a class; declare it as a 'partial record'";
            }

            if (type.IsStatic)
            {
                return "it is static";
            }

            if (type.IsAbstract)
            {
                return "it is abstract";
            }

            if (type.IsGenericType)
            {
                return "it is generic";
            }

            return null;
        }

        private static void AnalyzeMembers(CountingReporter context, INamedTypeSymbol type, KnownSymbols known)
        {
            var cancellationToken = context.CancellationToken;
            var members = MessageMembers.Collect(type, known, cancellationToken);
            var reservedNumbers = new HashSet<int>();
            var reservedNames = new HashSet<string>(System.StringComparer.Ordinal);
            MessageMembers.CollectReserved(type, known, reservedNumbers, reservedNames);

            var byNumber = new Dictionary<int, MessageMember>();
            var byProtoName = new Dictionary<string, MessageMember>(System.StringComparer.Ordinal);
            var unnumbered = new List<MessageMember>();
            MessageMember? firstKey = null;
            foreach (var member in members)
            {
                if (member.Field is null)
                {
                    unnumbered.Add(member);
                }
                else if (member.Number is int number)
                {
                    var numberLocation = TypeDeclarations.ArgumentLocation(member.Field, cancellationToken);
                    if (!FieldNumbers.IsValid(number))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FieldNumberOutOfRange, numberLocation, number, member.Name));
                    }
                    else if (byNumber.TryGetValue(number, out var first))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateFieldNumber, numberLocation, number, type.Name, first.Name));
                    }
                    else
                    {
                        byNumber.Add(number, member);
                        if (reservedNumbers.Contains(number))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FieldNumberReserved, numberLocation, number, member.Name, type.Name));
                        }
                    }
                }

                var protoName = ProtoNaming.ToSnakeCase(member.Name);
                if (byProtoName.TryGetValue(protoName, out var sameName))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateFieldName, member.Location, member.Name, type.Name, protoName, sameName.Name));
                }
                else
                {
                    byProtoName.Add(protoName, member);
                }

                if (reservedNames.Contains(protoName))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FieldNameReserved, member.Location, protoName, member.Name, type.Name));
                }

                AnalyzeType(context, type, member, known);
                if (member.Field is not null && !member.IsPositional && !IsAssignable(type, member.Property))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FieldNotAssignable, member.Location, member.Name, member.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n"));
                }

                if (member.Key is not null)
                {
                    if (firstKey is not null)
                    {
                        var keyLocation = member.Key.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? member.Location;
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultipleKeys, keyLocation, type.Name, firstKey.Name));
                    }
                    else
                    {
                        firstKey = member;
                        if (!KeyEncodingRules.HasKeyEncoding(member.Type))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedKeyType, member.Location, member.Name, Display(member.Type)));
                        }
                    }
                }
            }

            ReportUnnumbered(context, type, unnumbered, byNumber, reservedNumbers);
        }

        private static void AnalyzeType(CountingReporter context, INamedTypeSymbol owner, MessageMember member, KnownSymbols known)
        {
            var info = FieldTypeRules.Classify(member.Type, known);
            var problem = info.Problem ?? FieldTypeRules.EncodingProblem(member, info) ?? FieldTypeRules.SelfReferenceProblem(owner, member.Type, info);
            if ((problem is not null || info.EnumType is not null) && GeneratorAccepts(owner, member))
            {
                // The generator decides what maps; FieldTypeRules only explains its refusals (never a false positive).
                return;
            }

            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedFieldType, member.Location, member.Name, Display(member.Type), problem));
                return;
            }

            if (info.EnumType is { } mapped && FieldTypeRules.EnumProblem(mapped) is { } enumProblem)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EnumNotMappable, member.Location, mapped.Name, member.Name, enumProblem));
                return;
            }

            if (info.EnumType is { } enumType && !HasZero(enumType))
            {
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(DiagnosticProperties.EnumName, DocumentationCommentId.CreateDeclarationId(enumType))
                    .Add(DiagnosticProperties.ZeroMemberName, ZeroName(enumType));
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EnumWithoutZeroValue, member.Location, properties, enumType.Name, member.Name));
            }
        }

        /// <summary>True when the generator's parser maps the numbered member; unnumbered members are judged by the rules alone (KT0004 applies).</summary>
        private static bool GeneratorAccepts(INamedTypeSymbol owner, MessageMember member) =>
            member.Field is not null && GeneratorVerdict.AcceptsField(owner, member.Property, member.Field);

        /// <summary>A settable property, or an auto-property whose backing field the generated parser can write.</summary>
        private static bool IsAssignable(INamedTypeSymbol type, IPropertySymbol property)
        {
            // As the generator: a plain setter, or a backing field (an init accessor with a body has neither).
            if (property.SetMethod is { IsInitOnly: false })
            {
                return true;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasZero(INamedTypeSymbol enumType)
        {
            foreach (var member in enumType.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field && System.Convert.ToInt64(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static string ZeroName(INamedTypeSymbol enumType)
        {
            foreach (var candidate in new[] { "Unspecified", "Unknown", "None" })
            {
                if (enumType.GetMembers(candidate).IsEmpty)
                {
                    return candidate;
                }
            }

            var suffix = 0;
            while (!enumType.GetMembers("Unspecified" + suffix).IsEmpty)
            {
                suffix++;
            }

            return "Unspecified" + suffix;
        }

        /// <summary>
        /// Assigns the next free valid numbers, in declaration order, skipping used and reserved ones; the code fix
        /// applies exactly these numbers, so every diagnostic of the type carries the whole assignment.
        /// </summary>
        private static void ReportUnnumbered(CountingReporter context, INamedTypeSymbol type, List<MessageMember> unnumbered, Dictionary<int, MessageMember> byNumber, HashSet<int> reservedNumbers)
        {
            if (unnumbered.Count == 0)
            {
                return;
            }

            var taken = new HashSet<int>(reservedNumbers);
            var highest = 0;
            foreach (var number in byNumber.Keys)
            {
                taken.Add(number);
                if (number > highest)
                {
                    highest = number;
                }
            }

            // New numbers go after the highest used one, so an inserted member never takes a gap that was a removed field.
            var assigned = new int[unnumbered.Count];
            var all = new StringBuilder();
            var last = highest;
            for (var i = 0; i < unnumbered.Count; i++)
            {
                last = FieldNumberRules.NextFree(taken, last);
                assigned[i] = last;
                taken.Add(last);
                if (i > 0)
                {
                    all.Append(';');
                }

                all.Append(unnumbered[i].Name).Append('=').Append(last);
            }

            var allText = all.ToString();
            for (var i = 0; i < unnumbered.Count; i++)
            {
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(DiagnosticProperties.FieldNumber, assigned[i].ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Add(DiagnosticProperties.TypeFieldNumbers, allText);
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingFieldNumber, unnumbered[i].Location, properties, unnumbered[i].Name, type.Name));
            }
        }

        private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
    }
}
