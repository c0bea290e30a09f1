using System.Globalization;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

// Read-only views: schemas by id (their subjects and versions), the schema list, and who references a version.
internal sealed partial class SchemaRegistryCore
{
    /// <summary><c>GET /schemas</c>: every version (latest only on request) of the subjects with a prefix, ordered by subject and version.</summary>
    public List<SchemaResponseJson> GetSchemas(string subjectPrefix, bool includeDeleted, bool latestOnly, int offset, int limit)
    {
        lock (State.Gate)
        {
            var result = new List<SchemaResponseJson>();
            foreach (var (subject, versions) in State.Subjects.OrderBy(static p => p.Key, StringComparer.Ordinal))
            {
                if (!subject.StartsWith(subjectPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var visible = versions.Values.Where(v => includeDeleted || !v.Deleted).ToList();
                foreach (var stored in latestOnly ? visible.TakeLast(1) : visible)
                {
                    result.Add(ToResponse(stored, null));
                }
            }

            return Page(result, offset, limit);
        }
    }

    /// <summary><c>GET /schemas/ids/{id}/subjects</c>.</summary>
    public List<string> GetSubjectsOfId(int id, bool includeDeleted)
    {
        lock (State.Gate)
        {
            var subjects = UsesOf(id, includeDeleted).Select(static s => s.Subject).Distinct(StringComparer.Ordinal).ToList();
            return subjects.Count > 0 ? subjects : throw SchemaNotFound(id);
        }
    }

    /// <summary><c>GET /schemas/ids/{id}/versions</c>.</summary>
    public List<SubjectVersionJson> GetVersionsOfId(int id, bool includeDeleted)
    {
        lock (State.Gate)
        {
            var uses = UsesOf(id, includeDeleted).Select(static s => new SubjectVersionJson { Subject = s.Subject, Version = s.Version }).ToList();
            return uses.Count > 0 ? uses : throw SchemaNotFound(id);
        }
    }

    /// <summary><c>GET /subjects/{subject}/versions/{version}/referencedby</c>: ids of the live schemas that reference that version.</summary>
    public List<int> GetReferencedBy(string subject, string version, bool includeDeleted)
    {
        lock (State.Gate)
        {
            var target = FindVersion(subject, version, includeDeleted);
            return State.Subjects.Values
                .SelectMany(static v => v.Values)
                .Where(s => !s.Deleted && s.References.Any(r => r.Subject == target.Subject && r.Version == target.Version))
                .Select(static s => s.Id)
                .Distinct()
                .Order()
                .ToList();
        }
    }

    /// <summary><c>GET /subjects</c>, with Confluent's filters.</summary>
    public List<string> GetSubjects(string subjectPrefix, bool includeDeleted, bool deletedOnly)
    {
        lock (State.Gate)
        {
            return State.Subjects
                .Where(p => p.Key.StartsWith(subjectPrefix, StringComparison.Ordinal))
                .Where(p => deletedOnly ? p.Value.Values.All(static v => v.Deleted) : includeDeleted || p.Value.Values.Any(static v => !v.Deleted))
                .Select(static p => p.Key)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary><c>GET /subjects/{subject}/versions</c>, with Confluent's filters.</summary>
    public List<int> GetVersions(string subject, bool includeDeleted, bool deletedOnly)
    {
        lock (State.Gate)
        {
            var versions = ExistingSubject(subject, includeDeleted || deletedOnly);
            return versions.Values.Where(v => deletedOnly ? v.Deleted : includeDeleted || !v.Deleted).Select(static v => v.Version).ToList();
        }
    }

    private IEnumerable<StoredSchema> UsesOf(int id, bool includeDeleted) =>
        State.Subjects.OrderBy(static p => p.Key, StringComparer.Ordinal)
            .SelectMany(static p => p.Value.Values)
            .Where(s => s.Id == id && (includeDeleted || !s.Deleted));

    private static RegistryError SchemaNotFound(int id) =>
        new(404, SchemaRegistryException.SchemaNotFound, $"Schema {id.ToString(CultureInfo.InvariantCulture)} not found");

    private static List<T> Page<T>(List<T> items, int offset, int limit) =>
        offset <= 0 && limit < 0 ? items : items.Skip(Math.Max(offset, 0)).Take(limit < 0 ? int.MaxValue : limit).ToList();
}
