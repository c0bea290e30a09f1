using KafkaTyped.GeneratedCode;
namespace KafkaTyped.Protobuf.Tests;

/// <summary>
/// The checked-in Protos/**/*.proto are what protoc compiles into the reference classes; they must be exactly the text the
/// generator emits. Run with KAFKATYPED_UPDATE_BASELINES=1 to rewrite them after an intended change.
/// </summary>
public sealed class ProtoTextTests
{
    public static TheoryData<string> FileNames()
    {
        var data = new TheoryData<string>();
        foreach (ProtoFile f in SampleFiles.All)
        {
            data.Add(f.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public void Generated_text_equals_the_file_protoc_compiles(string name)
    {
        ProtoFile file = SampleFiles.All.Single(f => f.Name == name);
        string path = Path.Combine(SampleFiles.ProtosDirectory(), name);
        if (SampleFiles.Update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Text);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with KAFKATYPED_UPDATE_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), file.Text);
    }
}
