using System.Diagnostics;
using System.Text;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>
/// Seeded fuzzing of parse → build → canonical: queries generated from the Parameters table (plausible and
/// junk values) and mutated at the character level. Invariants: nothing throws, the run is quick, and every
/// query that builds a plan has canonical text that re-parses to an equal plan.
/// </summary>
public class ParserFuzzTests
{
    private const int QueriesPerSeed = 5_000;

    private static readonly string[] Keys = Parameters.All
        .SelectMany(p => p.Aliases.Prepend(p.Name))
        .Concat(["s", "ixlib", "cb", "txt", "mark", "auto64", "ch64", "txt64", "", "=", "64", "w64", "dl64", "bg64", "rect64"])
        .ToArray();

    private static readonly string[] Values =
    [
        "", "0", "1", "2", "5", "8", "90", "100", "400", "8192", "8193", "0.5", "1.0", ".25", "0.0001", "-1", "-0", "+3",
        "NaN", "Infinity", "-Infinity", "1e3", "1E-7", "99999999999999999999999999999", "0x10", "1,2", "1:1", "16:9", "0:0",
        "crop", "clip", "fill", "fillmax", "max", "min", "scale", "clamp", "facearea", "facearea,fill", "facearea,facearea",
        "top,left", "faces,entropy", "edges", "focalpoint", "center", "h", "v", "hv", "true", "false",
        "jpg", "pjpg", "png8", "webp", "avif", "gif", "jxl", "json", "bmp", "format,compress", "enhance", "solid", "blur",
        "f00", "8f00", "ff0000", "80ff0000", "orange", "transparent", "%23fff", "center,middle,0.5,full", "10,20,30,40",
        "left,top,1.0,full", "2000,2000,5,5", "%zz", "%", "%E2%82%AC", "%FF%FE", "%F0%9F%98%81", "%00", "a+b", "%2B",
        "SGVsbG8", "SGVsbG8=", "SGVsbG8+/", "_-_-", "€", "😁", "\uD800", "\uDC00x", "a=b", "&", "  ", "\t",
        new string('9', 500), new string('a', 300),
    ];

    [TestCase(1)]
    [TestCase(20260101)]
    public void GeneratedAndMutatedQueriesNeverBreakTheInvariants(int seed)
    {
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        var built = 0;
        for (var i = 0; i < QueriesPerSeed; i++)
        {
            var query = Generate(random);
            if (random.Next(3) == 0)
            {
                query = Mutate(query, random);
            }

            built += CheckInvariants(query) ? 1 : 0;
        }

        stopwatch.Stop();
        TestContext.Out.WriteLine($"seed {seed}: {QueriesPerSeed} queries, {built} built plans, {stopwatch.ElapsedMilliseconds} ms");
        Assert.That(built, Is.GreaterThan(QueriesPerSeed / 10), "the generator should produce a fair share of valid queries");
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void HugeQueriesAreBoundedWork()
    {
        var stopwatch = Stopwatch.StartNew();
        CheckInvariants(string.Concat(Enumerable.Repeat("w=400&", 5_000)));
        CheckInvariants("dl=" + string.Concat(Enumerable.Repeat("%E2%82%AC", 100_000)));
        CheckInvariants("txt64=" + new string('A', 1_000_000));
        CheckInvariants(new string('&', 1_000_000));
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    private static bool CheckInvariants(string query)
    {
        Result<ParsedRequest> parsed = default;
        Assert.DoesNotThrow(() => parsed = RequestParser.Parse(query), query);
        if (!parsed.IsOk)
        {
            Assert.That(parsed.Error!.Status, Is.EqualTo(400), query);
            return false;
        }

        Result<TransformPlan> built = default;
        Assert.DoesNotThrow(() => built = PlanBuilder.Build(parsed.Value!), query);
        if (!built.IsOk)
        {
            Assert.That(built.Error!.Status, Is.EqualTo(400), query);
            return false;
        }

        var plan = built.Value!;
        var canonical = CacheKey.Canonical(plan);
        var reparsed = RequestParser.Parse(canonical);
        Assert.That(reparsed.IsOk, Is.True, $"canonical '{canonical}' of '{query}' must parse");
        var rebuilt = PlanBuilder.Build(reparsed.Value!);
        Assert.That(rebuilt.Error, Is.Null, $"canonical '{canonical}' of '{query}' must build");
        Assert.That(rebuilt.Value, Is.EqualTo(plan), $"canonical '{canonical}' of '{query}' must round-trip");

        Assert.DoesNotThrow(() => Geometry.Resolve(plan, new SourceFacts(1234, 567, 6, 1, ImageFormat.Jpeg, true), Limits.Default));
        Assert.DoesNotThrow(() => FormatChoice.Choose(plan, "image/avif,image/webp", _ => true));
        return true;
    }

    private static string Generate(Random random)
    {
        var count = random.Next(0, 8);
        var builder = new StringBuilder();
        if (random.Next(10) == 0)
        {
            builder.Append('?');
        }

        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                builder.Append(random.Next(20) == 0 ? "&&" : "&");
            }

            var key = Keys[random.Next(Keys.Length)];
            var value = Values[random.Next(Values.Length)];
            if (key.EndsWith("64", StringComparison.Ordinal) && random.Next(2) == 0)
            {
                value = Convert.ToBase64String(Encoding.UTF8.GetBytes(Values[random.Next(Values.Length)]))
                    .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            }

            builder.Append(key);
            if (random.Next(15) != 0)
            {
                builder.Append('=').Append(value);
            }
        }

        return builder.ToString();
    }

    private static string Mutate(string query, Random random)
    {
        var chars = new StringBuilder(query);
        var edits = random.Next(1, 4);
        const string Alphabet = "&=%?+,:.-_#;/ 0123456789abcdefxyzABCDEF\u00e9\u20ac\uD83D\uDE01\uD800";
        for (var i = 0; i < edits; i++)
        {
            var position = chars.Length == 0 ? 0 : random.Next(chars.Length);
            switch (random.Next(3))
            {
                case 0 when chars.Length > 0:
                    chars.Remove(position, 1);
                    break;
                case 1:
                    chars.Insert(position, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                default:
                    chars.Insert(position, Values[random.Next(Values.Length)]);
                    break;
            }
        }

        return chars.ToString();
    }
}
