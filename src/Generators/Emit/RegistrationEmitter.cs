using System.Text;
using KafkaTyped.Generators.Model;
using static KafkaTyped.Generators.Emit.WiringCode;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>Emits the assembly's <c>AddKafkaTyped</c> (<c>Microsoft.Extensions.DependencyInjection.{Assembly}KafkaTypedServiceCollectionExtensions.g.cs</c>).</summary>
    internal static class RegistrationEmitter
    {
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
    }
}
