using ImageProxy.Transform;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Tests.Configuration;

public sealed class SourcesFileTests
{
    private const long GlobalMaxBytes = 40L * 1024 * 1024;
    private static readonly Limits GlobalLimits = Limits.Default with { MaxSourceBytes = GlobalMaxBytes };
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("imageproxy-config-").FullName;
        Directory.CreateDirectory(Path.Combine(_directory, "images"));
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private IReadOnlyList<SourceDefinition> Parse(string json, Func<string, string?>? environment = null)
        => SourcesFile.Parse(json, _directory, GlobalLimits, environment ?? (_ => null), "test-sources.json");

    private SourcesFileException Refused(string json, Func<string, string?>? environment = null)
        => Assert.Throws<SourcesFileException>(() => Parse(json, environment))!;

    [Test]
    public void Rendering_switches_are_off_by_default_and_reach_the_effective_limits()
    {
        var sources = Parse("""
            {"sources":[
              {"name":"plain","pathPrefix":"/plain","kind":"folder","folder":{"root":"./images"}},
              {"name":"docs","pathPrefix":"/docs","kind":"folder","folder":{"root":"./images"},"textMarkup":true,"enableLoaders":["pdf"]}
            ]}
            """);
        var plain = sources[0].Limits;
        var docs = sources[1].Limits;
        Assert.Multiple(() =>
        {
            Assert.That((plain.TextMarkup, plain.PdfLoader), Is.EqualTo((false, false)));
            Assert.That((docs.TextMarkup, docs.PdfLoader), Is.EqualTo((true, true)));
        });
    }

    [Test]
    public void An_unknown_optional_loader_is_refused_by_name() =>
        Assert.That(Refused("""{"sources":[{"name":"a","pathPrefix":"/a","kind":"folder","folder":{"root":"./images"},"enableLoaders":["magick"]}]}""").Message,
            Does.Contain("enableLoaders").And.Contain("'magick'"));

