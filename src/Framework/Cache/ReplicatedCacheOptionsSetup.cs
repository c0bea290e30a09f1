using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Cache;

/// <summary>
/// Binds the named <see cref="ReplicatedCacheOptions"/> of each cache from <c>KafkaTyped:Caches:{topic}</c> and
/// validates them when the cache is created, naming the key of each problem.
/// </summary>
internal sealed class ReplicatedCacheOptionsSetup(IConfiguration configuration) : IConfigureNamedOptions<ReplicatedCacheOptions>, IValidateOptions<ReplicatedCacheOptions>
{
    public static string SectionOf(string topic) => $"{Hosting.KafkaTypedOptions.SectionName}:Caches:{topic}";

    public void Configure(string? name, ReplicatedCacheOptions options)
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

    public void Configure(ReplicatedCacheOptions options) => Configure(Options.DefaultName, options);

    public ValidateOptionsResult Validate(string? name, ReplicatedCacheOptions options)
    {
        var section = SectionOf(string.IsNullOrEmpty(name) ? "{topic}" : name);
        var failures = new List<string>();
        if (options.Readers is < 1)
        {
            failures.Add($"{section}:Readers = {options.Readers}: a replica needs at least one reader. Leave it unset for one per processor (at most 4).");
        }

        if (options.WriteTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:WriteTimeout = {options.WriteTimeout}: it must be positive (default 00:00:30).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
