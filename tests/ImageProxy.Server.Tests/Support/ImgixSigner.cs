using System.Security.Cryptography;
using System.Text;

namespace ImageProxy.Server.Tests;

/// <summary>
/// Signs URLs the way the imgix client libraries do (docs/web.md, imgix: Signing), written here independently of
/// Transform's Signature so the end-to-end tests check the server against the published algorithm.
/// </summary>
internal static class ImgixSigner
{
    /// <param name="rawPath">Encoded path as it appears in the URL, with the leading '/'.</param>
    /// <param name="rawQuery">Query without '?', possibly empty.</param>
    public static string Sign(string token, string rawPath, string rawQuery)
    {
        var signed = token + rawPath + (rawQuery.Length > 0 ? "?" + rawQuery : string.Empty);
        var s = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(signed)));
        return rawPath + "?" + (rawQuery.Length > 0 ? rawQuery + "&" : string.Empty) + "s=" + s;
    }
}
