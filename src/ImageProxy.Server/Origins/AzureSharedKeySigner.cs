using System.Security.Cryptography;
using System.Text;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Azure Storage "Shared Key" authorization (Blob service, version 2009-09-19 and later), per the
/// documented string-to-sign: the verb, eleven standard headers (Content-Length empty when zero),
/// the canonicalized x-ms-* headers and the canonicalized resource. The request must be complete
/// (x-ms-date and x-ms-version set) before it is signed.
/// </summary>
public static class AzureSharedKeySigner
{
    private static readonly string[] StandardHeaders =
        ["Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
         "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"];

    public static void Sign(HttpRequestMessage request, string accountName, byte[] accountKey)
    {
        var stringToSign = StringToSign(request, accountName);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {accountName}:{signature}");
    }

    public static string StringToSign(HttpRequestMessage request, string accountName)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method.Method.ToUpperInvariant()).Append('\n');
        foreach (var name in StandardHeaders)
        {
            var value = HeaderValue(request, name);
            // Since 2015-02-21 a zero Content-Length is signed as the empty string.
            if (name == "Content-Length" && value == "0")
            {
                value = string.Empty;
            }

            builder.Append(value).Append('\n');
        }

        foreach (var (name, value) in CanonicalizedHeaders(request))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append(CanonicalizedResource(request.RequestUri!, accountName));
        return builder.ToString();
    }

    // x-ms-* headers, names lower-cased and sorted, values trimmed with runs of whitespace folded to one space.
    private static IEnumerable<(string Name, string Value)> CanonicalizedHeaders(HttpRequestMessage request)
        => request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: Fold(string.Join(",", h.Value))))
            .OrderBy(h => h.Name, StringComparer.Ordinal);

    // "/" + account + the URI's encoded path (so an emulator URL that already starts with the account name
    // shows it twice, as documented), then each query parameter as "\nname:value" with names lower-cased and sorted.
    private static string CanonicalizedResource(Uri uri, string accountName)
    {
        var builder = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath);
        if (uri.Query.Length > 1)
        {
            var parameters = uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .GroupBy(parts => Uri.UnescapeDataString(parts[0]).ToLowerInvariant(), parts => parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty)
                .OrderBy(group => group.Key, StringComparer.Ordinal);
            foreach (var group in parameters)
            {
                builder.Append('\n').Append(group.Key).Append(':').Append(string.Join(",", group.OrderBy(v => v, StringComparer.Ordinal)));
            }
        }

        return builder.ToString();
    }

    private static string HeaderValue(HttpRequestMessage request, string name)
    {
        if (request.Headers.TryGetValues(name, out var values))
        {
            return string.Join(",", values);
        }

        return request.Content is not null && request.Content.Headers.TryGetValues(name, out var contentValues)
            ? string.Join(",", contentValues)
            : string.Empty;
    }

    private static string Fold(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
