using Microsoft.Playwright;

namespace ImageProxy.Server.Tests;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, or $IMAGEPROXY_CHROMIUM) driven by Playwright, launched the one way every
/// browser test uses: headless, no sandbox, no GPU, no background network or updates. No browser is downloaded; a
/// missing Chromium follows the one skip rule (<see cref="RequiredService"/>).
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var executable = RequiredService.File(
            Environment.GetEnvironmentVariable("IMAGEPROXY_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            "Chromium (test.sh installs Debian's chromium; IMAGEPROXY_CHROMIUM names another)");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
