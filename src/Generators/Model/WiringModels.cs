using KafkaTyped.Roslyn;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Generators.Model
{
    /// <summary>One member of a producer: the record type, its message-index constant and its key expression.</summary>
    /// <remarks>Plain strings, compared by value.</remarks>
    internal sealed record ProducerMemberModel(string FullTypeName, string IndexExpression, string KeyTypeName, string KeyExpression);

    /// <summary>The typed producer of one <c>[Topic]</c> interface.</summary>
    /// <remarks>Plain data only (no symbols); equal when every part is equal, so unrelated edits leave it unchanged.</remarks>
    internal sealed record ProducerModel(
        string Namespace,
        string InterfaceName,
        string ClassName,
        string SetInterfaceFullName,
        string SetClassFullName,
        bool IsPublic,
        string Topic,
        EquatableArray<ProducerMemberModel> Members)
    {
        public string FullInterfaceName => "global::" + (Namespace.Length == 0 ? string.Empty : Namespace + ".") + InterfaceName;

        public string FullClassName => "global::" + (Namespace.Length == 0 ? string.Empty : Namespace + ".") + ClassName;

        public static ProducerModel Build(SetModel set, EquatableArray<MessageModel> members)
        {
            // The set class is {BaseName}Set, already a valid identifier (a keyword-named interface gives "recordSet").
            string baseName = set.ClassName.Substring(0, set.ClassName.Length - "Set".Length);
            return new ProducerModel(
                set.Namespace,
                "I" + baseName + "Producer",
                baseName + "Producer",
                "global::" + set.InterfaceFullName.Replace("global::", string.Empty),
                set.FullClassName,
                set.IsPublic && members.All(m => m.IsPublic),
                set.Topic,
                new EquatableArray<ProducerMemberModel>(members.Select(m => new ProducerMemberModel(
                    "global::" + m.FullTypeName.Replace("global::", string.Empty),
                    set.FullClassName + "." + m.ProtoName + "Index",
                    KeyTypeName(m),
                    KeyExpression(m)))));
        }

        private static bool HasKey(MessageModel m) => m.KeyKind != KeyKind.None && m.KeyFieldIndex >= 0;

        // The key type of the member's MessageSender: the [Key] property's type, or Confluent's Null without a key.
        private static string KeyTypeName(MessageModel m)
        {
            if (!HasKey(m))
            {
                return "global::Confluent.Kafka.Null";
            }

            return m.KeyKind switch
            {
                KeyKind.String => "string",
                KeyKind.Int32 => "int",
                KeyKind.Int64 => "long",
                _ => "global::System.Guid",
            };
        }

        // Read from a message the generated method already checked for null; a string key may be null (a null Kafka key).
        private static string KeyExpression(MessageModel m)
        {
            if (!HasKey(m))
            {
                return "null!";
            }

            string property = "message." + m.Fields[m.KeyFieldIndex].PropertyName;
            return m.KeyKind == KeyKind.String ? property + "!" : property;
        }
    }

    /// <summary>Everything the assembly's <c>AddKafkaTyped</c> registers, sorted by name and deduplicated.</summary>
    /// <remarks>Plain strings, compared by value.</remarks>
    internal sealed record WiringModel(
        string AssemblyName,
        EquatableArray<ProducerRegistration> Producers,
        EquatableArray<ConsumerRegistration> Consumers,
        EquatableArray<CacheRegistration> Caches,
        EquatableArray<TopicProducerModel> TopicOptions = default)
    {
        public static WiringModel Build(string? assemblyName, IEnumerable<ProducerModel> producers, IEnumerable<ConsumerGroupModel> groups, IEnumerable<CacheModel> caches, IEnumerable<TopicProducerModel>? topicOptions = null) =>
            new WiringModel(
                assemblyName ?? string.Empty,
                new EquatableArray<ProducerRegistration>(producers.Select(p => new ProducerRegistration(p.FullInterfaceName, p.FullClassName))
                    .Distinct().OrderBy(p => p.Class, StringComparer.Ordinal)),
                new EquatableArray<ConsumerRegistration>(groups.Select(g => new ConsumerRegistration(g.HandlerFullName, g.DispatcherFullName))
                    .Distinct().OrderBy(g => g.Dispatcher, StringComparer.Ordinal)),
                new EquatableArray<CacheRegistration>(caches.Select(c => new CacheRegistration(c.FullName, c.KeyType, c.ValueType))
                    .Distinct().OrderBy(c => c.Cache, StringComparer.Ordinal)),
                new EquatableArray<TopicProducerModel>((topicOptions ?? Enumerable.Empty<TopicProducerModel>())
                    .Distinct().OrderBy(t => t.Topic, StringComparer.Ordinal)));

        public bool IsEmpty => Producers.Count == 0 && Consumers.Count == 0 && Caches.Count == 0;
    }

    /// <summary>What the generator needs to know about the compilation, reduced to equatable values.</summary>
    internal sealed record CompilationFacts(string AssemblyName, bool HasHosting);

    internal sealed record ProducerRegistration(string Interface, string Class);

    internal sealed record ConsumerRegistration(string Handler, string Dispatcher);

    internal sealed record CacheRegistration(string Cache, string Key, string Value);
}
