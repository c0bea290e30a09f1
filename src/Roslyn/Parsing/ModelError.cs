namespace KafkaTyped.Roslyn.Parsing
{
    /// <summary>A reason a declaration yields no model; the analyzers turn these into diagnostics.</summary>
    public sealed record ModelError(string Member, string Reason);
}
