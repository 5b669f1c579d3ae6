using System.Text.Json;
using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>
/// fm=json: a minimal document about the source in imgix's shape (PixelWidth, PixelHeight, Orientation, and with
/// faces=1 the Faces list). Sizes and face bounds are in source pixels with the EXIF orientation applied.
/// </summary>
internal static class SourceDocument
{
    public static RenderResult Render(SourceFacts facts, IReadOnlyList<PixelRect>? faces)
    {
        var swap = SourceFacts.SwapsAxes(facts.Orientation);
        var (width, height) = swap ? (facts.Height, facts.Width) : (facts.Width, facts.Height);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("PixelWidth", width);
            json.WriteNumber("PixelHeight", height);
            json.WriteNumber("Orientation", facts.Orientation is >= 1 and <= 8 ? facts.Orientation : 1);
            if (faces is not null)
            {
                json.WriteStartArray("Faces");
                foreach (var face in faces)
                {
                    json.WriteStartObject();
                    json.WriteStartObject("bounds");
                    json.WriteNumber("x", face.X);
                    json.WriteNumber("y", face.Y);
                    json.WriteNumber("width", face.Width);
                    json.WriteNumber("height", face.Height);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return new RenderResult(buffer.ToArray(), ImageFormat.Json, width, height);
    }
}
