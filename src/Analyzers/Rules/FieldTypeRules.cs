using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>The Protobuf shape of a supported member type.</summary>
    internal enum FieldShape
    {
        /// <summary>Unknown (an unresolved type): the compiler reports it, so no KafkaTyped diagnostic either.</summary>
        Unknown,
        Singular,
        Optional,
        Repeated,
        Map,
    }

    /// <summary>The verdict of <see cref="FieldTypeRules.Classify"/>.</summary>
    internal readonly struct FieldTypeInfo(FieldShape shape, ITypeSymbol? element, ITypeSymbol? mapKey, string? problem, INamedTypeSymbol? enumType)
    {
        public FieldShape Shape { get; } = shape;

        /// <summary>The scalar, enum or message type of the field (the map value for maps).</summary>
        public ITypeSymbol? Element { get; } = element;

        public ITypeSymbol? MapKey { get; } = mapKey;

        /// <summary>Why the type is unsupported and what to use instead; null when supported.</summary>
        public string? Problem { get; } = problem;

        /// <summary>The enum the field (or its elements or map values) uses, for the zero-value rule.</summary>
        public INamedTypeSymbol? EnumType { get; } = enumType;

        public bool IsSupported => Problem is null;

        public static FieldTypeInfo Unsupported(string problem) => new FieldTypeInfo(FieldShape.Unknown, null, null, problem, null);
    }

    /// <summary>
    /// Which C# member types map to Protobuf (issue 3, "Type mapping"; docs/types.md). The generator emits nothing for
    /// a message with any unsupported member, and KT0009 tells the user why.
    /// </summary>
    internal static class FieldTypeRules
    {
        public static FieldTypeInfo Classify(ITypeSymbol type, KnownSymbols known)
        {
            if (type.TypeKind == TypeKind.Error)
            {
                return new FieldTypeInfo(FieldShape.Unknown, null, null, null, null);
            }

            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1)
                {
                    return FieldTypeInfo.Unsupported("multi-dimensional arrays have no Protobuf form; use List<T> of a [KafkaMessage] record that holds the inner list");
                }

                if (array.ElementType.SpecialType == SpecialType.System_Byte)
                {
                    return new FieldTypeInfo(FieldShape.Singular, type, null, null, null);
                }

                return Repeated(array.ElementType, known);
            }

            if (type is INamedTypeSymbol named && named.IsGenericType)
            {
                var definition = named.OriginalDefinition;
                if (definition.SpecialType == SpecialType.System_Nullable_T)
                {
                    var inner = Scalar(named.TypeArguments[0], known);
                    return inner.IsSupported ? new FieldTypeInfo(FieldShape.Optional, inner.Element, null, null, inner.EnumType) : inner;
                }

                if (Is(definition, known.ReadOnlyMemory))
                {
                    return named.TypeArguments[0].SpecialType == SpecialType.System_Byte
                        ? new FieldTypeInfo(FieldShape.Singular, type, null, null, null)
                        : FieldTypeInfo.Unsupported("only ReadOnlyMemory<byte> is supported (as bytes); use List<T> for other elements");
                }

                if (Is(definition, known.List) || Is(definition, known.IReadOnlyList) || Is(definition, known.ImmutableArray))
                {
                    return Repeated(named.TypeArguments[0], known);
                }

                if (Is(definition, known.Dictionary) || Is(definition, known.IReadOnlyDictionary))
                {
                    return Map(named.TypeArguments[0], named.TypeArguments[1], known);
                }
            }

            return Scalar(type, known);
        }

        /// <summary>Zig-zag is for signed integers only (issue 3 type mapping).</summary>
        public static string? EncodingProblem(MessageMember member, FieldTypeInfo info)
        {
            if (member.Field is null || info.Element is null || TypeDeclarations.NamedArgument<int>(member.Field, "Encoding") != 1)
            {
                return null;
            }

            var special = info.Element.SpecialType;
            return special is SpecialType.System_UInt32 or SpecialType.System_UInt64
                ? "unsigned integers have no zig-zag encoding; use IntegerEncoding.Default or IntegerEncoding.Fixed"
                : null;
        }

        /// <summary>A message holding itself through a non-nullable field would be created without end when parsing.</summary>
        public static string? SelfReferenceProblem(INamedTypeSymbol owner, ITypeSymbol type, FieldTypeInfo info)
        {
            return info.Shape == FieldShape.Singular && type.NullableAnnotation != NullableAnnotation.Annotated &&
                SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, owner)
                    ? "a message that contains itself must use a nullable type ('" + owner.Name + "?')"
                    : null;
        }

        /// <summary>Protobuf enums are int32 and KafkaTyped maps each value to one name, so no aliases.</summary>
        public static string? EnumProblem(INamedTypeSymbol enumType)
        {
            switch (enumType.EnumUnderlyingType?.SpecialType)
            {
                case SpecialType.System_Int32:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                    break;
                case null:
                    return null;
                default:
                    return "its underlying type is wider than int";
            }

            var seen = new System.Collections.Generic.HashSet<long>();
            foreach (var member in enumType.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: not null } field &&
                    !seen.Add(System.Convert.ToInt64(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return "'" + field.Name + "' repeats the value " + field.ConstantValue + "; Protobuf values must be distinct";
                }
            }

            return null;
        }

        private static FieldTypeInfo Repeated(ITypeSymbol element, KnownSymbols known)
        {
            if (element.IsReferenceType && element.NullableAnnotation == NullableAnnotation.Annotated)
            {
                return FieldTypeInfo.Unsupported("collection elements cannot be nullable; use '" + element.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString() + "'");
            }

            var inner = Scalar(element, known);
            if (!inner.IsSupported)
            {
                return FieldTypeInfo.Unsupported("its element type " + inner.Problem);
            }

            return new FieldTypeInfo(FieldShape.Repeated, inner.Element, null, null, inner.EnumType);
        }

        private static FieldTypeInfo Map(ITypeSymbol key, ITypeSymbol value, KnownSymbols known)
        {
            switch (key.SpecialType)
            {
                case SpecialType.System_String:
                case SpecialType.System_Boolean:
                case SpecialType.System_Int32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt32:
                case SpecialType.System_UInt64:
                    break;
                default:
                    if (key.TypeKind != TypeKind.Error)
                    {
                        return FieldTypeInfo.Unsupported("Protobuf map keys must be string, bool, int, long, uint or ulong");
                    }

                    break;
            }

            if (value.IsReferenceType && value.NullableAnnotation == NullableAnnotation.Annotated)
            {
                return FieldTypeInfo.Unsupported("map values cannot be nullable; use '" + value.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString() + "'");
            }

            var inner = Scalar(value, known);
            if (!inner.IsSupported)
            {
                return FieldTypeInfo.Unsupported("its value type " + inner.Problem);
            }

            return new FieldTypeInfo(FieldShape.Map, inner.Element, key, null, inner.EnumType);
        }

        /// <summary>A non-collection type: a scalar, well-known type, enum or message. <c>byte[]</c> counts as a scalar (bytes).</summary>
        private static FieldTypeInfo Scalar(ITypeSymbol type, KnownSymbols known)
        {
            if (type.TypeKind == TypeKind.Error)
            {
                return new FieldTypeInfo(FieldShape.Unknown, null, null, null, null);
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                case SpecialType.System_Boolean:
                case SpecialType.System_Int32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt32:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                case SpecialType.System_Decimal:
                case SpecialType.System_DateTime:
                    return Singular(type);
                case SpecialType.System_Char:
                    return FieldTypeInfo.Unsupported("char has no Protobuf form; use string");
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                    return FieldTypeInfo.Unsupported("Protobuf has no 8- or 16-bit integers; use int (or byte[] for raw bytes)");
                case SpecialType.System_Object:
                    return FieldTypeInfo.Unsupported("object has no schema; use a [KafkaMessage] record or a concrete supported type");
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                    return FieldTypeInfo.Unsupported("native integers are platform-sized; use int or long");
            }

            if (type.TypeKind == TypeKind.Dynamic)
            {
                return FieldTypeInfo.Unsupported("dynamic has no schema; use a [KafkaMessage] record or a concrete supported type");
            }

            if (type.TypeKind == TypeKind.TypeParameter)
            {
                return FieldTypeInfo.Unsupported("a generic type parameter has no fixed schema; use a concrete type");
            }

            if (type is IArrayTypeSymbol array)
            {
                return array.Rank == 1 && array.ElementType.SpecialType == SpecialType.System_Byte
                    ? Singular(type)
                    : FieldTypeInfo.Unsupported("nested collections have no Protobuf form; wrap the inner collection in a [KafkaMessage] record");
            }

            if (type is not INamedTypeSymbol named)
            {
                return FieldTypeInfo.Unsupported("pointers and function pointers cannot be serialized");
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                return new FieldTypeInfo(FieldShape.Singular, type, null, null, named);
            }

            if (Is(named, known.Guid) || Is(named, known.DateTimeOffset) || Is(named, known.TimeSpan))
            {
                return Singular(type);
            }

            var definition = named.OriginalDefinition;
            if (Is(definition, known.ReadOnlyMemory) && named.TypeArguments[0].SpecialType == SpecialType.System_Byte)
            {
                return Singular(type);
            }

            if (definition.SpecialType == SpecialType.System_Nullable_T)
            {
                return FieldTypeInfo.Unsupported("nullable values are only supported as a field, not inside a collection");
            }

            if (known.IsMessage(named))
            {
                return Singular(type);
            }

            if (Is(named, known.DateOnly))
            {
                return FieldTypeInfo.Unsupported("DateOnly has no Protobuf form; use DateTime (google.protobuf.Timestamp)");
            }

            if (Is(named, known.TimeOnly))
            {
                return FieldTypeInfo.Unsupported("TimeOnly has no Protobuf form; use TimeSpan (google.protobuf.Duration)");
            }

            if (IsCollection(named, known))
            {
                return FieldTypeInfo.Unsupported(IsDictionary(named, known)
                    ? "only Dictionary<K,V> and IReadOnlyDictionary<K,V> map to Protobuf maps"
                    : "only List<T>, T[], IReadOnlyList<T> and ImmutableArray<T> map to repeated fields, and collections cannot nest");
            }

            return FieldTypeInfo.Unsupported("'" + named.Name + "' is not a [KafkaMessage] record; mark it [KafkaMessage] or use a supported type");
        }

        private static FieldTypeInfo Singular(ITypeSymbol type) => new FieldTypeInfo(FieldShape.Singular, type, null, null, null);

        private static bool IsCollection(INamedTypeSymbol type, KnownSymbols known)
        {
            if (type.SpecialType == SpecialType.System_String || known.IEnumerable is null)
            {
                return false;
            }

            if (Is(type, known.IEnumerable))
            {
                return true;
            }

            foreach (var iface in type.AllInterfaces)
            {
                if (Is(iface, known.IEnumerable))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsDictionary(INamedTypeSymbol type, KnownSymbols known)
        {
            if (Is(type.OriginalDefinition, known.IDictionary) || Is(type.OriginalDefinition, known.IReadOnlyDictionary))
            {
                return true;
            }

            foreach (var iface in type.AllInterfaces)
            {
                if (Is(iface.OriginalDefinition, known.IDictionary) || Is(iface.OriginalDefinition, known.IReadOnlyDictionary))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Is(ITypeSymbol type, INamedTypeSymbol? known) =>
            known is not null && SymbolEqualityComparer.Default.Equals(type, known);
    }
}
