using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Benchmarks.Consuming;

// A real [ConsumerGroup] of this assembly: InterceptBenchHandlerDispatcher below is the generator's output.
[Topic("bench-intercepted", Partitions = 1)]
public partial interface IInterceptBench;

[KafkaMessage]
public sealed partial record InterceptedTick([Field(1)] long Sequence, [Field(2)] string Payload) : IInterceptBench;

[ConsumerGroup("bench-intercepted")]
public sealed partial class InterceptBenchHandler : IHandle<InterceptedTick>
{
    public ValueTask HandleAsync(InterceptedTick message, MessageContext context, CancellationToken cancellationToken) => default;
}

/// <summary>A pass-through interceptor: the cost of the pipeline itself.</summary>
public sealed class PassThroughInterceptor<TMessage> : IConsumeInterceptor<TMessage>
    where TMessage : class
{
    public ValueTask InterceptAsync(TMessage message, MessageContext context, ConsumeNext<TMessage> next, CancellationToken cancellationToken) =>
        next.InvokeAsync(message, context, cancellationToken);
}

/// <summary>
/// One record through a generated dispatcher (read the framing, parse, resolve the singleton handler, call it): main's
/// generated shape (no interceptor support) against this branch's generated dispatcher with no interceptor registered
/// and with one pass-through interceptor. With none registered the only difference is a null check of a field.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class InterceptorBenchmarks
{
    private ConsumeResult<byte[], byte[]> record = null!;
    private MessageContext context;
    private ServiceProvider services = null!;
    private ConsumerGroupDispatcher mainPath = null!;
    private ConsumerGroupDispatcher none = null!;
    private ConsumerGroupDispatcher one = null!;

    [GlobalSetup]
    public void Setup()
    {
        var codec = new ConfluentFramingWithoutRegistry();
        var message = new InterceptedTick(42, new string('x', 80));
        var headerLength = codec.GetHeaderLength(InterceptBenchSet.Instance, InterceptBenchSet.InterceptedTickIndex);
        var value = new byte[headerLength + message.CalculateSize()];
        codec.WriteHeader(InterceptBenchSet.Instance, InterceptBenchSet.InterceptedTickIndex, value.AsSpan(0, headerLength));
        message.WriteTo(value.AsSpan(headerLength));
        record = new ConsumeResult<byte[], byte[]>
        {
            Topic = InterceptBenchSet.Instance.Topic,
            Partition = 0,
            Offset = 42,
            Message = new Message<byte[], byte[]> { Key = null!, Value = value, Timestamp = new Timestamp(DateTime.UtcNow) },
        };
        context = new MessageContext(record.Topic, 0, 42, default, null, DateTimeOffset.UtcNow, 1, "bench-intercepted");

        services = new ServiceCollection()
            .AddSingleton<InterceptBenchHandler>()
            .AddConsumeInterceptor(typeof(PassThroughInterceptor<>))
            .BuildServiceProvider();
        mainPath = new MainGeneratedDispatcher(codec);
        none = new InterceptBenchHandlerDispatcher(codec, interceptors: null);
        one = new InterceptBenchHandlerDispatcher(codec, services.GetRequiredService<InterceptorRegistry>());
    }

    [GlobalCleanup]
    public void Cleanup() => services.Dispose();

    [Benchmark(Baseline = true, Description = "main's generated dispatch (no interceptor support)")]
    public bool MainPath() => mainPath.DispatchAsync(record, context, services, CancellationToken.None).IsCompletedSuccessfully;

    [Benchmark(Description = "generated dispatch, no interceptor registered")]
    public bool NoInterceptor() => none.DispatchAsync(record, context, services, CancellationToken.None).IsCompletedSuccessfully;

    [Benchmark(Description = "generated dispatch, one interceptor (singleton, pass-through)")]
    public bool OneInterceptor() => one.DispatchAsync(record, context, services, CancellationToken.None).IsCompletedSuccessfully;

    /// <summary>What the generator emitted for this group on main: the handler called straight from the switch.</summary>
    private sealed class MainGeneratedDispatcher(IPayloadCodec codec) : ConsumerGroupDispatcher(codec)
    {
        private static readonly MessageSetDefinition[] Sets = [InterceptBenchSet.Instance];

        public override string GroupId => "bench-intercepted";

        public override IReadOnlyList<MessageSetDefinition> Topics => Sets;

        public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
        {
            var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
            switch (topicIndex)
            {
                case 0:
                    switch (messageIndex)
                    {
                        case InterceptBenchSet.InterceptedTickIndex:
                            return ((IHandle<InterceptedTick>)services.GetRequiredService<InterceptBenchHandler>())
                                .HandleAsync(Parse(InterceptedTick.Parser, payload, record), context, cancellationToken);
                    }

                    break;
            }

            return Unhandled(record, topicIndex, messageIndex);
        }
    }
}
