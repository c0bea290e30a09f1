using System.Text;

namespace KafkaTyped.IntegrationTests.Pipeline;

/// <summary>
/// Independent implementations of the partitioners the tests check placement against: Kafka's Java
/// <c>Utils.murmur2</c> (what librdkafka's <c>murmur2_random</c> reproduces) and zlib's CRC-32 (librdkafka's
/// <c>consistent_random</c>).
/// </summary>
public static class ReferencePartitioners
{
    private static readonly uint[] Crc32Table = BuildCrc32Table();

    /// <summary>Java's <c>Utils.murmur2</c>, as a signed int.</summary>
    public static int JavaMurmur2(byte[] data)
    {
        const uint Seed = 0x9747b28c;
        const uint M = 0x5bd1e995;
        const int R = 24;
        var length = data.Length;
        var h = Seed ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = (uint)(data[i * 4] | (data[(i * 4) + 1] << 8) | (data[(i * 4) + 2] << 16) | (data[(i * 4) + 3] << 24));
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }

        var tail = blocks * 4;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= M;
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return unchecked((int)h);
    }

    /// <summary>The Java client's partition for a UTF-8 key: <c>toPositive(murmur2(key)) % partitions</c>.</summary>
    public static int Murmur2Partition(string key, int partitions) => (JavaMurmur2(Encoding.UTF8.GetBytes(key)) & 0x7fffffff) % partitions;

    /// <summary>librdkafka's <c>consistent</c>/<c>consistent_random</c> partition for a non-empty key: <c>crc32(key) % partitions</c>.</summary>
    public static int Crc32Partition(string key, int partitions) => (int)(Crc32(Encoding.UTF8.GetBytes(key)) % (uint)partitions);

    public static uint Crc32(byte[] data)
    {
        var crc = 0xffffffffu;
        foreach (var b in data)
        {
            crc = Crc32Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        }

        return crc ^ 0xffffffffu;
    }

    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
