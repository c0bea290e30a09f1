using System.Text;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>What the wiring emitters (producer, dispatcher, cache class, registration) share: file names, namespaces, XML escaping.</summary>
    internal static class WiringCode
    {
        internal const string Kafka = "global::Confluent.Kafka";
        internal const string Ct = "global::System.Threading.CancellationToken";

        public static string HintName(string @namespace, string name) => (@namespace.Length == 0 ? name : @namespace + "." + name) + ".g.cs";

        internal static void OpenNamespace(SourceWriter w, string ns)
        {
            if (ns.Length > 0)
            {
                w.Open("namespace " + ns);
            }
        }

        internal static void CloseNamespace(SourceWriter w, string ns)
        {
            if (ns.Length > 0)
            {
                w.Close();
            }
        }

        internal static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
