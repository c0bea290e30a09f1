using System.Collections;
using System.Reflection;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Testing;

/// <summary>Assertions over tracked incremental steps.</summary>
public static class Steps
{
    public static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason) : [];

    /// <summary>Every tracked step and output is Cached or Unchanged: nothing was recomputed into a different value.</summary>
    public static void AssertAllCached(GeneratorRunResult result)
    {
        foreach ((string name, var runs) in result.TrackedSteps.Where(s => Ours.Contains(s.Key)))
        {
            foreach (var run in runs)
            {
                foreach (var (_, reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} was {reason}");
                }
            }
        }

        foreach ((string name, var runs) in result.TrackedOutputSteps)
        {
            foreach (var run in runs)
            {
                foreach (var (_, reason) in run.Outputs)
                {
                    Assert.True(reason == IncrementalStepRunReason.Cached, $"output {name} was {reason}");
                }
            }
        }
    }

    /// <summary>The generator's own named steps (Roslyn tracks some internal ones too).</summary>
    public static readonly HashSet<string> Ours = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetValue(null)!)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly Type[] Forbidden = [typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Location), typeof(Diagnostic)];

    /// <summary>No Roslyn object is reachable from any tracked step's output value.</summary>
    public static void AssertNoRoslynObjects(GeneratorRunResult result)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach ((string name, var runs) in result.TrackedSteps.Where(s => Ours.Contains(s.Key)))
        {
            foreach (var run in runs)
            {
                foreach (var (value, _) in run.Outputs)
                {
                    Walk(value, name, visited);
                }
            }
        }
    }

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type}");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                Walk(item, $"{path}[{i++}]", visited);
            }
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(f.GetValue(value), $"{path}.{f.Name}", visited);
            }
        }
    }
}
