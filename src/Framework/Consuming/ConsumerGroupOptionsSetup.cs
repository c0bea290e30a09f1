using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;

namespace KafkaTyped.Consuming;

/// <summary>
/// Binds the named <see cref="ConsumerGroupOptions"/> of each group from <c>KafkaTyped:Consumers:{group}</c>: the
/// options of group <c>billing</c> are <c>IOptionsMonitor&lt;ConsumerGroupOptions&gt;.Get("billing")</c>.
/// </summary>
internal sealed class ConsumerGroupOptionsSetup(IConfiguration configuration) : NamedOptionsSetup<ConsumerGroupOptions>(configuration, SectionOf)
{
    /// <summary>The configuration section of a group's options.</summary>
    public static string SectionOf(string group) => $"{KafkaTypedOptions.SectionName}:Consumers:{group}";

    protected override void Bind(IConfigurationSection section, ConsumerGroupOptions options)
    {
        // The pragma: see NamedOptionsSetup.Bind.
#pragma warning disable IL2026, IL3050
        section.Bind(options);
#pragma warning restore IL2026, IL3050
    }
}
