using System.Diagnostics;
using ImageProxy.Imaging;
using ImageProxy.Transform;

// render-cpu WORKLOAD N: renders the shared harness's sources for W1–W4 round-robin on one thread, WARM passes first
// (env, default 3), then N timed renders; prints workload, CPU ms and wall ms per render, output bytes of one pass,
// gen-2 GCs during the timed renders, libvips version and file. libvips is chosen as the server does
// ($IMAGEPROXY_LIBVIPS or the default). Env BENCH: the harness folder (default ../shared/bench from the repository root).
if (args.Length != 2 || !int.TryParse(args[1], out var n) || n <= 0)
{
    Console.Error.WriteLine("usage: render-cpu W1|W2|W3|W4 N");
    return 2;
}

var workload = args[0];
var bench = Environment.GetEnvironmentVariable("BENCH") ?? Path.GetFullPath("../shared/bench");
var corpus = Path.GetFullPath(Path.Combine(bench, "..", "corpus"));
var list = Path.Combine(bench, "workloads", workload == "W4" ? "alpha-public.txt" : "photos-public.txt");
var sources = File.ReadLines(list)
    .Select(line => line.Trim())
    .Where(line => line.Length > 0 && line[0] != '#')
    .Select(line => File.ReadAllBytes(Path.Combine(corpus, line)))
    .ToArray();

// The harness's queries: W1 ?w=400&fm=webp&q=75, W2 ?w=400&fm=avif&q=50, W3 ?w=400&fm=jpg&q=75, W4 ?w=300&fm=webp&q=75.
var (width, format, quality) = workload switch
{
    "W1" => (400, ImageFormat.WebP, 75),
    "W2" => (400, ImageFormat.Avif, 50),
    "W3" => (400, ImageFormat.Jpeg, 75),
    "W4" => (300, ImageFormat.WebP, 75),
    _ => throw new ArgumentException($"unknown workload {workload}"),
};
var plan = TransformPlan.Default with { Width = SizeValue.Pixels(width), Quality = quality };
var decision = new FormatDecision(format, AcceptMattered: false);

VipsRuntime.Initialize();
long bytes = 0;
var warm = int.Parse(Environment.GetEnvironmentVariable("WARM") ?? "3");
for (var pass = 0; pass < warm; pass++)
{
    bytes = sources.Sum(s => (long)PlanExecutor.Render(s, plan, decision, Limits.Default).Bytes.Length);
}

var process = Process.GetCurrentProcess();
var gen2 = GC.CollectionCount(2);
var cpu = process.TotalProcessorTime;
var wall = Stopwatch.StartNew();
for (var i = 0; i < n; i++)
{
    PlanExecutor.Render(sources[i % sources.Length], plan, decision, Limits.Default);
}

wall.Stop();
process.Refresh();
var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / n;
Console.WriteLine(FormattableString.Invariant(
    $"{workload}\t{cpuMs:F2}\t{wall.Elapsed.TotalMilliseconds / n:F2}\t{bytes}\t{GC.CollectionCount(2) - gen2}\t{VipsRuntime.Version}\t{VipsRuntime.LibraryPath}"));
return 0;
