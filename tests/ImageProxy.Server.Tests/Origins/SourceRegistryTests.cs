using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins;

public sealed class SourceRegistryTests
{
    private sealed class NullOrigin : IOrigin
    {
        public Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
            => Task.FromResult(OriginResult.NotFound);
    }

    private static ImageSource Source(string name, string prefix) => new(
        new SourceDefinition(name, prefix, new FolderSourceSettings("/tmp")) { CacheMaxAge = 60 },
        new NullOrigin());

    private static readonly SourceRegistry Registry = new([
        Source("images", "/img"),
        Source("thumbs", "/img/thumbs"),
        Source("imagesLong", "/images"),
    ]);

    [TestCase("/img/a.jpg", "images", "a.jpg")]
    [TestCase("/img/thumbs/a.jpg", "thumbs", "a.jpg")]
    [TestCase("/img/thumbsx/a.jpg", "images", "thumbsx/a.jpg")]
    [TestCase("/images/a.jpg", "imagesLong", "a.jpg")]
    [TestCase("/img/thumbs", "thumbs", "")]
    [TestCase("/img/dir/cat%20dog.jpg", "images", "dir/cat%20dog.jpg")]
    public void The_longest_prefix_on_a_segment_boundary_wins(string path, string expectedSource, string expectedRawKey)
    {
        var route = Registry.Route(path);

        Assert.That(route, Is.Not.Null);
        Assert.That(route!.Source.Name, Is.EqualTo(expectedSource));
        Assert.That(route.RawKey, Is.EqualTo(expectedRawKey));
    }

    [TestCase("/imgx/a.jpg")]
    [TestCase("/im/a.jpg")]
    [TestCase("/other/img/a.jpg")]
    [TestCase("/IMG/a.jpg")]
    [TestCase("/_imageproxy/health/live")]
    public void Paths_without_a_matching_prefix_have_no_route(string path)
    {
        Assert.That(Registry.Route(path), Is.Null);
    }

    [Test]
    public void A_root_prefix_catches_what_no_longer_prefix_took()
    {
        var registry = new SourceRegistry([Source("all", "/"), Source("images", "/img")]);

        Assert.Multiple(() =>
        {
            Assert.That(registry.Route("/img/a.jpg")!.Source.Name, Is.EqualTo("images"));
            Assert.That(registry.Route("/other/a.jpg")!.Source.Name, Is.EqualTo("all"));
            Assert.That(registry.Route("/other/a.jpg")!.RawKey, Is.EqualTo("other/a.jpg"));
            Assert.That(registry.Route("/_imageproxy/purge"), Is.Null, "the reserved prefix is never a source's");
        });
    }

    [Test]
    public void Every_replace_starts_a_new_generation_that_its_routes_carry()
    {
        var registry = new SourceRegistry([Source("images", "/img")]);
        var before = registry.Route("/img/a.jpg")!;
        var old = registry.Replace([Source("images", "/img"), Source("all", "/")]);
        var after = registry.Route("/img/a.jpg")!;

        Assert.Multiple(() =>
        {
            Assert.That(old.Select(s => s.Name), Is.EqualTo(new[] { "images" }));
            Assert.That(before.Generation, Is.Zero);
            Assert.That(after.Generation, Is.EqualTo(1));
            Assert.That(registry.Generation, Is.EqualTo(after.Generation));
            Assert.That(registry.Route("/other/a.jpg")!.Source.Name, Is.EqualTo("all"));
        });
    }
}
