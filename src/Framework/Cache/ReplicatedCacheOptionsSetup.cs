using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Cache;

/// <summary>
/// Binds the named <see cref="ReplicatedCacheOptions"/> of each cache from <c>KafkaTyped:Caches:{topic}</c> and
/// validates them when the cache is created, naming the key of each problem.
/// </summary>
internal sealed class ReplicatedCacheOptionsSetup(IConfiguration configuration) : NamedOptionsSetup<ReplicatedCacheOptions>(configuration, SectionOf), IValidateOptions<ReplicatedCacheOptions>
{
    public static string SectionOf(string topic) => $"{KafkaTypedOptions.SectionName}:Caches:{topic}";

    protected override void Bind(IConfigurationSection section, ReplicatedCacheOptions options)
    {
        // The pragma: see NamedOptionsSetup.Bind.
#pragma warning disable IL2026, IL3050
        section.Bind(options);
#pragma warning restore IL2026, IL3050
    }

    public ValidateOptionsResult Validate(string? name, ReplicatedCacheOptions options)
    {
        var section = SectionOf(string.IsNullOrEmpty(name) ? "{topic}" : name);
        var failures = new List<string>();
        if (options.Readers is < 1)
        {
            failures.Add($"{section}:Readers = {options.Readers}: a replica needs at least one reader. Leave it unset for one per two processors (at most 4).");
        }

        if (options.WriteTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:WriteTimeout = {options.WriteTimeout}: it must be positive (default 00:00:30).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
