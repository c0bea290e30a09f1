using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>KT0211–KT0213: batch handler signatures, a type handled singly and in batches, types that cannot be batched.</summary>
public sealed class BatchHandlerAnalyzerTests
{
    private const string Messages = """
        [Topic("orders")] public partial interface IOrderEvents;
        [KafkaMessage] public sealed partial record OrderPlaced([Field(1)] string Id) : IOrderEvents;
        [KafkaMessage] public sealed partial record OrderCancelled([Field(1)] string Id) : IOrderEvents;
        [KafkaMessage] public sealed partial record Loose([Field(1)] string Id);
        """;

    [Fact]
    public Task ValidBatchHandlersAreSilent() => AnalyzerRunner.VerifyValidAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandleBatch<OrderPlaced>, IHandle<OrderCancelled>
        {
            public async ValueTask HandleAsync(MessageBatch<OrderPlaced> batch, CancellationToken cancellationToken)
            {
                foreach (var order in batch.AsSpan())
                {
                    _ = order.Id;
                }

                await Task.Delay(1, cancellationToken);
            }

            public ValueTask HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken) => default;

            private static void Handle(List<string> notMessages) { }
        }

        [ConsumerGroup("audit")]
        public sealed partial class Audit : IHandleBatch<OrderPlaced>, IHandleBatch<OrderCancelled>
        {
            ValueTask IHandleBatch<OrderPlaced>.HandleAsync(MessageBatch<OrderPlaced> batch, CancellationToken cancellationToken) => default;

            ValueTask IHandleBatch<OrderCancelled>.HandleAsync(MessageBatch<OrderCancelled> batch, CancellationToken cancellationToken) => default;
        }

        public abstract class BatchBase<T> : IHandleBatch<T>
            where T : class
        {
            public abstract ValueTask HandleAsync(MessageBatch<T> batch, CancellationToken cancellationToken);
        }
        """,
        Messages);

    [Fact]
    public Task BatchLikeMethodsThatNothingCallsAreReported() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing
        {
            public Task {|KT0211:HandleAsync|}(IReadOnlyList<OrderPlaced> orders, CancellationToken cancellationToken) => Task.CompletedTask;
            public ValueTask {|KT0211:HandleBatchAsync|}(MessageBatch<OrderCancelled> batch) => default;
            public void {|KT0211:Handle|}(OrderPlaced[] orders) { }
        }
        """,
        Messages);

    [Fact]
    public Task AWrongOverloadNextToTheInterfaceIsReported() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandleBatch<OrderPlaced>
        {
            public ValueTask HandleAsync(MessageBatch<OrderPlaced> batch, CancellationToken cancellationToken) => default;
            public Task {|KT0211:HandleAsync|}(List<OrderCancelled> batch, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """,
        Messages);

    [Fact]
    public Task ATypeHandledSinglyAndInBatchesIsReported() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>, {|KT0212:IHandleBatch<OrderPlaced>|}
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
            public ValueTask HandleAsync(MessageBatch<OrderPlaced> batch, CancellationToken cancellationToken) => default;
        }
        """,
        Messages);

    [Fact]
    public Task TypesThatCannotBeBatchedAreReported() => AnalyzerRunner.VerifyAsync(
        """
        public sealed class Plain { }

        [KafkaMessage] public sealed partial record Price([Field(1)] long Cents);

        [ReplicatedCache("prices")]
        public sealed partial class PriceCache : KafkaTyped.Cache.ReplicatedCache<string, Price>;

        [ConsumerGroup("billing")]
        public sealed partial class Billing : {|KT0213:IHandleBatch<Loose>|}, {|KT0213:IHandleBatch<Plain>|}, IHandle<OrderPlaced>
        {
            public ValueTask HandleAsync(MessageBatch<Loose> batch, CancellationToken cancellationToken) => default;
            public ValueTask HandleAsync(MessageBatch<Plain> batch, CancellationToken cancellationToken) => default;
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
        Messages);

    [Fact]
    public Task AGroupWithOnlyBatchHandlersIsNotEmptyAndTwoGroupClassesBatchingOneTypeAreDuplicates() => AnalyzerRunner.VerifyAsync(
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandleBatch<OrderPlaced>
        {
            public ValueTask HandleAsync(MessageBatch<OrderPlaced> batch, CancellationToken cancellationToken) => default;
        }

        [{|KT0204:ConsumerGroup("billing")|}]
        public sealed partial class MoreBilling : IHandle<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
        Messages);

    [Fact]
    public Task ABatchHandlerWithoutAGroupAndABlockingCallInABatchHandlerAreReported() => AnalyzerRunner.VerifyAsync(
        """
        public sealed class {|KT0209:Orphan|} : IHandleBatch<OrderPlaced>
        {
            public ValueTask HandleAsync(MessageBatch<OrderPlaced> batch, CancellationToken cancellationToken) => default;
        }

        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandleBatch<OrderPlaced>
        {
            public ValueTask HandleAsync(MessageBatch<OrderPlaced> batch, CancellationToken cancellationToken)
            {
                {|KT0207:Thread.Sleep(1)|};
                return default;
            }
        }
        """,
        Messages);
}
