using ImageProxy.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ImageProxy.Server.Tests.Http;

public sealed class RequestTargetTests
{
    private static RequestTarget FromRaw(string rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        return RequestTarget.From(context);
    }

    [TestCase("/samples/a%20b.jpg?w=400&h=300&s=abc", "/samples/a%20b.jpg", "w=400&h=300&s=abc")]
    [TestCase("/samples/a.jpg", "/samples/a.jpg", "")]
    [TestCase("/samples/../x.jpg?", "/samples/../x.jpg", "")]
    [TestCase("http://proxy.example/samples/a%2Fb.jpg?w=1", "/samples/a%2Fb.jpg", "w=1")]
    public void The_raw_target_is_split_without_decoding(string raw, string path, string query)
    {
        var target = FromRaw(raw);

        Assert.That(target.RawPath, Is.EqualTo(path));
        Assert.That(target.RawQuery, Is.EqualTo(query));
    }
}
