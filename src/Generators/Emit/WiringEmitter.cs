using System.Linq;
using System.Text;
using KafkaTyped.Generators.Model;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>Emits typed producers, consumer-group dispatchers, replicated-cache partials and the assembly's <c>AddKafkaTyped</c>.</summary>
    internal static class WiringEmitter
    {
        private const string Kafka = "global::Confluent.Kafka";
        private const string Ct = "global::System.Threading.CancellationToken";

        public static string HintName(string @namespace, string name) => (@namespace.Length == 0 ? name : @namespace + "." + name) + ".g.cs";

        private static string DeliveryResult(ProducerMemberModel m) =>
            $"global::System.Threading.Tasks.ValueTask<{Kafka}.DeliveryResult<{m.KeyTypeName}, {m.FullTypeName}>>";

        private static string DeliveryHandler(ProducerMemberModel m) =>
            $"global::System.Action<{Kafka}.DeliveryReport<{m.KeyTypeName}, {m.FullTypeName}>>";

        public static string EmitProducer(ProducerModel p)
        {
            var w = new SourceWriter();
            MessageEmitter.Header(w);
            OpenNamespace(w, p.Namespace);
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
            CloseNamespace(w, p.Namespace);
            return w.ToString();
        }

        public static string EmitDispatcher(ConsumerGroupModel g)
        {
            var w = new SourceWriter();
            MessageEmitter.Header(w);
            OpenNamespace(w, g.Namespace);
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
            CloseNamespace(w, g.Namespace);
            return w.ToString();
        }

        public static string EmitCache(CacheModel c)
        {
            var w = new SourceWriter();
            MessageEmitter.Header(w);
            OpenNamespace(w, c.Namespace);
            w.Line($"/// <summary>Replicated cache on topic <c>{Xml(c.Topic)}</c> ({c.Partitions} partitions).</summary>");
            w.Line(MessageEmitter.GeneratedCode);
            string name = Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(c.ClassName) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None
                && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetContextualKeywordKind(c.ClassName) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? c.ClassName : "@" + c.ClassName;
            w.Open($"partial class {name}");
            w.Line("/// <summary>The cache's topic, from <c>[ReplicatedCache]</c>.</summary>");
            w.Line($"public const string TopicName = {SourceWriter.Literal(c.Topic)};");
            w.Line();
            w.Line("/// <summary>Partitions the topic is created with, from <c>[ReplicatedCache]</c>.</summary>");
            w.Line($"public const int PartitionCount = {c.Partitions};");
            w.Line();
            w.Line("/// <summary>Creates the cache; <c>AddKafkaTyped</c> registers it as a singleton with its settings.</summary>");
            w.Line($"public {name}(global::KafkaTyped.GeneratedCode.ReplicatedCacheSettings settings, global::Microsoft.Extensions.Logging.ILogger<{c.FullName}>? logger = null)");
            w.Line("    : base(settings, logger)");
            w.Open();
            w.Close();
            w.Line();
            CacheOperationsEmitter.Emit(w, c);
            w.Close();
            CloseNamespace(w, c.Namespace);
            return w.ToString();
        }

        public static string RegistrationHintName(WiringModel model) => "Microsoft.Extensions.DependencyInjection." + RegistrationClassName(model.AssemblyName) + ".g.cs";

        /// <summary>The per-assembly class name: <c>Shop.Orders</c> → <c>ShopOrdersKafkaTypedServiceCollectionExtensions</c>.</summary>
        public static string RegistrationClassName(string assemblyName)
        {
            var b = new StringBuilder();
            bool upper = true;
            foreach (char c in assemblyName)
            {
                if (char.IsLetterOrDigit(c) || c == '_')
                {
                    b.Append(upper ? char.ToUpperInvariant(c) : c);
                    upper = false;
                }
                else
                {
                    upper = true;
                }
            }

            if (b.Length == 0 || char.IsDigit(b[0]))
            {
                b.Insert(0, '_');
            }

            return b.Append("KafkaTypedServiceCollectionExtensions").ToString();
        }

        public static string EmitRegistration(WiringModel model)
        {
            const string Services = "global::Microsoft.Extensions.DependencyInjection.IServiceCollection";
            const string Hosting = "global::KafkaTyped.Hosting.KafkaTypedServiceCollectionExtensions";
            var w = new SourceWriter();
            MessageEmitter.Header(w);
            w.Open("namespace Microsoft.Extensions.DependencyInjection");
            w.Line($"/// <summary>Registers what assembly <c>{Xml(model.AssemblyName)}</c> declares with KafkaTyped (internal: each assembly calls its own).</summary>");
            w.Line(MessageEmitter.GeneratedCode);
            w.Open($"internal static class {RegistrationClassName(model.AssemblyName)}");
            w.Line("/// <summary>");
            w.Line("/// Registers KafkaTyped (options from the <c>KafkaTyped</c> section, cluster, Schema Registry framing), the typed");
            w.Line("/// producers (singletons), the consumer-group dispatchers (one hosted consumer each) with their handler classes");
            w.Line("/// (scoped) and the replicated caches (singletons, started by a hosted service). No assembly scanning.");
            w.Line("/// </summary>");
            w.Line($"public static {Services} AddKafkaTyped(this {Services} services, global::Microsoft.Extensions.Configuration.IConfiguration configuration)");
            w.Open();
            w.Line("global::System.ArgumentNullException.ThrowIfNull(services);");
            w.Line("global::System.ArgumentNullException.ThrowIfNull(configuration);");
            w.Line($"{Hosting}.AddKafkaTypedCore(services, configuration);");
            foreach (ProducerRegistration p in model.Producers)
            {
                w.Line($"{Hosting}.AddKafkaTypedProducer<{p.Interface}, {p.Class}>(services);");
            }

            ProducerOptionsEmitter.TopicDeclarations(w, model);

            foreach (ConsumerRegistration c in model.Consumers)
            {
                w.Line($"global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddScoped<{c.Handler}>(services);");
                w.Line($"{Hosting}.AddKafkaTypedConsumer<{c.Dispatcher}>(services);");
            }

            foreach (CacheRegistration c in model.Caches)
            {
                w.Line($"global::KafkaTyped.GeneratedCode.ReplicatedCacheServiceCollectionExtensions.AddReplicatedCache<{c.Cache}, {c.Key}, {c.Value}>(");
                w.Line($"    services, configuration, {c.Cache}.TopicName, {c.Cache}.PartitionCount,");
                w.Line($"    static (settings, provider) => new {c.Cache}(settings, global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService<global::Microsoft.Extensions.Logging.ILogger<{c.Cache}>>(provider)));");
            }

            w.Line("return services;");
            w.Close();
            w.Close();
            w.Close();
            return w.ToString();
        }

        private static void OpenNamespace(SourceWriter w, string ns)
        {
            if (ns.Length > 0)
            {
                w.Open("namespace " + ns);
            }
        }

        private static void CloseNamespace(SourceWriter w, string ns)
        {
            if (ns.Length > 0)
            {
                w.Close();
            }
        }

        private static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
