using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Consuming;

/// <summary>
/// Binds the named <see cref="ConsumerGroupOptions"/> of each group from <c>KafkaTyped:Consumers:{group}</c>: the
/// options of group <c>billing</c> are <c>IOptionsMonitor&lt;ConsumerGroupOptions&gt;.Get("billing")</c>.
/// </summary>
internal sealed class ConsumerGroupOptionsSetup(IConfiguration configuration) : IConfigureNamedOptions<ConsumerGroupOptions>
{
    /// <summary>The configuration section of a group's options.</summary>
    public static string SectionOf(string group) => $"{Hosting.KafkaTypedOptions.SectionName}:Consumers:{group}";

    public void Configure(string? name, ConsumerGroupOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            // Intercepted by the configuration binding generator (EnableConfigurationBindingGenerator): no reflection.
            // Its diagnostic suppressor misses the analyzers' warning location here, hence the pragma; the AOT
            // compiler, which sees the intercepted call, still checks it.
#pragma warning disable IL2026, IL3050
            configuration.GetSection(SectionOf(name)).Bind(options);
#pragma warning restore IL2026, IL3050
        }
    }

    public void Configure(ConsumerGroupOptions options) => Configure(Options.DefaultName, options);
}
