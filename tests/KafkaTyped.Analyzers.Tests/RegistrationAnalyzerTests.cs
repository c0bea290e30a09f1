using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>KT0401: an application that declares KafkaTyped types but never calls the generated AddKafkaTyped.</summary>
public sealed class RegistrationAnalyzerTests
{
    private const string Declarations = """
        [Topic("orders")]
        public partial interface IOrderEvents;

        [KafkaMessage]
        public sealed partial record OrderPlaced([Field(1), Key] string OrderId) : IOrderEvents;

        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """;

    // The generator is not part of an analyzer test: the extension the generated code would add is declared by hand.
    private const string GeneratedRegistration = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            internal static class TestAssemblyKafkaTypedServiceCollectionExtensions
            {
                public static IServiceCollection AddKafkaTyped(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration) => services;
            }
        }
        """;

    [Fact]
    public async Task An_application_that_never_registers_gets_one_warning_at_its_first_declaration()
    {
        var diagnostics = await AnalyzerRunner.VerifyExecutableAsync(
            """
            [Topic("orders")]
            public partial interface {|KT0401:IOrderEvents|};

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string OrderId) : IOrderEvents;

            [ConsumerGroup("billing")]
            public sealed partial class Billing : IHandle<OrderPlaced>
            {
                public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            public static class Program
            {
                public static void Main() { }

                public static void Configure(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
            }
            """,
            GeneratedRegistration);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Contains("AddKafkaTyped", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public Task A_cache_alone_is_enough_to_need_the_registration() => AnalyzerRunner.VerifyExecutableAsync(
        """
        [KafkaMessage]
        public sealed partial record Price([Field(1)] string Sku, [Field(2)] long Cents);

        [ReplicatedCache("prices")]
        public sealed partial class {|KT0401:PriceCache|} : KafkaTyped.Cache.ReplicatedCache<string, Price>;

        public static class Program
        {
            public static void Main() { }
        }
        """);

    [Theory]
    [InlineData("services.AddKafkaTyped(configuration);")]
    [InlineData("Func<IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration, IServiceCollection> register = TestAssemblyKafkaTypedServiceCollectionExtensions.AddKafkaTyped; register(services, configuration);")]
    [InlineData("KafkaTyped.Hosting.KafkaTypedServiceCollectionExtensions.AddKafkaTypedCore(services, configuration);")]
    public Task An_application_that_registers_is_silent(string registration) => AnalyzerRunner.VerifyExecutableAsync(
        Declarations,
        GeneratedRegistration,
        $$"""
        namespace Microsoft.Extensions.DependencyInjection
        {
            public static class Program
            {
                public static void Main() { }

                public static void Configure(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
                {
                    {{registration}}
                }
            }
        }
        """);

    [Fact]
    public Task A_library_is_not_checked_its_application_calls_a_public_method_of_it() => AnalyzerRunner.VerifyAsync(
        Declarations);

    [Fact]
    public Task A_test_project_is_not_checked() => AnalyzerRunner.VerifyExecutableAsync(
        Declarations,
        """
        namespace Xunit
        {
            public sealed class FactAttribute : System.Attribute { }
        }

        public static class Program
        {
            public static void Main() { }
        }
        """);

    [Fact]
    public Task An_application_without_KafkaTyped_declarations_is_not_checked() => AnalyzerRunner.VerifyExecutableAsync(
        """
        public static class Program
        {
            public static void Main() { }
        }
        """);
}
