using System.Security.Cryptography;
using System.Text;

namespace ImageProxy.Transform;

/// <summary>imgix URL signatures: lowercase hex MD5 of token + raw path + raw query (with '?', without s).</summary>
/// <remarks>
/// Verification works on the raw request target exactly as received (docs/web.md, imgix: Signing): the clients
/// sign the encoded path and the query in URL order, so decoding or re-serialising would break valid URLs.
/// The <c>s</c> pair is removed wherever it stands (imgix requires it last; a client that put it elsewhere
/// still signed the rest in order, so we accept that too). If several pairs are named s, the last one is used
/// and removed. Empty tokens are skipped: an empty secret would let anyone sign.
/// </remarks>
public static class Signature
{
    private const int HexLength = 32;

    /// <summary>
    /// True when the raw request target carries a valid <c>s</c> for any of <paramref name="tokens"/>.
    /// <paramref name="rawPath"/> is the still-encoded path; <paramref name="rawQuery"/> the raw query with or without '?'.
    /// </summary>
    public static bool Verify(IReadOnlyList<string> tokens, string rawPath, string rawQuery)
    {
        if (tokens is null || tokens.Count == 0)
        {
            return false;
        }

        var query = rawQuery ?? string.Empty;
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        var pairs = query.Split('&');
        var signatureIndex = -1;
        for (var i = pairs.Length - 1; i >= 0; i--)
        {
            if (pairs[i].StartsWith("s=", StringComparison.Ordinal))
            {
                signatureIndex = i;
                break;
            }
        }

        if (signatureIndex < 0)
        {
            return false;
        }

        var supplied = pairs[signatureIndex][2..];
        if (supplied.Length != HexLength || !supplied.All(QueryText.IsHex))
        {
            return false;
        }

        var remaining = string.Join('&', pairs.Where((_, index) => index != signatureIndex));
        var signedQuery = remaining.Length == 0 ? string.Empty : "?" + remaining;
        var suppliedBytes = Encoding.ASCII.GetBytes(supplied.ToLowerInvariant());

        var valid = false;
        foreach (var token in tokens)
        {
            if (string.IsNullOrEmpty(token))
            {
                continue;
            }

            var expected = Encoding.ASCII.GetBytes(Compute(token, rawPath ?? string.Empty, signedQuery));
            // Constant-time, and no early exit across tokens, so timing says nothing about which token or prefix matched.
            valid |= CryptographicOperations.FixedTimeEquals(expected, suppliedBytes);
        }

        return valid;
    }

    /// <summary>Verifies a whole raw request target (path and query as received, split at the first '?').</summary>
    public static bool VerifyTarget(IReadOnlyList<string> tokens, string rawTarget)
    {
        var target = rawTarget ?? string.Empty;
        var question = target.IndexOf('?');
        return question < 0
            ? Verify(tokens, target, string.Empty)
            : Verify(tokens, target[..question], target[question..]);
    }

    /// <summary>Signature for token + path + query (query with its leading '?', or empty).</summary>
    public static string Compute(string token, string rawPath, string rawQueryWithQuestionMark) =>
        Client.UrlSigner.ComputeSignature(token, rawPath, rawQueryWithQuestionMark);
}
