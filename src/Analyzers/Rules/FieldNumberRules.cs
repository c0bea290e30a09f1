using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Analyzers.Rules
{
    /// <summary>Picks free field numbers for the KT0004 code fix; validity itself is the generator's rule (<see cref="FieldNumbers"/>).</summary>
    internal static class FieldNumberRules
    {
        /// <summary>The smallest valid number greater than <paramref name="after"/> that is not in <paramref name="taken"/>.</summary>
        public static int NextFree(ISet<int> taken, int after)
        {
            var candidate = after < 0 ? FieldNumbers.Min : after + 1;
            while (candidate <= FieldNumbers.Max)
            {
                if (candidate >= FieldNumbers.ImplementationReservedFirst && candidate <= FieldNumbers.ImplementationReservedLast)
                {
                    candidate = FieldNumbers.ImplementationReservedLast + 1;
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
