using System.Diagnostics;
using ImageProxy.Imaging;
using ImageProxy.Imaging.Faces;
using ImageProxy.Transform;

/// <summary>The extra CPU of crop=faces over a plain crop, through PlanExecutor.Render (decode, crop, JPEG encode).</summary>
internal static class CropCost
{
    public static void Run(string[] images)
    {
        const int repeats = 20;
        var plain = Plan("fit=crop&w=400&h=300&fm=jpg");
        var faces = Plan("fit=crop&crop=faces&w=400&h=300&fm=jpg");
        var jpeg = new FormatDecision(ImageFormat.Jpeg, false);
        using var warm = new FaceFinder();

        Console.WriteLine("| Source | plain crop ms | crop=faces, detecting ms | crop=faces, boxes cached ms | detection alone ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var path in images)
        {
            var bytes = File.ReadAllBytes(path);
            var detector = FaceDetector.LoadDefault();
            var finders = Enumerable.Range(0, repeats).Select(_ => new FaceFinder(() => detector)).ToList();
            PlanExecutor.Render(bytes, plain, jpeg, Limits.Default, EncoderSettings.Default, null);
            PlanExecutor.Render(bytes, faces, jpeg, Limits.Default, EncoderSettings.Default, warm);
            _ = finders.Select(f => f.LoadError).ToList();

            var plainMs = Cpu(repeats, _ => PlanExecutor.Render(bytes, plain, jpeg, Limits.Default, EncoderSettings.Default, null));
            var freshMs = Cpu(repeats, i => PlanExecutor.Render(bytes, faces, jpeg, Limits.Default, EncoderSettings.Default, finders[i]));
            var cachedMs = Cpu(repeats, _ => PlanExecutor.Render(bytes, faces, jpeg, Limits.Default, EncoderSettings.Default, warm));
            var detectMs = Cpu(repeats, _ => detector.Detect(bytes));
            Console.WriteLine($"| {Path.GetFileName(path)} | {plainMs:0.0} | {freshMs:0.0} | {cachedMs:0.0} | {detectMs:0.0} |");
        }
    }

    /// <summary>libvips is chosen before anything touches NetVips (Program's own code does, as soon as Main is compiled).</summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void ChooseLibvips() => VipsRuntime.Initialize();

    public static void RenderOne(string query, string input, string output)
    {
        using var faces = new FaceFinder();
        var plan = Plan(query);
        var format = FormatChoice.Choose(plan, null, VipsRuntime.CanSave).Value!;
        File.WriteAllBytes(output, PlanExecutor.Render(File.ReadAllBytes(input), plan, format, Limits.Default, EncoderSettings.Default, faces).Bytes);
    }

    private static TransformPlan Plan(string query) => PlanBuilder.Build(RequestParser.Parse(query).Value!).Value!;

    private static double Cpu(int repeats, Action<int> run)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < repeats; i++)
        {
            run(i);
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / repeats;
    }
}
