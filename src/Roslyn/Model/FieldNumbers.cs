namespace KafkaTyped.Roslyn.Model
{
    /// <summary>Protobuf field-number validity, shared by the generator's parser and the analyzers (KT0006).</summary>
    public static class FieldNumbers
    {
        public const int Min = 1;

        /// <summary>2^29 − 1: field numbers are 29 bits because the tag's low 3 bits carry the wire type.</summary>
        public const int Max = 536_870_911;

        /// <summary>The range protoc reserves for the Protobuf implementation.</summary>
        public const int ImplementationReservedFirst = 19_000;

        public const int ImplementationReservedLast = 19_999;

        public static bool IsValid(int number) =>
            number >= Min && number <= Max && (number < ImplementationReservedFirst || number > ImplementationReservedLast);
    }
}
