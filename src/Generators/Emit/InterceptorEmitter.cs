using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>
    /// The consume-interceptor parts of a generated dispatcher: one pipeline field per handled message type, filled once
    /// by the constructor (null when no interceptor applies), and the handler call that tests it. Without interceptors a
    /// record costs one null check over calling the handler directly: no allocation, no extra call.
    /// </summary>
    internal static class InterceptorEmitter
    {
        private const string Registry = "global::KafkaTyped.GeneratedCode.InterceptorRegistry";

        /// <summary>The pipeline field of the <paramref name="ordinal"/>th handled message (topics in order, then members).</summary>
        public static string FieldName(int ordinal) => "__interceptors" + ordinal;

        public static void Fields(SourceWriter w, ConsumerGroupModel g)
        {
            int ordinal = 0;
            foreach (HandledTopicModel t in g.Topics)
            {
                foreach (HandledMessageModel m in t.Messages)
                {
                    w.Line($"private readonly global::KafkaTyped.GeneratedCode.ConsumePipeline<{m.FullTypeName}>? {FieldName(ordinal++)};");
                }
            }

            w.Line();
        }

        /// <summary>Two constructors: DI takes the one with the registry (<c>AddKafkaTypedCore</c> registers it).</summary>
        public static void Constructors(SourceWriter w, ConsumerGroupModel g)
        {
            w.Line("/// <summary>Creates the dispatcher without interceptors.</summary>");
            w.Line($"public {g.DispatcherName}(global::KafkaTyped.Framing.IPayloadCodec codec)");
            w.Line("    : this(codec, null)");
            w.Open();
            w.Close();
            w.Line();
            w.Line("/// <summary>Creates the dispatcher (a singleton, registered by <c>AddKafkaTyped</c>) with the application's consume interceptors.</summary>");
            w.Line($"public {g.DispatcherName}(global::KafkaTyped.Framing.IPayloadCodec codec, {Registry}? interceptors)");
            w.Line("    : base(codec)");
            w.Open();
            int ordinal = 0;
            foreach (HandledTopicModel t in g.Topics)
            {
                foreach (HandledMessageModel m in t.Messages)
                {
                    w.Line($"{FieldName(ordinal++)} = interceptors?.ForConsume<{m.FullTypeName}>();");
                }
            }

            w.Close();
        }

        /// <summary>One <c>case</c> body: resolve the handler, read the message, call the handler or the pipeline around it.</summary>
        public static void HandleCase(SourceWriter w, ConsumerGroupModel g, HandledMessageModel m, int ordinal, string indent)
        {
            string field = FieldName(ordinal);
            string read = m.IsCacheOperation
                ? $"{m.FullTypeName}.ReadRecord(payload, record)"
                : $"Parse({m.FullTypeName}.Parser, payload, record)";
            w.Line($"{indent}{{");
            w.Line($"{indent}    global::KafkaTyped.IHandle<{m.FullTypeName}> handler = global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{g.HandlerFullName}>(services);");
            w.Line($"{indent}    {m.FullTypeName} message = {read};");
            w.Line($"{indent}    return {field} is null");
            w.Line($"{indent}        ? handler.HandleAsync(message, context, cancellationToken)");
            w.Line($"{indent}        : {field}.InvokeAsync(handler, message, context, services, cancellationToken);");
            w.Line($"{indent}}}");
        }
    }
}
