using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>
    /// Parses a <c>[KafkaMessage]</c> record into its <see cref="MessageModel"/>: a model, or <see langword="null"/> plus the reasons.
    /// Shared by the generator (which emits nothing for null) and the analyzers (which report the reasons). Each attribute's
    /// own rules live in its parser under <c>Parsing/</c>; this one checks the record and the rules across its fields.
    /// </summary>
    public static class MessageModelParser
    {
        /// <summary>Static and instance members every generated message declares.</summary>
        public static readonly string[] GeneratedMemberNames =
        {
            "Parser", "Descriptor", "ProtoFile", "ProtoMessageIndex", "CreateParseTarget", "CalculateSize", "WriteTo", "MergeFrom",
            "_unknownFields", "__parser",
        };

        /// <summary>Builds the model of a <c>[KafkaMessage]</c> type, or returns null and fills <paramref name="errors"/>.</summary>
        public static MessageModel? Parse(INamedTypeSymbol type, CancellationToken cancellationToken, List<ModelError>? errors = null)
        {
            errors ??= new List<ModelError>();
            int errorCount = errors.Count;
            void Fail(string member, string reason) => errors.Add(new ModelError(member, reason));

            if (!type.IsRecord || type.TypeKind != TypeKind.Class)
            {
                Fail(type.Name, "a [KafkaMessage] must be a record class");
                return null;
            }

            if (!SymbolFacts.IsPartial(type, cancellationToken))
            {
                Fail(type.Name, "a [KafkaMessage] record must be partial");
            }

            if (type.ContainingType is not null || type.Arity != 0 || type.IsAbstract || type.IsStatic)
            {
                Fail(type.Name, "a [KafkaMessage] record must be a top-level, non-generic, non-abstract type");
            }

            if (type.BaseType is null || type.BaseType.SpecialType != SpecialType.System_Object)
            {
                Fail(type.Name, "a [KafkaMessage] record cannot derive from another record");
            }

            if (type.DeclaredAccessibility != Accessibility.Public && type.DeclaredAccessibility != Accessibility.Internal)
            {
                Fail(type.Name, "a [KafkaMessage] record must be public or internal");
            }

            if (errors.Count != errorCount)
            {
                return null;
            }

            // Members the generated partial declares; a user member with one of these names would collide.
            foreach (string reserved in GeneratedMemberNames)
            {
                if (type.GetMembers(reserved).Any(SymbolFacts.IsUserDeclared))
                {
                    Fail(reserved, $"'{reserved}' is generated on every message; rename the member");
                }
            }

            string protoName = ProtoIdentity.MessageProtoName(type);
            if (!ProtoNaming.IsIdentifier(protoName))
            {
                Fail(type.Name, $"'{protoName}' is not a valid Protobuf message name");
            }

            string package = ProtoIdentity.PackageOf(type);
            if (!ProtoNaming.IsValidPackage(package))
            {
                Fail(type.Name, $"'{package}' is not a valid Protobuf package; set [assembly: ProtoPackage(\"...\")]");
            }

            // Set membership decides the file: a member lives in its set's file, a value object in its own.
            INamedTypeSymbol? set = null;
            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (SymbolFacts.HasAttribute(iface, KnownNames.TopicAttribute))
                {
                    if (set is not null)
                    {
                        Fail(type.Name, "a message can belong to one message set only");
                    }

                    set = iface;
                }
            }

            string? setClass = null;
            if (set is not null)
            {
                if (!SymbolEqualityComparer.Default.Equals(set.ContainingAssembly, type.ContainingAssembly))
                {
                    Fail(type.Name, "a message set's interface must be declared in the same project as its messages");
                }
                else if (MessageSetParser.Parse(set, cancellationToken) is null)
                {
                    Fail(type.Name, $"its message set '{set.Name}' is invalid");
                }
                else if (ProtoIdentity.PackageOf(set) != package)
                {
                    Fail(type.Name, "a message must have the same Protobuf package as its message set");
                }

                setClass = MessageSetParser.SetClassFullName(set);
            }

            string fileName = ProtoIdentity.FileOf(type);
            var enums = new List<EnumModel>();
            var fields = new List<FieldModel>();
            var numbers = new HashSet<int>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            int keyIndex = -1;
            KeyKind keyKind = KeyKind.None;

            (EquatableArray<int> reservedNumbers, EquatableArray<string> reservedNames) = ReservedParser.Read(type);

            IMethodSymbol? primary = SymbolFacts.PrimaryConstructor(type, cancellationToken);
            var members = new List<(ISymbol Source, IPropertySymbol Property, AttributeData? Field, bool IsKey, bool Positional)>();
            if (primary is not null)
            {
                foreach (IParameterSymbol p in primary.Parameters)
                {
                    IPropertySymbol? prop = type.GetMembers(p.Name).OfType<IPropertySymbol>().FirstOrDefault(x => !x.IsStatic);
                    AttributeData? field = SymbolFacts.FindAttribute(p, KnownNames.FieldAttribute) ?? (prop is null ? null : SymbolFacts.FindAttribute(prop, KnownNames.FieldAttribute));
                    bool isKey = SymbolFacts.HasAttribute(p, KnownNames.KeyAttribute) || (prop is not null && SymbolFacts.HasAttribute(prop, KnownNames.KeyAttribute));
                    if (field is null)
                    {
                        // Data without a number (KT0004): generating anyway would leave it unset in the generated
                        // constructors, which warns inside generated code (CS8618 for a required member).
                        Fail(p.Name, "the member has no [Field(n)] number");
                        continue;
                    }

                    if (prop is null)
                    {
                        Fail(p.Name, "the parameter has no property");
                        continue;
                    }

                    members.Add((p, prop, field, isKey, true));
                }
            }

            var others = new List<(IPropertySymbol Property, AttributeData Field, string Path, int Position)>();
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: true } staticProp && SymbolFacts.FindAttribute(staticProp, KnownNames.FieldAttribute) is not null)
                {
                    // Skipping it silently would drop a field the author meant to send; the analyzers surface this (KT0019).
                    Fail(staticProp.Name, "[Field] is on a static property, which is not part of any message instance; remove [Field] or make it an instance property");
                    continue;
                }

                if (member is IPropertySymbol prop && !prop.IsStatic && !prop.IsImplicitlyDeclared
                    && (primary is null || !primary.Parameters.Any(p => p.Name == prop.Name)))
                {
                    AttributeData? field = SymbolFacts.FindAttribute(prop, KnownNames.FieldAttribute);
                    if (field is null)
                    {
                        if (SymbolFacts.HasAttribute(prop, KnownNames.KeyAttribute))
                        {
                            Fail(prop.Name, "[Key] needs [Field] on the same member");
                        }
                        else if (prop.SetMethod is not null && prop.DeclaredAccessibility == Accessibility.Public && !prop.IsIndexer && SymbolFacts.IsUserDeclared(prop))
                        {
                            // Settable public data without a number (KT0004), as the analyzers count members.
                            Fail(prop.Name, "the member has no [Field(n)] number");
                        }

                        continue;
                    }

                    SyntaxReference? syntax = prop.DeclaringSyntaxReferences.FirstOrDefault();
                    others.Add((prop, field, syntax?.SyntaxTree.FilePath ?? string.Empty, syntax?.Span.Start ?? 0));
                }
            }

            foreach (var o in others.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Position))
            {
                members.Add((o.Property, o.Property, o.Field, SymbolFacts.HasAttribute(o.Property, KnownNames.KeyAttribute), false));
            }

            foreach (var m in members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                FieldModel? model = FieldParser.Parse(type, m.Property, m.Field!, enums, Fail);
                if (model is null)
                {
                    continue;
                }

                if (!FieldNumbers.IsValid(model.Number))
                {
                    Fail(model.PropertyName, $"field number {model.Number} is outside 1..536870911 or in the reserved range 19000..19999");
                }
                else if (!numbers.Add(model.Number))
                {
                    Fail(model.PropertyName, $"field number {model.Number} is used twice");
                }
                else if (reservedNumbers.Contains(model.Number))
                {
                    Fail(model.PropertyName, $"field number {model.Number} is reserved");
                }

                if (!names.Add(model.ProtoName) || reservedNames.Contains(model.ProtoName))
                {
                    Fail(model.PropertyName, $"field name '{model.ProtoName}' is used twice or reserved");
                }

                foreach (string generated in new[] { model.PropertyName + "ProtoValue", "Has" + model.PropertyName, "Clear" + model.PropertyName, "Has" + model.PropertyName + "ProtoValue", "Clear" + model.PropertyName + "ProtoValue" })
                {
                    if (type.GetMembers(generated).Any(SymbolFacts.IsUserDeclared))
                    {
                        Fail(generated, $"'{generated}' may be generated for field '{model.PropertyName}'; rename the member");
                    }
                }

                if (m.IsKey)
                {
                    KeyKind kind = KeyParser.KeyKindOf(m.Property.Type);
                    if (keyIndex >= 0)
                    {
                        Fail(model.PropertyName, "a message has at most one [Key]");
                    }
                    else if (kind == KeyKind.None)
                    {
                        Fail(model.PropertyName, "a [Key] must be a string, int, long or Guid");
                    }
                    else
                    {
                        keyIndex = fields.Count;
                        keyKind = kind;
                    }
                }

                fields.Add(model);
            }

            if (errors.Count != errorCount)
            {
                return null;
            }

            bool hasParameterless = type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && !c.IsImplicitlyDeclared);
            var ctorArgs = new List<string>();
            var ctorTypes = new List<string>();
            if (primary is not null)
            {
                foreach (IParameterSymbol p in primary.Parameters)
                {
                    // Typed defaults: a bare 'default' could also bind to the record's copy constructor.
                    string parameterType = p.Type.ToDisplayString(SymbolFacts.TypeFormat);
                    FieldModel? f = fields.FirstOrDefault(x => x.PropertyName == p.Name);
                    string d = f is null ? "default" : FieldDefaults.DefaultExpression(f);
                    ctorArgs.Add(d == "default" || d == "null" ? $"default({parameterType})!" : d);
                    ctorTypes.Add(parameterType);
                }
            }

            bool userEquality = type.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => !m.IsImplicitlyDeclared && m.Parameters.Length == 1
                    && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), type))
                || type.GetMembers("GetHashCode").OfType<IMethodSymbol>().Any(m => !m.IsImplicitlyDeclared && m.Parameters.Length == 0);

            return new MessageModel(
                Namespace: SymbolFacts.NamespaceOf(type),
                TypeName: type.Name,
                FullTypeName: type.ToDisplayString(SymbolFacts.PlainTypeFormat),
                IsSealed: type.IsSealed,
                IsPublic: type.DeclaredAccessibility == Accessibility.Public,
                ProtoName: protoName,
                Package: package,
                FileName: fileName,
                SetClassFullName: setClass,
                Fields: new EquatableArray<FieldModel>(fields),
                Enums: new EquatableArray<EnumModel>(enums),
                ReservedNumbers: reservedNumbers,
                ReservedNames: reservedNames,
                KeyFieldIndex: keyIndex,
                KeyKind: keyKind,
                EmitParameterlessConstructor: !hasParameterless,
                PrimaryConstructorArguments: new EquatableArray<string>(ctorArgs),
                PrimaryConstructorTypes: new EquatableArray<string>(ctorTypes),
                IsPositional: primary is not null,
                EmitEquality: !userEquality);
        }
    }
}
