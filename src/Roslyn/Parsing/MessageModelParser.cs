using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>A reason a declaration yields no model; the analyzers turn these into diagnostics.</summary>
    public sealed record ModelError(string Member, string Reason);

    /// <summary>
    /// Pure functions from symbols to models: a model, or <see langword="null"/> plus the reasons. Shared by the generator
    /// (which emits nothing for null) and the analyzers (which report the reasons).
    /// </summary>
    public static class MessageModelParser
    {
        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat PlainTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

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

            if (!IsPartial(type, cancellationToken))
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
                if (type.GetMembers(reserved).Any(IsUserDeclared))
                {
                    Fail(reserved, $"'{reserved}' is generated on every message; rename the member");
                }
            }

            string protoName = MessageProtoName(type);
            if (!ProtoNaming.IsIdentifier(protoName))
            {
                Fail(type.Name, $"'{protoName}' is not a valid Protobuf message name");
            }

            string package = PackageOf(type);
            if (!ProtoNaming.IsValidPackage(package))
            {
                Fail(type.Name, $"'{package}' is not a valid Protobuf package; set [assembly: ProtoPackage(\"...\")]");
            }

            // Set membership decides the file: a member lives in its set's file, a value object in its own.
            INamedTypeSymbol? set = null;
            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (HasAttribute(iface, KnownNames.TopicAttribute))
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
                else if (ParseSet(set, cancellationToken) is null)
                {
                    Fail(type.Name, $"its message set '{set.Name}' is invalid");
                }
                else if (PackageOf(set) != package)
                {
                    Fail(type.Name, "a message must have the same Protobuf package as its message set");
                }

                setClass = SetClassFullName(set);
            }

            string fileName = FileOf(type);
            var enums = new List<EnumModel>();
            var fields = new List<FieldModel>();
            var numbers = new HashSet<int>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            int keyIndex = -1;
            KeyKind keyKind = KeyKind.None;

            (EquatableArray<int> reservedNumbers, EquatableArray<string> reservedNames) = ReadReserved(type);

            IMethodSymbol? primary = PrimaryConstructor(type, cancellationToken);
            var members = new List<(ISymbol Source, IPropertySymbol Property, AttributeData? Field, bool IsKey, bool Positional)>();
            if (primary is not null)
            {
                foreach (IParameterSymbol p in primary.Parameters)
                {
                    IPropertySymbol? prop = type.GetMembers(p.Name).OfType<IPropertySymbol>().FirstOrDefault(x => !x.IsStatic);
                    AttributeData? field = FindAttribute(p, KnownNames.FieldAttribute) ?? (prop is null ? null : FindAttribute(prop, KnownNames.FieldAttribute));
                    bool isKey = HasAttribute(p, KnownNames.KeyAttribute) || (prop is not null && HasAttribute(prop, KnownNames.KeyAttribute));
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
                if (member is IPropertySymbol { IsStatic: true } staticProp && FindAttribute(staticProp, KnownNames.FieldAttribute) is not null)
                {
                    // Skipping it silently would drop a field the author meant to send; the analyzers surface this (KT0019).
                    Fail(staticProp.Name, "[Field] is on a static property, which is not part of any message instance; remove [Field] or make it an instance property");
                    continue;
                }

                if (member is IPropertySymbol prop && !prop.IsStatic && !prop.IsImplicitlyDeclared
                    && (primary is null || !primary.Parameters.Any(p => p.Name == prop.Name)))
                {
                    AttributeData? field = FindAttribute(prop, KnownNames.FieldAttribute);
                    if (field is null)
                    {
                        if (HasAttribute(prop, KnownNames.KeyAttribute))
                        {
                            Fail(prop.Name, "[Key] needs [Field] on the same member");
                        }
                        else if (prop.SetMethod is not null && prop.DeclaredAccessibility == Accessibility.Public && !prop.IsIndexer && IsUserDeclared(prop))
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
                members.Add((o.Property, o.Property, o.Field, HasAttribute(o.Property, KnownNames.KeyAttribute), false));
            }

            foreach (var m in members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                FieldModel? model = ParseField(type, m.Property, m.Field!, enums, Fail);
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
                    if (type.GetMembers(generated).Any(IsUserDeclared))
                    {
                        Fail(generated, $"'{generated}' may be generated for field '{model.PropertyName}'; rename the member");
                    }
                }

                if (m.IsKey)
                {
                    KeyKind kind = KeyKindOf(m.Property.Type);
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
                    string parameterType = p.Type.ToDisplayString(TypeFormat);
                    FieldModel? f = fields.FirstOrDefault(x => x.PropertyName == p.Name);
                    string d = f is null ? "default" : DefaultExpression(f);
                    ctorArgs.Add(d == "default" || d == "null" ? $"default({parameterType})!" : d);
                    ctorTypes.Add(parameterType);
                }
            }

            bool userEquality = type.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => !m.IsImplicitlyDeclared && m.Parameters.Length == 1
                    && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), type))
                || type.GetMembers("GetHashCode").OfType<IMethodSymbol>().Any(m => !m.IsImplicitlyDeclared && m.Parameters.Length == 0);

            return new MessageModel(
                Namespace: type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
                TypeName: type.Name,
                FullTypeName: type.ToDisplayString(PlainTypeFormat),
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

        /// <summary>Builds the model of a <c>[Topic]</c> interface, or returns null and fills <paramref name="errors"/>.</summary>
        public static SetModel? ParseSet(INamedTypeSymbol iface, CancellationToken cancellationToken, List<ModelError>? errors = null)
        {
            errors ??= new List<ModelError>();
            if (iface.TypeKind != TypeKind.Interface || iface.ContainingType is not null || iface.Arity != 0)
            {
                errors.Add(new ModelError(iface.Name, "a [Topic] must be a top-level, non-generic interface"));
                return null;
            }

            if (!IsPartial(iface, cancellationToken))
            {
                errors.Add(new ModelError(iface.Name, "a [Topic] interface must be partial"));
                return null;
            }

            AttributeData? topic = FindAttribute(iface, KnownNames.TopicAttribute);
            string? name = topic?.ConstructorArguments.Length == 1 ? topic.ConstructorArguments[0].Value as string : null;
            if (name is null || !IsValidTopic(name))
            {
                errors.Add(new ModelError(iface.Name, "the topic name must be 1 to 249 characters of [a-zA-Z0-9._-], not '.' or '..'"));
                return null;
            }

            int partitions = 6;
            short replication = -1;
            foreach (KeyValuePair<string, TypedConstant> arg in topic!.NamedArguments)
            {
                if (arg.Key == "Partitions" && arg.Value.Value is int p)
                {
                    partitions = p;
                }
                else if (arg.Key == "ReplicationFactor" && arg.Value.Value is short r)
                {
                    replication = r;
                }
            }

            if (partitions < 1)
            {
                errors.Add(new ModelError(iface.Name, "Partitions must be at least 1"));
                return null;
            }

            string package = PackageOf(iface);
            if (!ProtoNaming.IsValidPackage(package))
            {
                errors.Add(new ModelError(iface.Name, $"'{package}' is not a valid Protobuf package"));
                return null;
            }

            string ns = iface.ContainingNamespace.IsGlobalNamespace ? string.Empty : iface.ContainingNamespace.ToDisplayString();
            string className = ProtoNaming.SetBaseName(iface.Name) + "Set";
            return new SetModel(
                Namespace: ns,
                InterfaceFullName: iface.ToDisplayString(PlainTypeFormat),
                ClassName: className,
                FullClassName: SetClassFullName(iface),
                IsPublic: iface.DeclaredAccessibility == Accessibility.Public,
                Topic: name,
                Partitions: partitions,
                ReplicationFactor: replication,
                Package: package,
                FileName: FileOf(iface));
        }

        /// <summary>The generated set class of a <c>[Topic]</c> interface: <c>IOrderEvents</c> → <c>OrderEventsSet</c>.</summary>
        public static string SetClassFullName(INamedTypeSymbol iface)
        {
            string ns = iface.ContainingNamespace.IsGlobalNamespace ? string.Empty : iface.ContainingNamespace.ToDisplayString() + ".";
            return "global::" + ns + ProtoNaming.SetBaseName(iface.Name) + "Set";
        }

        /// <summary>The Protobuf package of a type: the assembly's <c>[ProtoPackage]</c>, else its namespace in lower case.</summary>
        public static string PackageOf(INamedTypeSymbol type)
        {
            foreach (AttributeData a in type.ContainingAssembly.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() == KnownNames.ProtoPackageAttribute
                    && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string p)
                {
                    return p;
                }
            }

            return type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString().ToLowerInvariant();
        }

        /// <summary>The <c>.proto</c> file a message (its set's file, or its own) or a set interface lives in.</summary>
        public static string FileOf(INamedTypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Interface)
            {
                return ProtoNaming.FileName(PackageOf(type), ProtoNaming.ToSnakeCase(ProtoNaming.SetBaseName(type.Name)));
            }

            foreach (INamedTypeSymbol iface in type.AllInterfaces)
            {
                if (HasAttribute(iface, KnownNames.TopicAttribute))
                {
                    return FileOf(iface);
                }
            }

            return ProtoNaming.FileName(PackageOf(type), ProtoNaming.ToSnakeCase(MessageProtoName(type)));
        }

        public static string MessageProtoName(INamedTypeSymbol type)
        {
            AttributeData? a = FindAttribute(type, KnownNames.KafkaMessageAttribute);
            if (a is not null)
            {
                foreach (KeyValuePair<string, TypedConstant> arg in a.NamedArguments)
                {
                    if (arg.Key == "Name" && arg.Value.Value is string name && name.Length > 0)
                    {
                        return name;
                    }
                }
            }

            return type.Name;
        }

        /// <summary>
        /// The generator's verdict on one <c>[Field]</c> member on its own (type mapping, encoding, enum and accessor
        /// rules); empty when the member maps. Rules across members (numbers, names, keys) are checked by <see cref="Parse"/>.
        /// </summary>
        public static List<ModelError> CheckField(INamedTypeSymbol owner, IPropertySymbol property, AttributeData field)
        {
            var errors = new List<ModelError>();
            ParseField(owner, property, field, new List<EnumModel>(), (member, reason) => errors.Add(new ModelError(member, reason)));
            return errors;
        }

        private static FieldModel? ParseField(INamedTypeSymbol owner, IPropertySymbol prop, AttributeData field, List<EnumModel> enums, Action<string, string> fail)
        {
            if (field.ConstructorArguments.Length != 1 || field.ConstructorArguments[0].Value is not int number)
            {
                fail(prop.Name, "[Field] needs a field number");
                return null;
            }

            int encoding = 0;
            foreach (KeyValuePair<string, TypedConstant> arg in field.NamedArguments)
            {
                if (arg.Key == "Encoding" && arg.Value.Value is int e)
                {
                    encoding = e;
                }
            }

            if (prop.GetMethod is null || prop.Parameters.Length != 0)
            {
                fail(prop.Name, "a field must be a readable property");
                return null;
            }

            AccessKind access;
            string? backing = null;
            if (prop.SetMethod is { IsInitOnly: false })
            {
                access = AccessKind.Setter;
            }
            else
            {
                IFieldSymbol? f = owner.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(x => SymbolEqualityComparer.Default.Equals(x.AssociatedSymbol, prop));
                if (f is null)
                {
                    fail(prop.Name, "a field must be an auto-property or have a set accessor, so parsing can assign it");
                    return null;
                }

                access = AccessKind.BackingField;
                backing = f.Name;
            }

            bool publicWriter = prop.DeclaredAccessibility == Accessibility.Public && prop.GetMethod.DeclaredAccessibility == Accessibility.Public
                && prop.SetMethod is { DeclaredAccessibility: Accessibility.Public };

            ITypeSymbol type = prop.Type;
            string protoName = ProtoNaming.ToSnakeCase(prop.Name);
            string propertyType = type.ToDisplayString(TypeFormat);

            // Nullable value type: proto3 optional (explicit presence).
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                ValueModel? inner = ResolveValue(owner, nullable.TypeArguments[0], encoding, enums, prop.Name, fail);
                return inner is null ? null : new FieldModel(prop.Name, protoName, number, FieldLabel.Optional, CollectionKind.None, propertyType, inner, null, access, backing, true, publicWriter);
            }

            CollectionKind collection = CollectionOf(type, out ITypeSymbol? element, out ITypeSymbol? keyType);
            if (collection == CollectionKind.Dictionary || collection == CollectionKind.ReadOnlyDictionary)
            {
                ValueModel? key = ResolveValue(owner, keyType!, 0, enums, prop.Name, fail);
                ValueModel? value = ResolveValue(owner, element!, encoding, enums, prop.Name, fail);
                if (key is null || value is null)
                {
                    return null;
                }

                if (key.ClrKind != ClrKind.Native || key.ProtoType is ProtoType.Enum or ProtoType.Float or ProtoType.Double)
                {
                    fail(prop.Name, "a map key must be a string, bool or integer");
                    return null;
                }

                if (IsNullableElement(element!))
                {
                    fail(prop.Name, "map values cannot be nullable");
                    return null;
                }

                return new FieldModel(prop.Name, protoName, number, FieldLabel.Map, collection, propertyType, value, key, access, backing, false, publicWriter);
            }

            if (collection != CollectionKind.None)
            {
                if (IsNullableElement(element!) || CollectionOf(element!, out _, out _) != CollectionKind.None)
                {
                    fail(prop.Name, "repeated elements cannot be nullable or collections");
                    return null;
                }

                ValueModel? value = ResolveValue(owner, element!, encoding, enums, prop.Name, fail);
                return value is null ? null : new FieldModel(prop.Name, protoName, number, FieldLabel.Repeated, collection, propertyType, value, null, access, backing, false, publicWriter);
            }

            ValueModel? single = ResolveValue(owner, type, encoding, enums, prop.Name, fail);
            if (single is null)
            {
                return null;
            }

            bool presence = type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated;
            if (!presence && single.ClrKind == ClrKind.Message && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, owner))
            {
                fail(prop.Name, "a message that contains itself must use a nullable type");
                return null;
            }

            return new FieldModel(prop.Name, protoName, number, presence ? FieldLabel.Optional : FieldLabel.Singular, CollectionKind.None, propertyType, single, null, access, backing, false, publicWriter);
        }

        private static bool IsNullableElement(ITypeSymbol t) =>
            t is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }
            || (t.IsReferenceType && t.NullableAnnotation == NullableAnnotation.Annotated);

        private static CollectionKind CollectionOf(ITypeSymbol type, out ITypeSymbol? element, out ITypeSymbol? key)
        {
            element = null;
            key = null;
            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1 || array.ElementType.SpecialType == SpecialType.System_Byte)
                {
                    return CollectionKind.None;
                }

                element = array.ElementType;
                return CollectionKind.Array;
            }

            if (type is not INamedTypeSymbol { IsGenericType: true } named)
            {
                return CollectionKind.None;
            }

            string def = named.OriginalDefinition.ToDisplayString();
            switch (def)
            {
                case "System.Collections.Generic.List<T>":
                    element = named.TypeArguments[0];
                    return CollectionKind.List;
                case "System.Collections.Generic.IReadOnlyList<T>":
                    element = named.TypeArguments[0];
                    return CollectionKind.ReadOnlyList;
                case "System.Collections.Immutable.ImmutableArray<T>":
                    element = named.TypeArguments[0];
                    return CollectionKind.ImmutableArray;
                case "System.Collections.Generic.Dictionary<TKey, TValue>":
                    key = named.TypeArguments[0];
                    element = named.TypeArguments[1];
                    return CollectionKind.Dictionary;
                case "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                    key = named.TypeArguments[0];
                    element = named.TypeArguments[1];
                    return CollectionKind.ReadOnlyDictionary;
                default:
                    return CollectionKind.None;
            }
        }

        private static ValueModel? ResolveValue(INamedTypeSymbol owner, ITypeSymbol type, int encoding, List<EnumModel> enums, string member, Action<string, string> fail)
        {
            string clr = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(PlainTypeFormat);
            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                    return Native(ProtoType.String, clr);
                case SpecialType.System_Boolean:
                    return Native(ProtoType.Bool, clr);
                case SpecialType.System_Int32:
                    return Native(encoding == 1 ? ProtoType.SInt32 : encoding == 2 ? ProtoType.SFixed32 : ProtoType.Int32, clr);
                case SpecialType.System_Int64:
                    return Native(encoding == 1 ? ProtoType.SInt64 : encoding == 2 ? ProtoType.SFixed64 : ProtoType.Int64, clr);
                case SpecialType.System_UInt32:
                    if (encoding == 1)
                    {
                        fail(member, "unsigned integers have no zig-zag encoding; use Default or Fixed");
                        return null;
                    }

                    return Native(encoding == 2 ? ProtoType.Fixed32 : ProtoType.UInt32, clr);
                case SpecialType.System_UInt64:
                    if (encoding == 1)
                    {
                        fail(member, "unsigned integers have no zig-zag encoding; use Default or Fixed");
                        return null;
                    }

                    return Native(encoding == 2 ? ProtoType.Fixed64 : ProtoType.UInt64, clr);
                case SpecialType.System_Single:
                    return Native(ProtoType.Float, clr);
                case SpecialType.System_Double:
                    return Native(ProtoType.Double, clr);
                case SpecialType.System_Decimal:
                    return new ValueModel(ProtoType.String, ClrKind.Decimal, clr, null, "string", null, null, null);
                case SpecialType.System_DateTime:
                    return Timestamp(ClrKind.DateTime, clr);
            }

            if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
            {
                return new ValueModel(ProtoType.Bytes, ClrKind.ByteArray, "byte[]", null, "bytes", null, null, null);
            }

            if (type is INamedTypeSymbol named)
            {
                string def = named.OriginalDefinition.ToDisplayString();
                if (def == "System.ReadOnlyMemory<T>" && named.TypeArguments[0].SpecialType == SpecialType.System_Byte)
                {
                    return new ValueModel(ProtoType.Bytes, ClrKind.ReadOnlyMemory, clr, null, "bytes", null, null, null);
                }

                switch (def)
                {
                    case "System.DateTimeOffset":
                        return Timestamp(ClrKind.DateTimeOffset, clr);
                    case "System.TimeSpan":
                        return new ValueModel(ProtoType.Message, ClrKind.TimeSpan, clr, ".google.protobuf.Duration", "google.protobuf.Duration", "google/protobuf/duration.proto",
                            "global::Google.Protobuf.WellKnownTypes.DurationReflection.Descriptor", "global::KafkaTyped.Protobuf.WellKnownProtoFiles.Duration");
                    case "System.Guid":
                        return new ValueModel(ProtoType.Bytes, ClrKind.Guid, clr, null, "bytes", null, null, null);
                }

                if (named.TypeKind == TypeKind.Enum)
                {
                    return ResolveEnum(owner, named, clr, enums, member, fail);
                }

                if (named.TypeKind == TypeKind.Class && named.IsRecord && HasAttribute(named, KnownNames.KafkaMessageAttribute))
                {
                    string package = PackageOf(named);
                    string name = MessageProtoName(named);
                    string full = package.Length == 0 ? name : package + "." + name;
                    string text = package == PackageOf(owner) ? name : "." + full;
                    string file = FileOf(named);
                    return new ValueModel(ProtoType.Message, ClrKind.Message, clr, "." + full, text,
                        file, clr + ".Descriptor.File", clr + ".ProtoFile");
                }
            }

            fail(member, $"type '{type.ToDisplayString()}' has no Protobuf mapping (see docs/types.md)");
            return null;
        }

        private static ValueModel? ResolveEnum(INamedTypeSymbol owner, INamedTypeSymbol type, string clr, List<EnumModel> enums, string member, Action<string, string> fail)
        {
            string protoName = type.Name;
            string fullName = (PackageOf(owner).Length == 0 ? string.Empty : PackageOf(owner) + ".") + MessageProtoName(owner) + "." + protoName;
            EnumModel? existing = enums.FirstOrDefault(e => e.ProtoName == protoName);
            if (existing is not null)
            {
                if (existing.ClrType != clr)
                {
                    fail(member, $"two enums named '{protoName}' are used by one message");
                    return null;
                }
            }
            else
            {
                switch (type.EnumUnderlyingType?.SpecialType)
                {
                    case SpecialType.System_Int32:
                    case SpecialType.System_Int16:
                    case SpecialType.System_UInt16:
                    case SpecialType.System_Byte:
                    case SpecialType.System_SByte:
                        break;
                    default:
                        fail(member, $"enum '{type.Name}' must have an int-sized underlying type");
                        return null;
                }

                string prefix = ProtoNaming.ToUpperSnakeCase(type.Name) + "_";
                var values = new List<EnumValueModel>();
                var seen = new HashSet<int>();
                foreach (IFieldSymbol f in type.GetMembers().OfType<IFieldSymbol>())
                {
                    if (!f.HasConstantValue || f.ConstantValue is null)
                    {
                        continue;
                    }

                    int n = Convert.ToInt32(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture);
                    if (!seen.Add(n))
                    {
                        fail(member, $"enum '{type.Name}' has two members with the value {n}; Protobuf enums need distinct values");
                        return null;
                    }

                    values.Add(new EnumValueModel(f.Name, prefix + ProtoNaming.ToUpperSnakeCase(f.Name), n));
                }

                if (!seen.Contains(0))
                {
                    fail(member, $"enum '{type.Name}' needs a member with the value 0 (the Protobuf default)");
                    return null;
                }

                // proto3 requires the zero value first; the rest keep declaration order.
                enums.Add(new EnumModel(clr, protoName, new EquatableArray<EnumValueModel>(StableZeroFirst(values))));
            }

            return new ValueModel(ProtoType.Enum, ClrKind.Native, clr, "." + fullName, protoName, null, null, null);
        }

        private static EnumValueModel[] StableZeroFirst(List<EnumValueModel> values)
        {
            var result = new List<EnumValueModel>(values.Count);
            result.AddRange(values.Where(v => v.Number == 0));
            result.AddRange(values.Where(v => v.Number != 0));
            return result.ToArray();
        }

        private static ValueModel Native(ProtoType t, string clr) => new ValueModel(t, ClrKind.Native, clr, null, TextName(t), null, null, null);

        private static ValueModel Timestamp(ClrKind kind, string clr) =>
            new ValueModel(ProtoType.Message, kind, clr, ".google.protobuf.Timestamp", "google.protobuf.Timestamp", "google/protobuf/timestamp.proto",
                "global::Google.Protobuf.WellKnownTypes.TimestampReflection.Descriptor", "global::KafkaTyped.Protobuf.WellKnownProtoFiles.Timestamp");

        public static string TextName(ProtoType t) => t switch
        {
            ProtoType.Double => "double",
            ProtoType.Float => "float",
            ProtoType.Int64 => "int64",
            ProtoType.UInt64 => "uint64",
            ProtoType.Int32 => "int32",
            ProtoType.Fixed64 => "fixed64",
            ProtoType.Fixed32 => "fixed32",
            ProtoType.Bool => "bool",
            ProtoType.String => "string",
            ProtoType.Bytes => "bytes",
            ProtoType.UInt32 => "uint32",
            ProtoType.SFixed32 => "sfixed32",
            ProtoType.SFixed64 => "sfixed64",
            ProtoType.SInt32 => "sint32",
            ProtoType.SInt64 => "sint64",
            _ => string.Empty,
        };

        /// <summary>The key encoding of a <c>[Key]</c> type (string, int, long, Guid), or <see cref="KeyKind.None"/>.</summary>
        public static KeyKind KeyKindOf(ITypeSymbol t)
        {
            switch (t.SpecialType)
            {
                case SpecialType.System_String:
                    return KeyKind.String;
                case SpecialType.System_Int32:
                    return KeyKind.Int32;
                case SpecialType.System_Int64:
                    return KeyKind.Int64;
            }

            return t.ToDisplayString() == "System.Guid" ? KeyKind.Guid : KeyKind.None;
        }

        /// <summary>The default a positional constructor receives for a field: proto3 defaults, never null for non-nullable types.</summary>
        public static string DefaultExpression(FieldModel f)
        {
            if (f.Label == FieldLabel.Optional)
            {
                return "null";
            }

            string e = f.Value.ClrType;
            switch (f.Collection)
            {
                case CollectionKind.List:
                    return $"new global::System.Collections.Generic.List<{e}>()";
                case CollectionKind.Array:
                case CollectionKind.ReadOnlyList:
                    return $"global::System.Array.Empty<{e}>()";
                case CollectionKind.ImmutableArray:
                    return $"global::System.Collections.Immutable.ImmutableArray<{e}>.Empty";
                case CollectionKind.Dictionary:
                case CollectionKind.ReadOnlyDictionary:
                    return $"new global::System.Collections.Generic.Dictionary<{f.Key!.ClrType}, {e}>()";
            }

            switch (f.Value.ClrKind)
            {
                case ClrKind.ByteArray:
                    return "global::System.Array.Empty<byte>()";
                case ClrKind.Message:
                    return $"new {e}()";
            }

            return f.Value.ProtoType == ProtoType.String && f.Value.ClrKind == ClrKind.Native ? "\"\"" : "default";
        }

        private static (EquatableArray<int>, EquatableArray<string>) ReadReserved(INamedTypeSymbol type)
        {
            var numbers = new List<int>();
            var names = new List<string>();
            foreach (AttributeData a in type.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() != KnownNames.ReservedAttribute || a.ConstructorArguments.Length != 1)
                {
                    continue;
                }

                TypedConstant arg = a.ConstructorArguments[0];
                IEnumerable<TypedConstant> items = arg.Kind == TypedConstantKind.Array ? arg.Values : ImmutableArray.Create(arg);
                foreach (TypedConstant v in items)
                {
                    if (v.Value is int n)
                    {
                        numbers.Add(n);
                    }
                    else if (v.Value is string s)
                    {
                        names.Add(s);
                    }
                }
            }

            return (new EquatableArray<int>(numbers), new EquatableArray<string>(names));
        }

        private static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (IMethodSymbol ctor in type.InstanceConstructors)
            {
                foreach (SyntaxReference r in ctor.DeclaringSyntaxReferences)
                {
                    if (r.GetSyntax(cancellationToken) is RecordDeclarationSyntax)
                    {
                        return ctor;
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// Written by the user: not compiler-synthesized, and not only in generated <c>.g.cs</c> files. The analyzers run
        /// this parser on a compilation that already holds the generator's output, whose members must not count as clashes.
        /// </summary>
        public static bool IsUserDeclared(ISymbol member) =>
            !member.IsImplicitlyDeclared
            && member.DeclaringSyntaxReferences.Any(r => !r.SyntaxTree.FilePath.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase));

        /// <summary>True when the type has source declarations and every one carries <c>partial</c>.</summary>
        public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (SyntaxReference r in type.DeclaringSyntaxReferences)
            {
                if (r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && !t.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }

            return type.DeclaringSyntaxReferences.Length > 0;
        }

        /// <summary>Kafka's topic-name rule: 1 to 249 characters of [a-zA-Z0-9._-], not '.' or '..'.</summary>
        public static bool IsValidTopic(string name)
        {
            if (name.Length == 0 || name.Length > 249 || name == "." || name == "..")
            {
                return false;
            }

            foreach (char c in name)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }

        private static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
        {
            foreach (AttributeData a in symbol.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() == metadataName)
                {
                    return a;
                }
            }

            return null;
        }

        private static bool HasAttribute(ISymbol symbol, string metadataName) => FindAttribute(symbol, metadataName) is not null;
    }
}
