using System.Text.Json;
using ImageProxy.Imaging;
using ImageProxy.Server.Http;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.AspNetCore.Http;

namespace ImageProxy.Server.Tests.Http;

public sealed class ErrorResultsTests
{
    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData(new ObjectNotFoundException(), 404);
        yield return new TestCaseData(new SourceTooLargeException(10), 413);
        yield return new TestCaseData(new OriginUnavailableException("connection refused by 10.0.0.7"), 502);
        yield return new TestCaseData(new OriginTimeoutException("origin.internal took 10 s"), 504);
        yield return new TestCaseData(new ProcessingRejectedException(), 429);
        yield return new TestCaseData(new ProcessingTimeoutException(TimeSpan.FromSeconds(30)), 503);
        yield return new TestCaseData(new ImagingException(TransformError.Unprocessable("The source is not a supported image")), 422);
        yield return new TestCaseData(new InvalidOperationException("secret internal detail"), 500);
    }

    [TestCaseSource(nameof(Failures))]
    public void Each_failure_has_one_status(Exception failure, int status)
    {
        Assert.That(ErrorResults.Classify(failure).Status, Is.EqualTo(status));
    }

    [Test]
    public void Internal_details_never_become_the_public_message()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ErrorResults.Classify(new InvalidOperationException("secret internal detail")).Message, Is.EqualTo("internal error"));
            Assert.That(ErrorResults.Classify(new OriginUnavailableException("10.0.0.7 refused")).Message, Does.Not.Contain("10.0.0.7"));
        });
    }

    [Test]
    public async Task The_body_is_a_short_problem_document_and_429_says_when_to_retry()
    {
        var context = new DefaultHttpContext { Request = { Method = "GET" } };
        context.Response.Body = new MemoryStream();

        await ErrorResults.WriteAsync(context, new TransformError(429, "busy"));

        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(429));
            Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("1"));
            Assert.That(context.Response.ContentType, Does.StartWith("application/problem+json"));
            Assert.That(json.RootElement.GetProperty("title").GetString(), Is.EqualTo("busy"));
            Assert.That(json.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(429));
        });
    }

    [Test]
    public async Task Head_errors_have_no_body()
    {
        var context = new DefaultHttpContext { Request = { Method = "HEAD" } };
        context.Response.Body = new MemoryStream();

        await ErrorResults.WriteAsync(context, new TransformError(404, "Not found"));

        Assert.That(context.Response.Body.Length, Is.Zero);
        Assert.That(context.Response.StatusCode, Is.EqualTo(404));
    }
}