    [Test]
    public void A_valid_file_loads_with_defaults_filled_in()
    {
        var sources = Parse("""
            {"sources":[
              {"name":"samples","pathPrefix":"/samples/","kind":"folder","folder":{"root":"./images"},
               "secureTokens":[],"defaultParams":{"auto":"format","q":70}},
              {"name":"cdn","pathPrefix":"/cdn","kind":"web","web":{"baseUrl":"https://example.com/media/"},
               "secureTokens":["abc"],"cacheMaxAge":60}
            ]}
            """);

        Assert.That(sources, Has.Count.EqualTo(2));
        var folder = sources[0];
        Assert.Multiple(() =>
        {
            Assert.That(folder.Kind, Is.EqualTo(SourceKind.Folder));
            Assert.That(folder.PathPrefix, Is.EqualTo("/samples"), "trailing slash is trimmed");
            Assert.That(folder.Folder!.Root, Is.EqualTo(Path.Combine(_directory, "images")), "relative to the sources file's directory");
            Assert.That(folder.DefaultParams, Is.EquivalentTo(new Dictionary<string, string> { ["auto"] = "format", ["q"] = "70" }));
            Assert.That(folder.CacheMaxAge, Is.EqualTo(SourcesFile.DefaultCacheMaxAge));
            Assert.That(folder.RequiresSignature, Is.False);
        });

        var web = sources[1];
        Assert.Multiple(() =>
        {
            Assert.That(web.Web!.BaseUrl, Is.EqualTo(new Uri("https://example.com/media/")));
            Assert.That(web.Web.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(web.Web.MaxBytes, Is.EqualTo(GlobalMaxBytes));
            Assert.That(web.CacheMaxAge, Is.EqualTo(60));
            Assert.That(web.RequiresSignature, Is.True);
        });
    }

    [Test]
    public void Load_reads_a_file_and_resolves_the_root_against_its_directory()
    {
        var path = Path.Combine(_directory, "sources.json");
        File.WriteAllText(path, """{"sources":[{"name":"a","pathPrefix":"/a","kind":"folder","folder":{"root":"images"}}]}""");

        var sources = SourcesFile.Load(path, GlobalLimits);

        Assert.That(sources.Single().Folder!.Root, Is.EqualTo(Path.Combine(_directory, "images")));
    }

    [Test]
    public void Environment_variables_are_substituted_anywhere_in_string_values()
    {
        var environment = new Dictionary<string, string> { ["IMG_TOKEN"] = "s3cret", ["IMG_HOST"] = "cdn.example.com", ["IMG_TIMEOUT"] = "2.5" };

        var source = Parse("""
            {"sources":[{"name":"cdn","pathPrefix":"/cdn","kind":"web",
              "web":{"baseUrl":"https://${IMG_HOST}/media","timeoutSeconds":"${IMG_TIMEOUT}"},
              "secureTokens":["${IMG_TOKEN}"]}]}
            """, name => environment.GetValueOrDefault(name)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(source.Web!.BaseUrl.Host, Is.EqualTo("cdn.example.com"));
            Assert.That(source.Web.Timeout, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
            Assert.That(source.SecureTokens, Is.EqualTo(new[] { "s3cret" }));
            Assert.That(source.ToString(), Does.Not.Contain("s3cret"), "ToString must never print tokens");
        });
    }

    [Test]
    public void A_missing_environment_variable_names_the_source_the_key_and_the_variable()
    {
        var error = Refused("""
            {"sources":[{"name":"cdn","pathPrefix":"/cdn","kind":"web","web":{"baseUrl":"https://x.example"},
              "secureTokens":["${NOT_SET_ANYWHERE}"]}]}
            """);

        Assert.That(error.Message, Does.Contain("source 'cdn'").And.Contain("secureTokens[0]").And.Contain("NOT_SET_ANYWHERE"));
    }

    [Test]
    public void Unsupported_parameters_default_to_ignore_and_can_be_rejected()
    {
        var sources = Parse("""
            {"sources":[
              {"name":"a","pathPrefix":"/a","kind":"web","web":{"baseUrl":"https://example.com/"}},
              {"name":"b","pathPrefix":"/b","kind":"web","web":{"baseUrl":"https://example.com/"},"unsupportedParameters":"reject"}
            ]}
            """);

        Assert.That(sources.Select(s => s.UnsupportedParameters), Is.EqualTo(new[] { UnsupportedParameterPolicy.Ignore, UnsupportedParameterPolicy.Reject }));
    }

    [Test]
    public void A_bad_unsupported_parameters_value_or_a_rejected_default_is_refused_at_start()
    {
        var bad = Refused("""{"sources":[{"name":"a","pathPrefix":"/a","kind":"web","web":{"baseUrl":"https://example.com/"},"unsupportedParameters":"warn"}]}""");
        var rejectedDefault = Refused("""
            {"sources":[{"name":"a","pathPrefix":"/a","kind":"web","web":{"baseUrl":"https://example.com/"},
              "unsupportedParameters":"reject","defaultParams":{"upscale":"true"}}]}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(bad.Message, Does.Contain("unsupportedParameters").And.Contain("'warn'"));
            Assert.That(rejectedDefault.Message, Does.Contain("defaultParams").And.Contain("upscale"));
        });
    }

    [Test]
    public void Overlay_hosts_are_read_per_source_and_default_to_none()
    {
        var sources = Parse("""
            {"sources":[
              {"name":"a","pathPrefix":"/a","kind":"web","web":{"baseUrl":"https://example.com/"},"overlayHosts":["cdn.example.com","*.assets.example.org"]},
              {"name":"b","pathPrefix":"/b","kind":"web","web":{"baseUrl":"https://example.com/"}}
            ]}
            """);

        Assert.That(sources[0].OverlayHosts, Is.EqualTo(new[] { "cdn.example.com", "*.assets.example.org" }));
        Assert.That(sources[1].OverlayHosts, Is.Empty);
    }

    [TestCase("https://cdn.example.com")]
    [TestCase("cdn.example.com:8443")]
    [TestCase("cdn.example.com/path")]
    [TestCase("*")]
    public void An_overlay_host_that_is_not_a_host_pattern_is_refused_at_start(string host)
    {
        var error = Refused($$"""{"sources":[{"name":"a","pathPrefix":"/a","kind":"web","web":{"baseUrl":"https://example.com/"},"overlayHosts":["ok.example","{{host}}"]}]}""");
        Assert.That(error.Message, Does.Contain("source 'a'").And.Contain("overlayHosts[1]"));
    }

    [Test]
    public void An_unknown_kind_is_refused_naming_source_and_key()
    {
        // "s3" became a real kind with the cloud origins; "ftp" is still unknown.
        var error = Refused("""{"sources":[{"name":"ftpstuff","pathPrefix":"/ftp","kind":"ftp"}]}""");

        Assert.That(error.Message, Does.Contain("source 'ftpstuff'").And.Contain("'kind'").And.Contain("'ftp'"));
    }

    [Test]
    public void A_duplicate_name_is_refused()
    {
        var error = Refused("""
            {"sources":[
              {"name":"one","pathPrefix":"/a","kind":"folder","folder":{"root":"images"}},
              {"name":"One","pathPrefix":"/b","kind":"folder","folder":{"root":"images"}}]}
            """);

        Assert.That(error.Message, Does.Contain("source 'One'").And.Contain("'name'"));
    }

    [Test]
    public void A_duplicate_prefix_is_refused_naming_both_sources()
    {
        var error = Refused("""
            {"sources":[
              {"name":"first","pathPrefix":"/img","kind":"folder","folder":{"root":"images"}},
              {"name":"second","pathPrefix":"/img/","kind":"folder","folder":{"root":"images"}}]}
            """);

        Assert.That(error.Message, Does.Contain("source 'second'").And.Contain("'pathPrefix'").And.Contain("'first'"));
    }

    [Test]
    public void A_missing_folder_root_is_refused()
    {
        var error = Refused("""{"sources":[{"name":"pics","pathPrefix":"/pics","kind":"folder","folder":{}}]}""");

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'folder.root'").And.Contain("required"));
    }

    [Test]
    public void A_folder_root_that_does_not_exist_is_refused()
    {
        var error = Refused("""{"sources":[{"name":"pics","pathPrefix":"/pics","kind":"folder","folder":{"root":"nope"}}]}""");

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'folder.root'").And.Contain("does not exist"));
    }

    [Test]
    public void A_missing_web_base_url_is_refused()
    {
        var error = Refused("""{"sources":[{"name":"remote","pathPrefix":"/r","kind":"web","web":{"timeoutSeconds":3}}]}""");

        Assert.That(error.Message, Does.Contain("source 'remote'").And.Contain("'web.baseUrl'").And.Contain("required"));
    }

    [TestCase("ftp://example.com/x")]
    [TestCase("/relative/path")]
    [TestCase("https://example.com/x?sig=1")]
    public void A_base_url_that_is_not_plain_http_is_refused(string baseUrl)
    {
        var error = Refused($$$"""{"sources":[{"name":"remote","pathPrefix":"/r","kind":"web","web":{"baseUrl":"{{{baseUrl}}}"}}]}""");

        Assert.That(error.Message, Does.Contain("source 'remote'").And.Contain("'web.baseUrl'"));
    }

    [TestCase("images", "must start with '/'")]
    [TestCase("/_imageproxy", "reserved")]
    [TestCase("/_imageproxy/x", "reserved")]
    [TestCase("/a b", "may contain only")]
    [TestCase("/a/../b", "segments")]
    public void A_bad_prefix_is_refused(string prefix, string expected)
    {
        var error = Refused($$$"""{"sources":[{"name":"pics","pathPrefix":"{{{prefix}}}","kind":"folder","folder":{"root":"images"}}]}""");

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'pathPrefix'").And.Contain(expected));
    }

    [Test]
    public void A_missing_prefix_is_refused()
    {
        var error = Refused("""{"sources":[{"name":"pics","kind":"folder","folder":{"root":"images"}}]}""");

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'pathPrefix'").And.Contain("required"));
    }

    [Test]
    public void An_unknown_key_is_refused_so_typos_cannot_turn_signing_off()
    {
        var error = Refused("""{"sources":[{"name":"pics","pathPrefix":"/p","kind":"folder","folder":{"root":"images"},"secureToken":["x"]}]}""");

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'secureToken'").And.Contain("not a known key"));
    }

    [Test]
    public void Settings_of_the_other_kind_are_refused()
    {
        var error = Refused("""
            {"sources":[{"name":"pics","pathPrefix":"/p","kind":"folder","folder":{"root":"images"},"web":{"baseUrl":"https://x.example"}}]}
            """);

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'web'"));
    }

    [Test]
    public void A_misspelt_key_inside_the_kinds_object_is_refused_naming_its_path()
    {
        var error = Refused("""{"sources":[{"name":"remote","pathPrefix":"/r","kind":"web","web":{"baseUrl":"https://x.example/","timeout":3}}]}""");

        Assert.That(error.Message, Does.Contain("source 'remote'").And.Contain("'web.timeout'").And.Contain("not a known key"));
    }

    [TestCase(""" "web":{"baseUrl":"https://x.example/","timeoutSeconds":true} """, "'web.timeoutSeconds' must be a number")]
    [TestCase(""" "web":{"baseUrl":"https://x.example/"},"cacheMaxAge":"soon" """, "'cacheMaxAge' must be a whole number")]
    [TestCase(""" "web":{"baseUrl":"https://x.example/"},"secureTokens":"abc" """, "'secureTokens' must be an array of strings")]
    [TestCase(""" "web":{"baseUrl":"https://x.example/","headers":{"X-Key":1}} """, "'web.headers.X-Key' must be a string")]
    [TestCase(""" "web":"https://x.example/" """, "'web' must be an object")]
    public void A_value_of_the_wrong_type_names_the_source_the_key_and_what_it_must_be(string members, string expected)
    {
        var error = Refused($$$"""{"sources":[{"name":"remote","pathPrefix":"/r","kind":"web",{{{members}}}}]}""");

        Assert.That(error.Message, Does.Contain("source 'remote'").And.Contain(expected));
    }

    [Test]
    public void Comment_members_are_for_humans_and_ignored()
    {
        var source = Parse("""
            {"sources":[{"$comment":"served from the share","name":"pics","pathPrefix":"/p","kind":"folder",
              "folder":{"$comment":"relative to this file","root":"images"}}]}
            """).Single();

        Assert.That(source.Folder!.Root, Is.EqualTo(Path.Combine(_directory, "images")));
    }

    [Test]
    public void Limits_are_resolved_once_at_load_the_global_ones_with_the_sources_own_applied()
    {
        var sources = Parse("""
            {"sources":[
              {"name":"plain","pathPrefix":"/a","kind":"web","web":{"baseUrl":"https://x.example/"}},
              {"name":"tight","pathPrefix":"/b","kind":"web","web":{"baseUrl":"https://x.example/"},"limits":{"maxSourceBytes":1000,"maxDpr":2}},
              {"name":"capped","pathPrefix":"/c","kind":"web","web":{"baseUrl":"https://x.example/","maxBytes":500},"limits":{"maxSourceBytes":1000}},
              {"name":"disk","pathPrefix":"/d","kind":"folder","folder":{"root":"images"},"limits":{"maxSourceBytes":2000}}
            ]}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(sources[0].Limits, Is.EqualTo(GlobalLimits));
            Assert.That(sources[1].Limits, Is.EqualTo(GlobalLimits with { MaxSourceBytes = 1000, MaxDpr = 2 }));
            Assert.That(sources[1].Web!.MaxBytes, Is.EqualTo(1000), "the kind's byte cap defaults to the source's limit");
            Assert.That(sources[2].Web!.MaxBytes, Is.EqualTo(500), "the kind's own maxBytes still wins");
            Assert.That(sources[3].Folder!.MaxBytes, Is.EqualTo(2000));
        });
    }

