using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Maps a C# enum used by a message to a nested Protobuf enum (int-sized, distinct values, a zero value first).</summary>
    internal static class EnumParser
    {
        internal static ValueModel? Resolve(INamedTypeSymbol owner, INamedTypeSymbol type, string clr, List<EnumModel> enums, string member, Action<string, string> fail)
        {
            string protoName = type.Name;
            string fullName = (ProtoIdentity.PackageOf(owner).Length == 0 ? string.Empty : ProtoIdentity.PackageOf(owner) + ".") + ProtoIdentity.MessageProtoName(owner) + "." + protoName;
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
    }
}
