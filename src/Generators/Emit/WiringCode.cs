namespace KafkaTyped.Generators.Emit
{
    /// <summary>What the wiring emitters (producer, dispatcher, cache class, registration) share: file names, the namespaced file scaffold, XML escaping.</summary>
    internal static class WiringCode
    {
        internal const string Kafka = "global::Confluent.Kafka";
        internal const string Ct = "global::System.Threading.CancellationToken";

        public static string HintName(string @namespace, string name) => (@namespace.Length == 0 ? name : @namespace + "." + name) + ".g.cs";

        /// <summary>
        /// One generated file: the shared header, then what <paramref name="writeBody"/> writes inside namespace
        /// <paramref name="ns"/> (at the top level when the type lives in the global namespace).
        /// </summary>
        internal static string NamespacedFile(string ns, Action<SourceWriter> writeBody)
        {
            var w = new SourceWriter();
            MessageEmitter.Header(w);
            if (ns.Length == 0)
            {
                writeBody(w);
                return w.ToString();
            }

            w.Open("namespace " + ns);
            writeBody(w);
            w.Close();
            return w.ToString();
        }

        internal static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
