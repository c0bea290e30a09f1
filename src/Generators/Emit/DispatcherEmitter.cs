using KafkaTyped.Roslyn.Model;
using static KafkaTyped.Generators.Emit.WiringCode;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>Emits a consumer group's dispatcher: the generated <c>switch</c> from topic and message index to the handler (<c>{Group}Dispatcher.g.cs</c>).</summary>
    internal static class DispatcherEmitter
    {
        public static string EmitDispatcher(ConsumerGroupModel g) =>
            NamespacedFile(g.Namespace, w =>
            {
                const string Sets = "global::KafkaTyped.GeneratedCode.MessageSetDefinition";
                w.Line($"/// <summary>Dispatch of consumer group <c>{Xml(g.GroupId)}</c> to <see cref=\"{g.HandlerFullName}\"/>: a <c>switch</c> on topic and message index, no reflection.</summary>");
                w.Line(MessageEmitter.GeneratedCode);
                w.Open($"{(g.IsPublic ? "public" : "internal")} sealed partial class {g.DispatcherName} : global::KafkaTyped.GeneratedCode.ConsumerGroupDispatcher");
                w.Line($"private static readonly {Sets}[] __topics = new {Sets}[]");
                w.Line("{");
                foreach (HandledTopicModel t in g.Topics)
                {
                    w.Line($"    {t.SetClassFullName}.Instance,");
                }

                w.Line("};");
                w.Line();
                InterceptorEmitter.Fields(w, g);
                InterceptorEmitter.Constructors(w, g);
                w.Line();
                w.Line("/// <inheritdoc />");
                w.Line($"public override string GroupId => {SourceWriter.Literal(g.GroupId)};");
                w.Line();
                w.Line("/// <inheritdoc />");
                w.Line($"public override global::System.Collections.Generic.IReadOnlyList<{Sets}> Topics => __topics;");
                w.Line();
                w.Line("/// <inheritdoc />");
                w.Line($"public override global::System.Threading.Tasks.ValueTask DispatchAsync(global::Confluent.Kafka.ConsumeResult<byte[], byte[]> record, global::KafkaTyped.MessageContext context, global::System.IServiceProvider services, {Ct} cancellationToken)");
                w.Open();
                if (g.Topics.Any(t => t.IsCache))
                {
                    // A replicated cache writes a tombstone after every Deleted operation so compaction can drop the key; the
                    // Deleted before it was handled already, so the tombstone is committed and skipped.
                    w.Open("if (record.Message.Value is null)");
                    for (int i = 0; i < g.Topics.Count; i++)
                    {
                        if (g.Topics[i].IsCache)
                        {
                            w.Line($"if (string.Equals(record.Topic, __topics[{i}].Topic, global::System.StringComparison.Ordinal)) {{ return default; }}");
                        }
                    }

                    w.Close();
                    w.Line();
                }

                w.Line("global::System.ReadOnlySpan<byte> payload = ReadPayload(record, out int topicIndex, out int messageIndex);");
                w.Open("switch (topicIndex)");
                int ordinal = 0;
                for (int i = 0; i < g.Topics.Count; i++)
                {
                    w.Line($"case {i}:");
                    w.Line("    switch (messageIndex)");
                    w.Line("    {");
                    foreach (HandledMessageModel m in g.Topics[i].Messages)
                    {
                        if (m.IsBatch)
                        {
                            BatchDispatchEmitter.EmitBatchOfOne(w, g, m);
                            continue;
                        }

                        w.Line($"        case {m.IndexExpression}:");
                        InterceptorEmitter.HandleCase(w, g, m, ordinal++, "        ");
                    }

                    w.Line("    }");
                    w.Line();
                    w.Line("    break;");
                }

                w.Close();
                w.Line();
                w.Line("// A member this group has no handler for is committed and skipped; an unknown index is dead-lettered.");
                w.Line("return Unhandled(record, topicIndex, messageIndex);");
                w.Close();
                BatchDispatchEmitter.EmitBatchMembers(w, g);
                w.Close();
            });
    }
}
