using System.Text;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// The folder origin must never read outside its root. Every escape attempt targets a real file
/// ("secret.png", next to the root) so that a broken check would show up as Ok instead of NotFound.
/// </summary>
public sealed class FolderOriginTests
{
    private static readonly byte[] Inside = Encoding.ASCII.GetBytes("inside");
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("secret");
    private string _parent = null!;
    private string _root = null!;

    [SetUp]
    public void CreateTree()
    {
        _parent = Directory.CreateTempSubdirectory("imageproxy-folder-").FullName;
        _root = Path.Combine(_parent, "root");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllBytes(Path.Combine(_root, "photo.png"), Inside);
        File.WriteAllBytes(Path.Combine(_root, "sub", "nested.png"), Inside);
        File.WriteAllBytes(Path.Combine(_root, "cat and dog.png"), Inside);
        File.WriteAllBytes(Path.Combine(_parent, "secret.png"), Secret);
    }

    [TearDown]
    public void DeleteTree() => Directory.Delete(_parent, recursive: true);

    private FolderOrigin Origin(long maxBytes = 1024) => new(_root, maxBytes);

    private Task<OriginResult> Fetch(string key, OriginValidators? validators = null)
        => Origin().FetchAsync(key, validators ?? OriginValidators.None, CancellationToken.None);

    [TestCase("photo.png")]
    [TestCase("sub/nested.png")]
    [TestCase("cat and dog.png")]
    public async Task Files_inside_the_root_are_served_with_validators(string key)
    {
        var result = await Fetch(key);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok));
            Assert.That(result.Bytes, Is.EqualTo(Inside));
            Assert.That(result.ETag, Does.StartWith("\"").And.EndWith("\""));
            Assert.That(result.LastModified, Is.Not.Null);
            Assert.That(result.Validator, Is.Not.Null);
        });
    }

    [TestCase("../secret.png")]
    [TestCase("sub/../../secret.png")]
    [TestCase("..\\secret.png")]
    [TestCase("sub\\..\\..\\secret.png")]
    [TestCase("photo.png\0")]
    [TestCase("../secret.png\0.png")]
    [TestCase("")]
    [TestCase("sub")]
    [TestCase("missing.png")]
    public async Task Escapes_and_missing_files_are_not_found(string key)
    {
        var result = await Fetch(key);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [Test]
    public async Task An_absolute_path_is_not_found_even_when_it_names_a_real_file()
    {
        var result = await Fetch(Path.Combine(_parent, "secret.png"));

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [TestCase("%2e%2e/secret.png")]
    [TestCase("%2E%2E%2Fsecret.png")]
    [TestCase("sub%2F..%2F..%2Fsecret.png")]
    [TestCase("..%5Csecret.png")]
    [TestCase("%2e%2e%00/secret.png")]
    public async Task Encoded_escapes_decoded_once_are_refused_before_reaching_the_disk(string rawKey)
    {
        // Two independent walls: the endpoint's one decode refuses the key, and the folder origin, handed the
        // decoded text directly (as if that check were gone), still serves nothing outside its root.
        Assert.That(ObjectKey.TryDecode(rawKey, out _), Is.False, "ObjectKey accepted an escaping key");

        var decoded = Uri.UnescapeDataString(rawKey);
        var result = await Fetch(decoded);
        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound), $"decoded key '{decoded}' reached a file");
    }

    [Test]
    public async Task A_symlink_pointing_outside_the_root_is_not_found()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link.png"), Path.Combine(_parent, "secret.png"));

        var result = await Fetch("link.png");

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [Test]
    public async Task A_symlinked_directory_pointing_outside_the_root_is_not_found()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _parent);

        var result = await Fetch("escape/secret.png");

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [Test]
    public async Task A_relative_symlink_climbing_out_of_the_root_is_not_found()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "sub", "rel.png"), "../../secret.png");

        var result = await Fetch("sub/rel.png");

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [Test]
    public async Task A_symlink_that_stays_inside_the_root_is_served()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "alias.png"), "sub/nested.png");

        var result = await Fetch("alias.png");

        Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok));
    }

    [Test]
    public async Task A_root_reached_through_a_symlink_still_serves_its_files()
    {
        var linkedRoot = Path.Combine(_parent, "linked-root");
        Directory.CreateSymbolicLink(linkedRoot, _root);

        var result = await new FolderOrigin(linkedRoot, 1024).FetchAsync("photo.png", OriginValidators.None, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok));
    }

    [Test]
    public async Task A_symlink_loop_is_not_found()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "loop-a"), Path.Combine(_root, "loop-b"));
        File.CreateSymbolicLink(Path.Combine(_root, "loop-b"), Path.Combine(_root, "loop-a"));

        var result = await Fetch("loop-a");

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [Test]
    public void A_file_over_the_byte_cap_is_too_large()
    {
        File.WriteAllBytes(Path.Combine(_root, "big.png"), new byte[2048]);

        Assert.ThrowsAsync<SourceTooLargeException>(() => Origin(maxBytes: 1024).FetchAsync("big.png", OriginValidators.None, CancellationToken.None));
    }

    [Test]
    public async Task Matching_validators_give_not_modified()
    {
        var first = await Fetch("photo.png");

        var byEtag = await Fetch("photo.png", new OriginValidators(first.ETag, null));
        var byDate = await Fetch("photo.png", new OriginValidators(null, first.LastModified));
        var stale = await Fetch("photo.png", new OriginValidators("\"other\"", null));

        Assert.Multiple(() =>
        {
            Assert.That(byEtag.Status, Is.EqualTo(OriginStatus.NotModified));
            Assert.That(byDate.Status, Is.EqualTo(OriginStatus.NotModified));
            Assert.That(stale.Status, Is.EqualTo(OriginStatus.Ok));
        });
    }

    [Test]
    public async Task The_etag_changes_when_the_file_changes()
    {
        var before = await Fetch("photo.png");
        File.WriteAllBytes(Path.Combine(_root, "photo.png"), Encoding.ASCII.GetBytes("changed content"));

        var after = await Fetch("photo.png");

        Assert.That(after.ETag, Is.Not.EqualTo(before.ETag));
    }
}
