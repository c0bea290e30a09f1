using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Hosting;

/// <summary>
/// Binds named options from the configuration section of their name (a consumer group's, a cache's): the options named
/// <c>billing</c> come from the section <paramref name="sectionOf"/> gives for <c>"billing"</c>. The unnamed default
/// instance is left alone.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <param name="configuration">The application's configuration.</param>
/// <param name="sectionOf">The configuration section of the options of a name.</param>
internal abstract class NamedOptionsSetup<TOptions>(IConfiguration configuration, Func<string, string> sectionOf) : IConfigureNamedOptions<TOptions>
    where TOptions : class
{
    public void Configure(string? name, TOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            Bind(configuration.GetSection(sectionOf(name)), options);
        }
    }

    public void Configure(TOptions options) => Configure(Options.DefaultName, options);

    /// <summary>
    /// Binds <paramref name="section"/> to <paramref name="options"/>. Each options type makes this call itself: the
    /// configuration binding generator (EnableConfigurationBindingGenerator) intercepts only a <c>Bind</c> whose options
    /// type is known at compile time, so a call here on <typeparamref name="TOptions"/> would fall back to reflection.
    /// Its diagnostic suppressor misses the analyzers' warning location at such calls, hence their pragma; the AOT
    /// compiler, which sees the intercepted call, still checks it.
    /// </summary>
    protected abstract void Bind(IConfigurationSection section, TOptions options);
}
