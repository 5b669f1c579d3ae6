using ImageProxy.Imaging;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;

namespace ImageProxy.Server.Overlays;

/// <summary>
/// Overlay images (mark, blend, mask) go through the same machinery as originals: the object's validator record, the
/// original cache, one coalesced origin call per object (<see cref="OriginFetcher"/>), the origin's byte cap and address
/// guard. Before a variant is keyed, each overlay's version is resolved from its record (no origin call while the record
/// is fresh; a conditional one after), and the validators join the key, so a changed watermark means new variants. The
/// bytes are read only when a render needs them. A missing overlay is a 422 naming its parameter (the picture itself
/// exists); an overlay origin that fails while a known version is within stale-if-error keeps that version.
/// </summary>
/// <param name="store">Null without a result cache: every overlay is fetched with the request.</param>
public sealed class OverlayResolver(VariantStore? store, OriginFetcher origins, CachePolicy policy, ILogger<OverlayResolver> logger)
{
    private readonly OverlayTargets _targets = new();

    /// <summary>The request with its overlays' versions (unchanged when it names none, or for fm=json, which draws nothing).</summary>
    public async Task<ImageRequest> ResolveAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        var plan = request.Plan;
        if (request.Overlays is not null || plan.Document == DocumentOutput.Json && plan.Palette.Format == PaletteFormat.None)
        {
            return request;
        }

        List<ResolvedOverlay>? items = null;
        foreach (var (parameter, image) in plan.OverlayImages())
        {
            var original = _targets.For(request, parameter, image);
            var (validator, bytes) = await NamingParameterAsync(parameter, () => VersionAsync(original, cancellationToken));
            (items ??= []).Add(new ResolvedOverlay(parameter, original, validator, bytes));
        }

        return items is null ? request : request with { Overlays = new OverlaySet(items) };
    }

    /// <summary>The bytes of every overlay of the request, for a render.</summary>
    public async Task<OverlayImages?> LoadAsync(ImageRequest request) =>
        request.Overlays is { } overlays
            ? await overlays.LoadAsync(overlay => NamingParameterAsync(
                overlay.Parameter, () => origins.GetAsync(overlay.Original.Source, overlay.Original.ObjectKey, new RequestTimings(), CancellationToken.None)))
            : null;

    /// <summary>The overlay's current validator; its bytes too when the origin had to send them.</summary>
    private async Task<(string Validator, byte[]? Bytes)> VersionAsync(ImageRequest original, CancellationToken cancellationToken)
    {
        // The overlay's origin time is not the picture's: its own timings.
        var timings = new RequestTimings();
        if (store is null)
        {
            var fetched = await origins.FetchOnceAsync(original.Source, original.ObjectKey, timings, cancellationToken);
            return (OriginFetcher.ValidatorOf(fetched), fetched.Bytes);
        }

        var item = new SourceObject(original.Source.Name, original.ObjectKey);
        var (record, _) = await store.ReadRecordAsync(item, cancellationToken);
        if (record is not null && policy.IsFresh(record, original))
        {
            return (record.Validator, null);
        }

        try
        {
            var answer = await origins.FetchAsync(original.Source, original.ObjectKey, record, timings);
            if (!ReferenceEquals(answer.Record, record))
            {
                await store.WriteRecordAsync(item, answer.Record);
            }

            return (answer.Record.Validator, answer.Bytes);
        }
        catch (Exception ex) when (record is not null && ex is OriginUnavailableException or OriginTimeoutException
            && policy.IsWithinStaleWindow(record, original, policy.Settings.StaleIfErrorSeconds))
        {
            // stale-if-error, as for the picture: the overlay's origin is down, the version we know still draws.
            Log.StaleServedOnOriginError(logger, original.Source.Name, ex.Message);
            return (record.Validator, null);
        }
    }

    /// <summary>Origin refusals about an overlay, said in terms of its parameter (the picture itself is fine).</summary>
    private static async Task<T> NamingParameterAsync<T>(string parameter, Func<Task<T>> fetch)
    {
        try
        {
            return await fetch();
        }
        catch (ObjectNotFoundException ex)
        {
            throw new ImagingException(TransformError.Unprocessable($"{parameter}: the image was not found"), ex);
        }
        catch (SourceTooLargeException ex)
        {
            throw new ImagingException(TransformError.TooLarge($"{parameter}: the image is larger than {ex.MaxBytes} bytes"), ex);
        }
        catch (OriginUnavailableException ex) when (HttpOriginResponse.Find<OriginAddressRefusedException>(ex) is not null)
        {
            throw new ImagingException(new TransformError(403, $"{parameter}: the image's host resolves only to addresses this source may not reach"), ex);
        }
    }
}
