namespace KafkaTyped.CodeFixes
{
    /// <summary>How to spell a KafkaTyped attribute at a position: short when the namespace is in scope, else qualified.</summary>
    internal static class AttributeNames
    {
        public static string At(SemanticModel model, int position, string shortName)
        {
            foreach (var symbol in model.LookupNamespacesAndTypes(position, name: shortName + "Attribute"))
            {
                if (symbol.ContainingNamespace?.ToDisplayString() == "KafkaTyped")
                {
                    return shortName;
                }
            }

            return "global::KafkaTyped." + shortName;
        }
    }
}
