using ImageProxy.Server.Http;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ImageProxy.Server.Diagnostics;

/// <summary>
/// Metrics, traces and the request log. One OpenTelemetry pipeline feeds the Prometheus scrape endpoint and, when an
/// endpoint is configured, OTLP (traces, metrics and logs). OpenTelemetry's exporter was chosen over prometheus-net
/// because the same SDK then serves both exports and the ASP.NET Core / HttpClient instrumentation, with
/// semantic-convention names; docs/observability.md has the comparison.
/// </summary>
public static class TelemetryRegistration
{
    public const string MetricsPath = Configuration.SourcesFile.ReservedPrefix + "/metrics";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TelemetryOptions.SectionName);
        var settings = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddOptions<TelemetryOptions>().Bind(section);
        builder.Services.AddSingleton<ProxyMetrics>();

        if (MetricsPort(settings) is not null)
        {
            // Listen on the metrics address as well as the configured ones (--urls / ASPNETCORE_URLS).
            var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey,
                string.IsNullOrWhiteSpace(urls) ? $"http://localhost:5000;{settings.MetricsUrl}" : $"{urls};{settings.MetricsUrl}");
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ProxyMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (settings.PrometheusEnabled)
                {
                    // No scrape cache: one Prometheus (or a test) scraping twice in a row must see the second state.
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });

        if (!string.IsNullOrWhiteSpace(settings.OtlpEndpoint))
        {
            // Traces only with somewhere to send them. The instrumentations redact query strings by default, so a
            // signed URL's s= does not reach the collector either.
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(ProxyTracing.SourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOps(context))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter(
                    string.Equals(settings.OtlpProtocol, "Grpc", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf,
                    new Uri(settings.OtlpEndpoint));
        }

        return builder;
    }

    /// <summary>The outermost request middleware: span, counter and log line for every request (Http/RequestTelemetry).</summary>
    public static WebApplication UseRequestTelemetry(this WebApplication app)
    {
        // Built now so the observed instruments (queue depth, cache bytes, breaker) exist from the first scrape on;
        // resolved once here rather than per request.
        var metrics = app.Services.GetRequiredService<ProxyMetrics>();
        var logger = app.Services.GetRequiredService<ILogger<RequestTelemetry>>();
        var hitLogSampling = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value.HitLogSampling;
        app.Use((context, next) => RequestTelemetry.InvokeAsync(context, next, metrics, logger, hitLogSampling));
        return app;
    }

    /// <summary>GET /_imageproxy/metrics, on every port or, with MetricsUrl, only on that one.</summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        var settings = app.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!settings.PrometheusEnabled)
        {
            return app;
        }

        var port = MetricsPort(settings);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && (port is null || context.Connection.LocalPort == port));
        return app;
    }

    private static int? MetricsPort(TelemetryOptions settings) =>
        string.IsNullOrWhiteSpace(settings.MetricsUrl)
            ? null
            : Uri.TryCreate(settings.MetricsUrl.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                ? uri.Port
                : throw new Microsoft.Extensions.Options.OptionsValidationException(
                    TelemetryOptions.SectionName, typeof(TelemetryOptions), [$"{TelemetryOptions.SectionName}:MetricsUrl is not a URL: {settings.MetricsUrl}"]);

    private static bool IsOps(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Configuration.SourcesFile.ReservedPrefix, StringComparison.OrdinalIgnoreCase);
}
