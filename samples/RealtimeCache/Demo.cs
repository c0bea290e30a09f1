using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace RealtimeCache;

/// <summary>
/// The walk-through <c>./run.sh</c> shows: instance-1 hosts the embedded Kafka cluster and Schema Registry, instance-2
/// and instance-3 are separate processes that join it; writes made in any instance appear in all; instance-3 restarts
/// and rebuilds the same state from the topic.
/// </summary>
internal static class Demo
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] configuration, CancellationToken cancellationToken)
    {
        await using var host = await CacheInstance.StartAsync("instance-1", configuration, LogLevel.Warning, cancellationToken);
        Console.WriteLine($"instance-1 (pid {Environment.ProcessId}) hosts the embedded Kafka cluster at {host.BootstrapServers} and the Schema Registry at {host.RegistryUrl}");
        Console.WriteLine($"librdkafka {KafkaTyped.Embedded.Native.KafkaNativeLibrary.Version} loaded from {KafkaTyped.Embedded.Native.KafkaNativeLibrary.LoadedFrom}");

        // The bootstrap list is all a joining process needs: it recognises the embedded cluster (and applies its client
        // tuning) and finds the embedded Schema Registry that instance-1 serves.
        var join = new[] { $"--KafkaTyped:BootstrapServers={host.BootstrapServers}" };
        var second = Child.Start("instance-2", join);
        var third = Child.Start("instance-3", join);
        try
        {
            await second.WaitForAsync("READY", cancellationToken);
            await third.WaitForAsync("READY", cancellationToken);

            Step("instance-1 writes three prices");
            foreach (var command in new[] { "set apple 0.45", "set pear 0.60", "set plum 0.30" })
            {
                await host.ExecuteAsync(command, Console.Out, cancellationToken);
            }

            Step("instance-2 raises the apple price; instance-3 deletes plum");
            await second.SendAsync("set apple 0.49");
            await second.WaitForAsync("set apple", cancellationToken);
            await third.SendAsync("del plum");
            await third.WaitForAsync("deleted plum", cancellationToken);

            if (!await ConvergeAsync(host, [second, third], cancellationToken))
            {
                return 1;
            }

            Step("instance-3 restarts and rebuilds its replica from the topic");
            await third.StopAsync();
            third = Child.Start("instance-3", join);
            await third.WaitForAsync("READY", cancellationToken);
            if (!await ConvergeAsync(host, [second, third], cancellationToken))
            {
                return 1;
            }

            Console.WriteLine();
            Console.WriteLine("All three instances hold the same prices. Try it by hand: see this project's README.md.");
            return 0;
        }
        finally
        {
            await second.StopAsync();
            await third.StopAsync();
        }
    }

    private static void Step(string what)
    {
        Console.WriteLine();
        Console.WriteLine($"== {what}");
    }

    private static async Task<bool> ConvergeAsync(CacheInstance host, Child[] children, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var expected = host.View();
            var views = new List<string> { $"instance-1: {expected}" };
            var agree = true;
            foreach (var child in children)
            {
                var view = await child.ShowAsync(cancellationToken);
                views.Add($"{child.Name}: {view}");
                agree &= view == expected;
            }

            if (agree)
            {
                Console.WriteLine("views:");
                views.ForEach(v => Console.WriteLine($"  {v}"));
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        Console.Error.WriteLine("The instances did not converge.");
        return false;
    }

    /// <summary>Another instance of this sample in its own process, driven through its console.</summary>
    private sealed class Child
    {
        private readonly Process process;
        private readonly BlockingCollection<string> lines = [];

        private Child(string name, Process process)
        {
            Name = name;
            this.process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                if (!e.Data.StartsWith("STATE ", StringComparison.Ordinal))
                {
                    Console.WriteLine($"    {e.Data}");
                }

                lines.Add(e.Data);
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.Error.WriteLine($"    {name}: {e.Data}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }

        public static Child Start(string name, string[] configuration)
        {
            // Run this same program again: through the dotnet host for a framework-dependent dll, or directly.
            var self = Environment.ProcessPath!;
            var start = Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? new ProcessStartInfo(self) { ArgumentList = { "exec", typeof(Demo).Assembly.Location } }
                : new ProcessStartInfo(self);
            start.ArgumentList.Add("child");
            foreach (var setting in configuration)
            {
                start.ArgumentList.Add(setting);
            }

            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            start.Environment["REALTIME_CACHE_INSTANCE"] = name;
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
            Console.WriteLine($"started {name} (pid {process.Id})");
            return new Child(name, process);
        }

        public Task SendAsync(string command) => process.StandardInput.WriteLineAsync(command);

        public async Task<string> WaitForAsync(string prefix, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Patience);
            return await Task.Run(() =>
            {
                foreach (var line in lines.GetConsumingEnumerable(timeout.Token))
                {
                    if (line.StartsWith(prefix, StringComparison.Ordinal) || line.Contains($"] {prefix}", StringComparison.Ordinal))
                    {
                        return line;
                    }
                }

                throw new InvalidOperationException($"{Name} ended before saying '{prefix}'");
            }, timeout.Token);
        }

        public async Task<string> ShowAsync(CancellationToken cancellationToken)
        {
            await SendAsync("show");
            var line = await WaitForAsync($"STATE {Name}: ", cancellationToken);
            return line[$"STATE {Name}: ".Length..];
        }

        public async Task StopAsync()
        {
            if (process.HasExited)
            {
                return;
            }

            try
            {
                await SendAsync("quit");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or IOException)
            {
                process.Kill(entireProcessTree: true);
            }

            lines.CompleteAdding();
        }
    }
}
