using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>
    /// The batch half of a consumer-group dispatcher (<c>IHandleBatch&lt;T&gt;</c>): the batch slots, the batch
    /// <c>switch</c>, and the batch-of-one call in the single-record <c>switch</c>. Nothing is emitted for a group
    /// without batch handlers, so its dispatcher stays as it was.
    /// </summary>
    internal static class BatchDispatchEmitter
    {
        private const string Records = "global::System.ReadOnlyMemory<global::Confluent.Kafka.ConsumeResult<byte[], byte[]>>";

        /// <summary>A batch-handled record that took the single-record path (a new schema id, a retry alone): a batch of one.</summary>
        public static void EmitBatchOfOne(SourceWriter w, ConsumerGroupModel g, HandledMessageModel m)
        {
            w.Line($"        case {m.IndexExpression}:");
            w.Line($"            return {Handler(g, m)}");
            w.Line($"                .HandleAsync(BatchOfOne(Parse({m.FullTypeName}.Parser, payload, record), context), cancellationToken);");
        }

        public static void EmitBatchMembers(SourceWriter w, ConsumerGroupModel g)
        {
            HandledMessageModel[] batched = g.Topics.SelectMany(t => t.Messages).Where(m => m.IsBatch).OrderBy(m => m.BatchSlot).ToArray();
            if (batched.Length == 0)
            {
                return;
            }

            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line($"public override int BatchHandlerCount => {batched.Length};");
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line("protected override int BatchSlotOf(int topicIndex, int messageIndex)");
            w.Open();
            w.Open("switch (topicIndex)");
            for (int i = 0; i < g.Topics.Count; i++)
            {
                if (!g.Topics[i].Messages.Any(m => m.IsBatch))
                {
                    continue;
                }

                w.Line($"case {i}:");
                w.Line("    switch (messageIndex)");
                w.Line("    {");
                foreach (HandledMessageModel m in g.Topics[i].Messages)
                {
                    if (m.IsBatch)
                    {
                        w.Line($"        case {m.IndexExpression}: return {m.BatchSlot};");
                    }
                }

                w.Line("    }");
                w.Line();
                w.Line("    break;");
            }

            w.Close();
            w.Line();
            w.Line("return -1;");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line($"public override global::System.Threading.Tasks.ValueTask DispatchBatchAsync(int slot, {Records} records, int attempt, global::System.IServiceProvider services, global::System.Threading.CancellationToken cancellationToken)");
            w.Open();
            w.Open("switch (slot)");
            foreach (HandledMessageModel m in batched)
            {
                w.Line($"case {m.BatchSlot}:");
                w.Line($"    return {Handler(g, m)}");
                w.Line($"        .HandleAsync(ReadBatch({m.FullTypeName}.Parser, records, attempt), cancellationToken);");
            }

            w.Close();
            w.Line();
            w.Line("return UnknownBatchSlot(slot);");
            w.Close();
        }

        private static string Handler(ConsumerGroupModel g, HandledMessageModel m) =>
            $"((global::KafkaTyped.IHandleBatch<{m.FullTypeName}>)global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{g.HandlerFullName}>(services))";
    }
}
