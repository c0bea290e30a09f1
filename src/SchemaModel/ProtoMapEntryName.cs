using System.Text;

namespace KafkaTyped.SchemaModel
{
    /// <summary>protoc's name for the nested message that carries a map field's entries.</summary>
    internal static class ProtoMapEntryName
    {
        /// <summary>
        /// The field name in CamelCase (each underscore dropped, the letter after it capitalised) plus <c>Entry</c>:
        /// <c>stock_by_sku</c> → <c>StockBySkuEntry</c>. The generator keeps its own copy (src/Roslyn/Model/ProtoNaming.cs)
        /// because it does not load this assembly.
        /// </summary>
        public static string Of(string fieldName)
        {
            var name = new StringBuilder(fieldName.Length + 5);
            var upper = true;
            foreach (var c in fieldName)
            {
                if (c == '_')
                {
                    upper = true;
                    continue;
                }

                name.Append(upper && c >= 'a' && c <= 'z' ? char.ToUpperInvariant(c) : c);
                upper = false;
            }

            return name.Append("Entry").ToString();
        }
    }
}
