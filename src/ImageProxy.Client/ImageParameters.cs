using System.Collections;
using System.Net;

namespace ImageProxy.Client;

/// <summary>
/// imgix parameters in the order they will appear in the URL. Order matters for signing (the signature covers the
/// query as written), so this is a list, not a dictionary: setting a name that is already present replaces its value
/// in place, as a JavaScript object spread does in @imgix/js-core, and a new name is appended.
/// </summary>
public sealed class ImageParameters : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public ImageParameters()
    {
    }

    public ImageParameters(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        foreach (var (name, value) in pairs)
        {
            Set(name, value);
        }
    }

    /// <summary>
    /// Reads "w=400&amp;fit=crop" (a leading '?' is allowed): percent-escapes are decoded, because the builder
    /// encodes again. '+' stays a '+', as imgix reads it.
    /// </summary>
    public static ImageParameters Parse(string? query)
    {
        var parameters = new ImageParameters();
        var text = query ?? string.Empty;
        foreach (var pair in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (name.Length > 0)
            {
                parameters.Set(name, value);
            }
        }

        return parameters;
    }

    public int Count => _pairs.Count;

    public KeyValuePair<string, string> this[int index] => _pairs[index];

    /// <summary>The value of <paramref name="name"/>, or null when absent.</summary>
    public string? this[string name] => IndexOf(name) is var i and >= 0 ? _pairs[i].Value : null;

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Replaces the value in place when present, else appends.</summary>
    public ImageParameters Set(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var index = IndexOf(name);
        if (index >= 0)
        {
            _pairs[index] = new(name, value);
        }
        else
        {
            _pairs.Add(new(name, value));
        }

        return this;
    }

    public ImageParameters Remove(string name)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            _pairs.RemoveAt(index);
        }

        return this;
    }

    /// <summary>A copy, so a builder can add w/dpr/q per candidate without touching the caller's list.</summary>
    public ImageParameters Clone() => new(_pairs);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _pairs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string name) => _pairs.FindIndex(p => p.Key == name);

    // WebUtility.UrlDecode would turn '+' into a space; imgix keeps it literal.
    private static string Decode(string text) => WebUtility.UrlDecode(text.Replace("+", "%2B"));
}
