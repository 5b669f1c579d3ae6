using System.Diagnostics;

namespace ImageProxy.Server.Tests;

/// <summary>
/// The one polling assertion, for effects that land after the call returns (a background revalidation, a purge
/// heard over pub/sub, a file-watcher reload): re-checks the condition until it holds, or fails the test naming
/// what never happened. Real elapsed time bounds it; the deadline is generous because a shared CI machine is slow,
/// and a passing test returns as soon as the condition holds.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static Task That(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        That(() => Task.FromResult(condition()), what, timeout);

    /// <param name="condition">May act as well as look (send a request, publish again) before it answers.</param>
    /// <param name="details">Extra text for the failure message, evaluated only on failure (e.g. a server's output).</param>
    public static async Task That(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? details = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit)
            {
                Assert.Fail($"not within {limit.TotalSeconds:0.#} s: {what}{(details is null ? "" : "\n" + details())}");
            }

            await Task.Delay(Interval);
        }
    }
}
