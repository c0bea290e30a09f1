using ScottPlot;

namespace KafkaTyped.Peers;

/// <summary>PNG and SVG charts for docs/performance/ (ScottPlot).</summary>
internal static class Charts
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>One group of bars per category, one bar (colour) per series.</summary>
    public static void GroupedBars(string path, string title, string unit, List<(string Group, string Series, double Value)> data)
    {
        var groups = data.Select(d => d.Group).Distinct().ToArray();
        var series = data.Select(d => d.Series).Distinct().ToArray();
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var g = 0; g < groups.Length; g++)
        {
            for (var s = 0; s < series.Length; s++)
            {
                var point = data.FirstOrDefault(d => d.Group == groups[g] && d.Series == series[s]);
                if (point.Series is null)
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = (g * (series.Length + 1)) + s,
                    Value = point.Value,
                    FillColor = Palette.GetColor(s),
                    Label = point.Value >= 1000 ? $"{point.Value / 1000:F0}k" : $"{point.Value:F1}",
                });
            }
        }

        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = 11;
        for (var s = 0; s < series.Length; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = Palette.GetColor(s) });
        }

        var ticks = groups.Select((g, i) => new Tick((i * (series.Length + 1)) + ((series.Length - 1) / 2.0), g)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Title(title);
        plot.YLabel(unit);
        plot.ShowLegend(Edge.Bottom);
        Save(plot, path, 900, 520);
    }

    /// <summary>Handled msg/s against the handlers allowed in flight, with each series' limit (in flight ÷ latency) dashed.</summary>
    public static void LaneScaling(string path, List<(string Series, double Concurrency, double Rate, double Limit)> data)
    {
        var plot = new Plot();
        var names = data.Select(d => d.Series).Distinct().ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            var points = data.Where(d => d.Series == names[i]).OrderBy(d => d.Concurrency).ToArray();
            var xs = points.Select(p => Math.Log2(p.Concurrency)).ToArray();
            var measured = plot.Add.Scatter(xs, points.Select(p => p.Rate).ToArray(), Palette.GetColor(i));
            measured.LegendText = names[i];
            measured.MarkerSize = 8;
            var limit = plot.Add.Scatter(xs, points.Select(p => p.Limit).ToArray(), Palette.GetColor(i));
            limit.LegendText = $"{names[i]}: limit";
            limit.LinePattern = LinePattern.Dashed;
            limit.MarkerSize = 0;
        }

        var concurrencies = data.Select(d => d.Concurrency).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(concurrencies.Select(c => new Tick(Math.Log2(c), c.ToString("0", System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        plot.Title("I/O-bound handlers (each awaits Task.Delay(1)): handled msg/s and limit");
        plot.XLabel("handlers allowed in flight (log scale)");
        plot.YLabel("msg/s");
        plot.ShowLegend(Edge.Bottom);
        Save(plot, path, 900, 600);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        plot.SavePng(path + ".png", width, height);
        plot.SaveSvg(path + ".svg", width, height);
        Console.WriteLine($"# chart: {path}.png, {path}.svg");
    }
}
