using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Parses one <c>[Field]</c> member: accessor, label (singular, optional, repeated, map) and collection shape.</summary>
    public static class FieldParser
    {
        /// <summary>
        /// The generator's verdict on one <c>[Field]</c> member on its own (type mapping, encoding, enum and accessor
        /// rules); empty when the member maps. Rules across members (numbers, names, keys) are checked by <see cref="MessageModelParser.Parse"/>.
        /// </summary>
        public static List<ModelError> CheckField(INamedTypeSymbol owner, IPropertySymbol property, AttributeData field)
        {
            var errors = new List<ModelError>();
            Parse(owner, property, field, new List<EnumModel>(), (member, reason) => errors.Add(new ModelError(member, reason)));
            return errors;
        }

        internal static FieldModel? Parse(INamedTypeSymbol owner, IPropertySymbol prop, AttributeData field, List<EnumModel> enums, Action<string, string> fail)
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
            string propertyType = type.ToDisplayString(SymbolFacts.TypeFormat);

            // Nullable value type: proto3 optional (explicit presence).
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                ValueModel? inner = ValueParser.Resolve(owner, nullable.TypeArguments[0], encoding, enums, prop.Name, fail);
                return inner is null ? null : new FieldModel(prop.Name, protoName, number, FieldLabel.Optional, CollectionKind.None, propertyType, inner, null, access, backing, true, publicWriter);
            }

            CollectionKind collection = CollectionOf(type, out ITypeSymbol? element, out ITypeSymbol? keyType);
            if (collection == CollectionKind.Dictionary || collection == CollectionKind.ReadOnlyDictionary)
            {
                ValueModel? key = ValueParser.Resolve(owner, keyType!, 0, enums, prop.Name, fail);
                ValueModel? value = ValueParser.Resolve(owner, element!, encoding, enums, prop.Name, fail);
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

                ValueModel? value = ValueParser.Resolve(owner, element!, encoding, enums, prop.Name, fail);
                return value is null ? null : new FieldModel(prop.Name, protoName, number, FieldLabel.Repeated, collection, propertyType, value, null, access, backing, false, publicWriter);
            }

            ValueModel? single = ValueParser.Resolve(owner, type, encoding, enums, prop.Name, fail);
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
    }
}
