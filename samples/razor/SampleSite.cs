using ImageProxy.AspNetCore;

namespace ImageProxy.Samples.Razor;

/// <summary>
/// Entry point of the sample site. A named class instead of top-level statements, so a test project can reference
/// both this site and the server (whose entry point is the global <c>Program</c>).
/// </summary>
public sealed class SampleSite
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRazorPages();
        // Base URL and signing token come from appsettings.json / ImageProxyClient__SecureToken, never from the views.
        builder.Services.AddImageProxyTagHelpers(builder.Configuration);
        var app = builder.Build();
        app.MapRazorPages();
        app.Run();
    }
}
