using System.Text.RegularExpressions;
using KafkaTyped.Chaos;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Chaos.Consumer;

/// <summary>
/// Watches the consumer group's log events, as an operator's log pipeline would: assignments, revocations and losses
/// go into the record log (so the checker knows where a key may legitimately go back), and the settings the consumer
/// started with and anything fatal go to standard output for the runner.
/// </summary>
internal sealed partial class GroupEvents(RecordLog log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("KafkaTyped", StringComparison.Ordinal) ? new Watcher(log) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    [GeneratedRegex(@"\[\[(\d+)\]\]")]
    private static partial Regex PartitionNumber();

    private sealed class Watcher(RecordLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            switch (eventId.Id)
            {
                case 1004: // joining another process's embedded cluster
                    ChaosApp.Say("JOINED " + formatter(state, exception));
                    break;
                case 1100: // starting, with the effective settings
                    ChaosApp.Say("SETTINGS " + Value(state, "Settings"));
                    break;
                case 1102:
                    var partitions = new List<int>();
                    foreach (Match match in PartitionNumber().Matches(Value(state, "Partitions")))
                    {
                        var partition = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                        partitions.Add(partition);
                        log.Append(LogRecord.Create(RecordKind.Assigned, -1, 0, partition, -1));
                    }

                    ChaosApp.Say($"ASSIGNED {partitions.Count}");
                    break;
                case 1103:
                    log.Append(LogRecord.Create(RecordKind.Revoked, -1, int.Parse(Value(state, "Count"), System.Globalization.CultureInfo.InvariantCulture), -1, -1));
                    ChaosApp.Say("REVOKED " + Value(state, "Count"));
                    break;
                case 1104:
                    log.Append(LogRecord.Create(RecordKind.Lost, -1, int.Parse(Value(state, "Count"), System.Globalization.CultureInfo.InvariantCulture), -1, -1));
                    ChaosApp.Say("LOST " + Value(state, "Count"));
                    break;
                case 1112:
                    ChaosApp.Say("FATAL " + formatter(state, exception).ReplaceLineEndings(" ") + " " + exception?.Message.ReplaceLineEndings(" "));
                    break;
                case 1107 or 1108:
                    break; // the records that fail on purpose: counted by the checker from the record log
                default:
                    if (logLevel >= LogLevel.Warning)
                    {
                        ChaosApp.Say($"WARN [{eventId.Id}] {formatter(state, exception).ReplaceLineEndings(" ")}{(exception is null ? "" : " (" + exception.GetType().Name + ": " + exception.Message.ReplaceLineEndings(" ") + ")")}");
                    }

                    break;
            }
        }

        private static string Value<TState>(TState state, string name)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == name)
                    {
                        return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    }
                }
            }

            return string.Empty;
        }
    }
}
