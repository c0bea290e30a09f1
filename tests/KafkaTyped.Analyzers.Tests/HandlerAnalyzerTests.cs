using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Analyzers.Tests;

public sealed class HandlerAnalyzerTests
{
    private const string Messages = """
        [KafkaMessage] public sealed partial record OrderPlaced([Field(1)] string Id);
        [KafkaMessage] public sealed partial record OrderCancelled([Field(1)] string Id);
        """;

    [Fact]
    public Task ValidHandlersAreSilent() => AnalyzerRunner.VerifyValidAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>, IHandle<OrderCancelled>
        {
            public async ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
                var task = Task.FromResult(1);
                var value = await task;
                _ = value;
            }

            ValueTask IHandle<OrderCancelled>.HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken) => default;

            public int Helper() => Task.FromResult(1).Result;

            private void Handle(Exception exception) => Console.WriteLine(exception.Message);
        }

        public abstract class LoggingHandler<T> : IHandle<T>
            where T : class
        {
            public abstract ValueTask HandleAsync(T message, MessageContext context, CancellationToken cancellationToken);
        }

        [ConsumerGroup("shipping.v2_eu-1")]
        public sealed partial class Shipping : IHandle<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
        Messages);

    [Fact]
    public async Task SignatureMismatch()
    {
        var diagnostics = await AnalyzerRunner.VerifyAsync(
            """
            [ConsumerGroup("billing")]
            public sealed partial class Billing
            {
                public Task {|KT0201:HandleAsync|}(OrderPlaced message) => Task.CompletedTask;
                public void {|KT0201:Handle|}(OrderCancelled message, CancellationToken cancellationToken) { }
            }
            """,
            Messages);
        Assert.Contains(diagnostics, d => d.Properties[DiagnosticProperties.MessageType] == "global::OrderPlaced");
    }

    /// <summary>
    /// With IHandle&lt;T&gt; declared, a wrong signature is also CS0535 or CS0738, which hides analyzer diagnostics from the
    /// command-line build: the generator reports these handlers, and the analyzer does not report them again.
    /// </summary>
    [Fact]
    public Task SignatureMismatchOnADeclaredInterfaceIsTheGenerators() => GeneratorVerifier.VerifyDiagnosticsAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>, IHandle<OrderCancelled>
        {
            public Task {|KT0201:HandleAsync|}(OrderPlaced message) => Task.CompletedTask;
            public async void {|KT0202:HandleAsync|}(OrderCancelled message, MessageContext context, CancellationToken cancellationToken) => await Task.Yield();
        }
        """,
        Messages);

    [Fact]
    public Task HandlerWithoutConsumerGroupAndGroupWithoutHandlers() => AnalyzerRunner.VerifyAsync(
        """
        public sealed class {|KT0209:OrderBilling|} : IHandle<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        // An abstract base is completed by a consumer group elsewhere.
        public abstract class HandlerBase : IHandle<OrderCancelled>
        {
            public abstract ValueTask HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken);
        }

        [ConsumerGroup("audit")]
        public sealed partial class {|KT0210:Audit|} { }

        // A handler-like method explains the empty group already (KT0201): one diagnostic for one mistake.
        [ConsumerGroup("ledger")]
        public sealed partial class Ledger
        {
            public Task {|KT0201:HandleAsync|}(OrderPlaced message) => Task.CompletedTask;
        }
        """,
        Messages);

    [Fact]
    public Task AsyncVoid() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing
        {
            public async void {|KT0202:HandleAsync|}(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => await Task.Yield();
        }
        """,
        Messages);

    [Fact]
    public Task HandledTypeNotMessage() => AnalyzerRunner.VerifyAsync(
        """
        public sealed class Plain { }

        [ConsumerGroup("billing")]
        public sealed partial class Billing : {|KT0203:IHandle<Plain>|}
        {
            public ValueTask HandleAsync(Plain message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
        Messages);

    /// <summary>One diagnostic for one mistake: a second class handling a handled type gets KT0204 only, one without overlap KT0206.</summary>
    [Fact]
    public Task DuplicateHandlerOrGroupId() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [{|KT0204:ConsumerGroup("billing")|}]
        public sealed partial class BillingToo : IHandle<OrderPlaced>, IHandle<OrderCancelled>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
            public ValueTask HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [{|KT0206:ConsumerGroup("Billing")|}]
        public sealed partial class BillingCased : IHandle<OrderCancelled>
        {
            public ValueTask HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
        Messages);

    [Fact]
    public Task InvalidGroupIds() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup({|KT0205:""|})] public sealed partial class A { }
        [ConsumerGroup({|KT0205:"has space"|})] public sealed partial class B { }
        [ConsumerGroup({|KT0205:"tab\there"|})] public sealed partial class C { }
        """,
        Messages);

    [Fact]
    public Task GroupNotPartial() => GeneratorVerifier.VerifyDiagnosticsAsync(
        """
        [ConsumerGroup("billing")] public sealed class {|KT0001:Billing|} { }
        """,
        Messages);

    [Fact]
    public Task BlockingCallsInHandlers() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>, IHandle<OrderCancelled>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
            {
                var task = Task.FromResult(1);
                _ = {|KT0207:task.Result|};
                {|KT0207:task.Wait()|};
                {|KT0207:Thread.Sleep(10)|};
                {|KT0207:task.GetAwaiter().GetResult()|};
                {|KT0207:Task.WaitAll(task)|};
                return default;
            }

            ValueTask IHandle<OrderCancelled>.HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken)
            {
                var pending = new ValueTask<int>(2);
                _ = {|KT0207:pending.Result|};
                return default;
            }
        }
        """,
        Messages);
}