    [Test]
    public void A_bad_default_parameter_is_refused_at_start_up()
    {
        var error = Refused("""{"sources":[{"name":"pics","pathPrefix":"/p","kind":"folder","folder":{"root":"images"},"defaultParams":{"w":"wide"}}]}""");

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'defaultParams'").And.Contain("'w'"));
    }

    [Test]
    public void An_empty_token_is_refused()
    {
        var error = Refused("""{"sources":[{"name":"pics","pathPrefix":"/p","kind":"folder","folder":{"root":"images"},"secureTokens":[""]}]}""");

        Assert.That(error.Message, Does.Contain("source 'pics'").And.Contain("'secureTokens'"));
    }

    [Test]
    public void A_missing_name_is_refused_naming_the_position()
    {
        var error = Refused("""{"sources":[{"pathPrefix":"/p","kind":"folder","folder":{"root":"images"}}]}""");

        Assert.That(error.Message, Does.Contain("sources[0]").And.Contain("'name'"));
    }

    [Test]
    public void Invalid_json_is_refused_with_the_file_name()
    {
        var error = Refused("""{"sources":[ {"name": }""");

        Assert.That(error.Message, Does.Contain("test-sources.json").And.Contain("not valid JSON"));
    }

    [Test]
    public void The_sample_sources_file_in_the_repository_is_valid()
    {
        var path = SourcesFileLocator.Locate(Path.Combine(RepositoryPaths.Root, SourcesFileLocator.DefaultRelativePath));

        var sources = SourcesFile.Load(path, GlobalLimits);

        Assert.That(sources.Select(s => s.Name), Does.Contain("samples"));
    }

    [Test]
    public void The_documented_example_is_valid_once_its_folders_and_variables_exist()
    {
        // /srv/images is the container's mount point; stand in a real directory for it here.
        var example = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "sources.example.json"))
            .Replace("/srv/images", Path.Combine(_directory, "images"));

        var sources = SourcesFile.Parse(example, RepositoryPaths.Root, GlobalLimits,
            name => name == "IMAGEPROXY_TOKEN" ? "example-token" : null, "sources.example.json");

        Assert.That(sources.Select(s => s.Kind), Is.EquivalentTo(new[] { SourceKind.Folder, SourceKind.Folder, SourceKind.Web }));
        Assert.That(sources.Where(s => s.RequiresSignature).SelectMany(s => s.SecureTokens), Is.All.EqualTo("example-token"));
    }
}
