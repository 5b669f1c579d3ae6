using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// Starts libvips once for the whole assembly with leak accounting on, and at the end checks that libvips' tracked
/// memory and allocations went back to where they started (every handle disposed, no pipeline left behind).
/// </summary>
[SetUpFixture]
public sealed class VipsSetUp
{
    private long _memoryAtStart;
    private int _allocationsAtStart;

    [OneTimeSetUp]
    public void Start()
    {
        VipsRuntime.Initialize();
        VipsRuntime.SetLeakTracking(true);
        _memoryAtStart = VipsRuntime.TrackedMemory;
        _allocationsAtStart = VipsRuntime.TrackedAllocations;
        TestContext.Progress.WriteLine(VipsRuntime.Describe());
    }

    [OneTimeTearDown]
    public void Stop()
    {
        // Anything a test forgot to dispose would be released by finalizers; collect first so the check sees only real leaks
        // (a finalizer-released handle is still a bug, but not a native one).
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var memory = VipsRuntime.TrackedMemory;
        var allocations = VipsRuntime.TrackedAllocations;
        TestContext.Progress.WriteLine(
            $"libvips tracked: memory {memory} B (start {_memoryAtStart}), allocations {allocations} (start {_allocationsAtStart}), " +
            $"high water {VipsRuntime.TrackedMemoryHighWater} B, files {VipsRuntime.TrackedFiles}, GLib messages {GLibLog.Count} (last: {GLibLog.LastMessage})");

        Assert.Multiple(() =>
        {
            Assert.That(memory - _memoryAtStart, Is.LessThanOrEqualTo(64 * 1024), "libvips tracked memory grew over the run");
            Assert.That(allocations - _allocationsAtStart, Is.LessThanOrEqualTo(4), "libvips tracked allocations grew over the run");
            Assert.That(VipsRuntime.TrackedFiles, Is.Zero, "libvips has files open");
        });
    }
}
