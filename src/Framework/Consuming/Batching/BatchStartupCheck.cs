using KafkaTyped.GeneratedCode;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Consuming.Batching;

/// <summary>
/// The checks of <see cref="BatchOptions"/> that need to know whether the group has batch handlers (the option ranges
/// are checked with the other options): run when the group's consumer starts, each failure naming its key.
/// </summary>
internal static class BatchStartupCheck
{
    public static void Validate(ConsumerGroupDispatcher dispatcher, ConsumerGroupOptions options)
    {
        if (dispatcher.BatchHandlerCount == 0)
        {
            return;
        }

        var group = dispatcher.GroupId;
        var section = ConsumerGroupOptionsSetup.SectionOf(group);
        var failures = new List<string>();
        if (options.Batch.MaxMessages > options.MaxBufferedPerPartition)
        {
            failures.Add($"{section}:Batch:MaxMessages ({options.Batch.MaxMessages}) is larger than {section}:MaxBufferedPerPartition ({options.MaxBufferedPerPartition}): the partition would pause before a batch fills. Lower Batch:MaxMessages or raise MaxBufferedPerPartition.");
        }

        if (options.Transactional)
        {
            failures.Add($"{section}:Transactional cannot be true for group '{group}': it has IHandleBatch<T> handlers, and batch handlers do not run inside transactions yet. Use IHandle<T> in a transactional group, or set Transactional to false.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(group, typeof(ConsumerGroupOptions), failures);
        }
    }
}
