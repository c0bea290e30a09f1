using System.Collections.Generic;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>Protobuf field-number validity. Pure rules, shared by analyzers and code fixes.</summary>
    internal static class FieldNumberRules
    {
        public const int Min = 1;

        /// <summary>2^29 − 1: field numbers are 29 bits because the tag's low 3 bits carry the wire type.</summary>
        public const int Max = 536_870_911;

        public const int ImplementationReservedFirst = 19_000;
        public const int ImplementationReservedLast = 19_999;

        public static bool IsValid(int number) =>
            number >= Min && number <= Max && (number < ImplementationReservedFirst || number > ImplementationReservedLast);

        /// <summary>The smallest valid number greater than <paramref name="after"/> that is not in <paramref name="taken"/>.</summary>
        public static int NextFree(ISet<int> taken, int after)
        {
            var candidate = after < 0 ? Min : after + 1;
            while (candidate <= Max)
            {
                if (candidate >= ImplementationReservedFirst && candidate <= ImplementationReservedLast)
                {
                    candidate = ImplementationReservedLast + 1;
                    continue;
                }

                if (!taken.Contains(candidate))
                {
                    return candidate;
                }

                candidate++;
            }

            return -1;
        }
    }
}
