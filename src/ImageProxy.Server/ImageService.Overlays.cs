using ImageProxy.Imaging;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Server.Overlays;
using ImageProxy.Transform;

namespace ImageProxy.Server;

/// <summary>
/// Overlay images (mark, blend, mask) go through the same machinery as originals: the object's validator record, the
/// original cache, one coalesced origin call per object, the origin's byte cap and address guard. Before a variant is
/// keyed, each overlay's version is resolved from its record (no origin call while the record is fresh; a conditional
/// one after), and the validators join the key, so a changed watermark means new variants. The bytes are read only
/// when a render needs them. A missing overlay is a 422 naming its parameter (the picture itself exists); an overlay
/// origin that fails while a known version is within stale-if-error keeps that version.
/// </summary>
public sealed partial class ImageService
{
    private readonly OverlayTargets _overlayTargets = new();

    /// <summary>The request with its overlays' versions (unchanged when it names none, or for fm=json, which draws nothing).</summary>
    private async Task<ImageRequest> WithOverlaysAsync(ImageRequest request, CancellationToken cancellationToken)
    {
        var plan = request.Plan;
        if (request.Overlays is not null || plan.Document == DocumentOutput.Json && plan.Palette.Format == PaletteFormat.None)
        {
            return request;
        }

        List<ResolvedOverlay>? items = null;
        foreach (var (parameter, image) in plan.OverlayImages())
        {
            var original = _overlayTargets.For(request, parameter, image, options.Value.Limits);
            var (validator, bytes) = await NamingParameterAsync(parameter, () => OverlayVersionAsync(original, cancellationToken));
            (items ??= []).Add(new ResolvedOverlay(parameter, original, validator, bytes));
        }

        return items is null ? request : request with { Overlays = new OverlaySet(items) };
    }

    /// <summary>The overlay's current validator; its bytes too when the origin had to send them.</summary>
    private async Task<(string Validator, byte[]? Bytes)> OverlayVersionAsync(ImageRequest original, CancellationToken cancellationToken)
    {
        // The overlay's origin time is not the picture's: its own timings.
        var timings = new RequestTimings();
        if (!CachesResults)
        {
            var fetched = await FetchOriginAsync(original, OriginValidators.None, timings, cancellationToken);
            return fetched.Status switch
            {
                OriginStatus.NotFound => throw new ObjectNotFoundException(),
                OriginStatus.NotModified => throw new OriginUnavailableException("Origin answered 304 Not Modified to an unconditional request."),
                _ => (ValidatorOf(fetched), fetched.Bytes),
            };
        }

        var sourceObject = new SourceObject(original.Source.Name, original.ObjectKey);
        var (record, _) = await ReadRecordAsync(sourceObject, cancellationToken);
        if (record is not null && record.IsFreshAt(_clock.GetUtcNow(), MaxAge(original)))
        {
            return (record.Validator, null);
        }

        try
        {
            var answer = await FetchFromOriginAsync(original, sourceObject, record, timings);
            await WriteRecordAsync(sourceObject, answer.Record);
            return (answer.Record.Validator, answer.Bytes);
        }
        catch (Exception ex) when (record is not null && ex is OriginUnavailableException or OriginTimeoutException
            && _clock.GetUtcNow() < record.CheckedAt + MaxAge(original) + TimeSpan.FromSeconds(_caching.ResultCache.StaleIfErrorSeconds))
        {
            // stale-if-error, as for the picture: the overlay's origin is down, the version we know still draws.
            Log.StaleServedOnOriginError(logger, original.Source.Name, ex.Message);
            return (record.Validator, null);
        }
    }

    /// <summary>The bytes of every overlay of the request, for a render.</summary>
    private async Task<OverlayImages?> LoadOverlaysAsync(ImageRequest request) =>
        request.Overlays is { } overlays
            ? await overlays.LoadAsync(overlay => NamingParameterAsync(overlay.Parameter, () => OverlayBytesAsync(overlay.Original)))
            : null;

    /// <summary>The cached original of the overlay's current record, or a fetch when the cache no longer holds it.</summary>
    private async Task<byte[]> OverlayBytesAsync(ImageRequest original)
    {
        var timings = new RequestTimings();
        var sourceObject = new SourceObject(original.Source.Name, original.ObjectKey);
        var (record, _) = await ReadRecordAsync(sourceObject, CancellationToken.None);
        var (current, bytes) = record is null
            ? await FetchFromOriginAsync(original, sourceObject, null, timings) is var answer ? (answer.Record, answer.Bytes!) : default
            : await LoadOriginalAsync(original, sourceObject, record, timings);
        if (!ReferenceEquals(current, record))
        {
            await WriteRecordAsync(sourceObject, current);
        }

        return bytes;
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
