using System.Collections.Immutable;
using KafkaTyped.Roslyn.Model;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>Reads a message's <c>[Reserved]</c> field numbers and names.</summary>
    internal static class ReservedParser
    {
        internal static (EquatableArray<int>, EquatableArray<string>) Read(INamedTypeSymbol type)
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
    }
}
