using KafkaTyped.Generators.Model;
using static KafkaTyped.Generators.Emit.WiringCode;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>Emits a <c>[Topic]</c> set's typed producer interface and class (<c>{Set}Producer.g.cs</c>).</summary>
    internal static class ProducerEmitter
    {
        private static string DeliveryResult(ProducerMemberModel m) =>
            $"global::System.Threading.Tasks.ValueTask<{Kafka}.DeliveryResult<{m.KeyTypeName}, {m.FullTypeName}>>";

        private static string DeliveryHandler(ProducerMemberModel m) =>
            $"global::System.Action<{Kafka}.DeliveryReport<{m.KeyTypeName}, {m.FullTypeName}>>";

        public static string EmitProducer(ProducerModel p) =>
            NamespacedFile(p.Namespace, w =>
            {
                string access = p.IsPublic ? "public" : "internal";

                w.Line($"/// <summary>Typed producer of <see cref=\"{p.SetInterfaceFullName}\"/> (topic <c>{Xml(p.Topic)}</c>): one <c>ProduceAsync</c> and one <c>Produce</c> per member.</summary>");
                w.Line(MessageEmitter.GeneratedCode);
                w.Open($"{access} partial interface {p.InterfaceName}");
                foreach (ProducerMemberModel m in p.Members)
                {
                    w.Line($"/// <summary>Sends a <see cref=\"{m.FullTypeName}\"/> and completes when the broker acknowledged it.</summary>");
                    w.Line($"{DeliveryResult(m)} ProduceAsync({m.FullTypeName} message, {Kafka}.Headers? headers = null, {Kafka}.Timestamp timestamp = default, {Ct} cancellationToken = default);");
                    w.Line();
                    w.Line($"/// <summary>Queues a <see cref=\"{m.FullTypeName}\"/> and returns at once; <paramref name=\"deliveryHandler\"/> runs on delivery (pass a cached delegate).</summary>");
                    w.Line($"void Produce({m.FullTypeName} message, {DeliveryHandler(m)}? deliveryHandler = null, {Kafka}.Headers? headers = null, {Kafka}.Timestamp timestamp = default);");
                    w.Line();
                }

                w.Line("/// <summary>Waits until every message queued so far was delivered or failed.</summary>");
                w.Line("void Flush(global::System.TimeSpan timeout);");
                w.Close();
                w.Line();

                w.Line($"/// <summary>The generated <see cref=\"{p.InterfaceName}\"/>: keys from each member's <c>[Key]</c>, message indexes from <see cref=\"{p.SetClassFullName}\"/>.</summary>");
                w.Line(MessageEmitter.GeneratedCode);
                w.Open($"{access} sealed partial class {p.ClassName} : global::KafkaTyped.GeneratedCode.TypedProducer, {p.InterfaceName}");
                for (int i = 0; i < p.Members.Count; i++)
                {
                    ProducerMemberModel m = p.Members[i];
                    w.Line($"private readonly global::KafkaTyped.GeneratedCode.MessageSender<{m.KeyTypeName}, {m.FullTypeName}> __sender{i};");
                }

                w.Line();
                w.Line("/// <summary>Creates the producer (a singleton, registered by <c>AddKafkaTyped</c>).</summary>");
                w.Line($"public {p.ClassName}(global::KafkaTyped.GeneratedCode.ProducerServices services)");
                w.Line($"    : base(services, {p.SetClassFullName}.Instance)");
                w.Open();
                for (int i = 0; i < p.Members.Count; i++)
                {
                    ProducerMemberModel m = p.Members[i];
                    w.Line($"__sender{i} = CreateSender<{m.KeyTypeName}, {m.FullTypeName}>({m.IndexExpression});");
                }

                w.Close();
                for (int i = 0; i < p.Members.Count; i++)
                {
                    ProducerMemberModel m = p.Members[i];

                    // A null message reaches the sender, which throws ArgumentNullException.
                    string key = m.KeyExpression == "null!" ? m.KeyExpression : "message is null ? default! : " + m.KeyExpression;
                    w.Line();
                    w.Line("/// <inheritdoc />");
                    w.Line($"public {DeliveryResult(m)} ProduceAsync({m.FullTypeName} message, {Kafka}.Headers? headers = null, {Kafka}.Timestamp timestamp = default, {Ct} cancellationToken = default)");
                    w.Line($"    => __sender{i}.ProduceAsync({key}, message!, headers, timestamp, cancellationToken);");
                    w.Line();
                    w.Line("/// <inheritdoc />");
                    w.Line($"public void Produce({m.FullTypeName} message, {DeliveryHandler(m)}? deliveryHandler = null, {Kafka}.Headers? headers = null, {Kafka}.Timestamp timestamp = default)");
                    w.Line($"    => __sender{i}.Produce({key}, message!, deliveryHandler, headers, timestamp);");
                }

                w.Close();
            });
    }
}
