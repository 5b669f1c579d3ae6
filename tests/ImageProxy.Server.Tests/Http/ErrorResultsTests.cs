using System.Text.Json;
using ImageProxy.Imaging;
using ImageProxy.Server.Http;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Http;

public sealed class ErrorResultsTests
{
    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData(new ObjectNotFoundException(), 404, LogLevel.Information);
        yield return new TestCaseData(new SourceTooLargeException(10), 413, LogLevel.Information);
        yield return new TestCaseData(new OriginUnavailableException("connection refused by 10.0.0.7"), 502, LogLevel.Warning);
        yield return new TestCaseData(new OriginTimeoutException("origin.internal took 10 s"), 504, LogLevel.Warning);
        yield return new TestCaseData(new ProcessingRejectedException(), 429, LogLevel.Warning);
        yield return new TestCaseData(new ProcessingTimeoutException(TimeSpan.FromSeconds(30)), 503, LogLevel.Warning);
        yield return new TestCaseData(new ImagingException(TransformError.Unprocessable("The source is not a supported image")), 422, LogLevel.Information);
        yield return new TestCaseData(new InvalidOperationException("secret internal detail"), 500, LogLevel.Error);
    }

    [TestCaseSource(nameof(Failures))]
    public void Each_failure_has_one_status_and_one_log_level(Exception failure, int status, LogLevel level)
    {
        var error = ServerError.From(failure);

        Assert.That((error.Status, error.LogLevel), Is.EqualTo((status, level)));
    }

    [Test]
    public void Internal_details_never_become_the_public_message()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ServerError.From(new InvalidOperationException("secret internal detail")).PublicMessage, Is.EqualTo("internal error"));
            Assert.That(ServerError.From(new OriginUnavailableException("10.0.0.7 refused")).PublicMessage, Does.Not.Contain("10.0.0.7"));
        });
    }

    [Test]
    public void The_log_line_carries_the_detail_at_the_errors_level_and_the_stack_only_for_the_unexpected()
    {
        var logs = new CapturingLoggerProvider();
        var logger = logs.CreateLogger("test");

        ServerError.From(new OriginUnavailableException("Source 'cdn': bucket 'b' does not exist.")).Log(logger, "cdn");
        ServerError.From(new InvalidOperationException("boom")).Log(logger, "cdn");
        ServerError.From(TransformError.BadParameter("w", "must be a number")).Log(logger, "cdn");

        var entries = logs.Entries.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(entries, Has.Length.EqualTo(2), "a bad parameter is only the request line's business");
            Assert.That(entries[0].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(entries[0].Text, Does.Contain("502").And.Contain("bucket 'b' does not exist"));
            Assert.That(entries[1].Level, Is.EqualTo(LogLevel.Error));
            Assert.That(entries[1].Text, Does.Contain("500"));
            Assert.That(entries.Select(e => e.EventId.Name), Is.All.EqualTo("RequestError"));
        });
    }

    [Test]
    public async Task The_body_is_a_short_problem_document_and_429_says_when_to_retry()
    {
        var context = new DefaultHttpContext { Request = { Method = "GET" } };
        context.Response.Body = new MemoryStream();

        await ErrorResults.WriteAsync(context, new ServerError(429, "busy"));

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

        await ErrorResults.WriteAsync(context, ServerError.NotFound);

        Assert.That(context.Response.Body.Length, Is.Zero);
        Assert.That(context.Response.StatusCode, Is.EqualTo(404));
    }
}
