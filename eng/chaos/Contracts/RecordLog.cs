using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace KafkaTyped.Chaos;

/// <summary>What a <see cref="LogRecord"/> says.</summary>
public enum RecordKind
{
    /// <summary>An empty slot (claimed by a process killed before it wrote the record).</summary>
    None = 0,

    /// <summary>A handler returned for (Key, Seq) at Partition/Offset.</summary>
    Handled = 1,

    /// <summary>A handler attempt failed on purpose (a record marked Fail); Attempt says which.</summary>
    FailedAttempt = 2,

    /// <summary>The member was assigned Partition (log event 1102), before any record of that assignment was handled.</summary>
    Assigned = 10,

    /// <summary>The member's partitions were revoked (log event 1103); Seq is their count.</summary>
    Revoked = 11,

    /// <summary>The member lost its partitions (log event 1104, session expired); Seq is their count.</summary>
    Lost = 12,

    /// <summary>A replica applied a Set of cache key Key to the value of operation Seq.</summary>
    CacheSet = 20,

    /// <summary>A replica applied a delete of cache key Key.</summary>
    CacheDeleted = 21,

    /// <summary>A writer's SetAsync of operation Seq on cache key Key returned.</summary>
    WriterSet = 30,

    /// <summary>A writer's DeleteAsync of operation Seq on cache key Key returned.</summary>
    WriterDeleted = 31,
}

/// <summary>One fixed-size entry of a <see cref="RecordLog"/>.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct LogRecord
{
    public int Key;
    public int Seq;
    public int Partition;
    public int KindAndAttempt;
    public long Offset;

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>: CLOCK_MONOTONIC on Linux, one clock for every process of the machine.</summary>
    public long Timestamp;

    public readonly RecordKind Kind => (RecordKind)(KindAndAttempt & 0xFF);

    public readonly int Attempt => KindAndAttempt >> 8;

    public static LogRecord Create(RecordKind kind, int key, int seq, int partition, long offset, int attempt = 0) => new()
    {
        Key = key,
        Seq = seq,
        Partition = partition,
        KindAndAttempt = (int)kind | (attempt << 8),
        Offset = offset,
        Timestamp = System.Diagnostics.Stopwatch.GetTimestamp(),
    };
}

/// <summary>
/// An append-only log of <see cref="LogRecord"/>s in a memory-mapped file: what a chaos app did, written before the
/// handler (or write) returns. The pages belong to the kernel, so every record written survives a <c>kill -9</c> of the
/// process the moment the store is done, with no flush and no system call per record; lanes append concurrently.
/// </summary>
/// <remarks>The first 64 bytes hold the number of claimed slots. A slot claimed by a process killed before it wrote the
/// record stays zero (<see cref="RecordKind.None"/>) and is skipped by <see cref="ReadAll"/>.</remarks>
public sealed unsafe class RecordLog : IDisposable
{
    private const int HeaderSize = 64;
    private static readonly int RecordSize = sizeof(LogRecord);

    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* memory;
    private readonly long capacity;

    private RecordLog(string path, long capacity)
    {
        this.capacity = capacity;
        var length = HeaderSize + capacity * RecordSize;
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read))
        {
            stream.SetLength(length); // sparse: only the pages written take space
        }

        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, length, MemoryMappedFileAccess.ReadWrite);
        view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        memory = pointer + view.PointerOffset;
    }

    /// <summary>Creates a new log with room for <paramref name="capacity"/> records.</summary>
    public static RecordLog Create(string path, long capacity) => new(path, capacity);

    /// <summary>Appends a record; thread-safe.</summary>
    /// <exception cref="InvalidOperationException">The log is full.</exception>
    public void Append(in LogRecord record)
    {
        var slot = Interlocked.Increment(ref *(long*)memory) - 1;
        if (slot >= capacity)
        {
            throw new InvalidOperationException($"The record log is full ({capacity} records); give the app a larger --capacity.");
        }

        *(LogRecord*)(memory + HeaderSize + slot * RecordSize) = record;
    }

    /// <summary>The written records of a log, in the order their slots were claimed (a process's handling order).</summary>
    public static List<LogRecord> ReadAll(string path)
    {
        // Only the claimed part: the file is sparse and mostly unwritten.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var header = new byte[HeaderSize];
        stream.ReadExactly(header);
        var available = (stream.Length - HeaderSize) / RecordSize;
        var count = (int)Math.Min(BitConverter.ToInt64(header, 0), available);
        var bytes = new byte[(long)count * RecordSize];
        stream.ReadExactly(bytes);
        var records = new List<LogRecord>(count);
        foreach (var record in MemoryMarshal.Cast<byte, LogRecord>(bytes))
        {
            if (record.Kind != RecordKind.None)
            {
                records.Add(record);
            }
        }

        return records;
    }

    public void Dispose()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
