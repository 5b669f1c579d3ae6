namespace ImageProxy.Server.Tests.Cli;

/// <summary>Parsing of every verb: what is accepted, what it becomes, and that anything unknown is an error (exit 2).</summary>
public sealed class CommandLineTests
{
    [Test]
    public async Task Without_a_command_it_serves_with_each_option_as_its_configuration_key()
    {
        var run = await TestCli.RunAsync(
            "--urls", "http://127.0.0.1:9999", "--sources", "s.json", "--libvips", "system", "--cache-dir", "/tmp/c",
            "--redis", "127.0.0.1:6379,user=u", "--no-result-cache", "--ImageProxy:RedisKeyPrefix", "p:", "--Logging:LogLevel:Default=Warning");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.ServeArguments, Is.EqualTo(new[]
        {
            "--urls=http://127.0.0.1:9999", "--ImageProxy:SourcesFile=s.json", "--ImageProxy:LibvipsPath=system", "--ImageProxy:CacheDir=/tmp/c",
            "--ImageProxy:Redis=127.0.0.1:6379,user=u", "--ImageProxy:ResultCache:Enabled=false",
            "--ImageProxy:RedisKeyPrefix", "p:", "--Logging:LogLevel:Default=Warning",
        }));
    }

    [Test]
    public async Task Serve_by_name_is_the_same_as_no_command()
    {
        var named = await TestCli.RunAsync("serve", "--sources=s.json");
        var implicitServe = await TestCli.RunAsync("--sources", "s.json");

        Assert.That(named.ServeArguments, Is.EqualTo(new[] { "--ImageProxy:SourcesFile=s.json" }));
        Assert.That(implicitServe.ServeArguments, Is.EqualTo(named.ServeArguments));
        Assert.That((await TestCli.RunAsync()).ServeArguments, Is.Empty);
    }

    [Test]
    public async Task The_host_settings_a_test_host_passes_are_accepted()
    {
        // WebApplicationFactory hands its settings to the entry point as arguments.
        var run = await TestCli.RunAsync("--environment=Production", "--applicationName=ImageProxy.Server", "--contentRoot=/tmp");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.ServeArguments, Has.Length.EqualTo(3));
    }

    [TestCase("serve", "--play-ground")]
    [TestCase("serve", "--cluster-name", "node-a")]
    [TestCase("serve", "--cluster-nodes=a,b")]
    [TestCase("serve", "--sourcs", "x.json")]
    [TestCase("serve", "--Foo:Bar=1")]
    [TestCase("serve", "stray")]
    [TestCase("sign", "--token-env", "T", "/a.png", "--bogus")]
    [TestCase("validate", "--bogus")]
    [TestCase("warm", "--base", "http://p", "--urls", "/etc/hostname", "--bogus")]
    [TestCase("purge", "/a.png", "--bogus")]
    [TestCase("health", "--bogus")]
    [TestCase("version", "--bogus")]
    public async Task An_unknown_option_or_argument_is_an_error_naming_it(params string[] args)
    {
        var run = await TestCli.RunAsync(args);
        var offending = args.Last(a => a.StartsWith("--", StringComparison.Ordinal) || a == "stray").Split('=')[0];

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.ServeArguments, Is.Null, "the server does not start");
            Assert.That(run.Err, Does.Contain(offending).And.Contain($"See 'imageproxy {args[0]} --help'."));
        });
    }

    [Test]
    public async Task Without_the_verb_an_unknown_option_is_still_refused()
    {
        var run = await TestCli.RunAsync("--cluster-name", "x");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.ServeArguments, Is.Null);
        Assert.That(run.Err, Does.Contain("Unknown option '--cluster-name'"));
    }

    [TestCase("--admin-token", "s3cret-admin")]
    [TestCase("--admin-token=s3cret-admin")]
    public async Task The_admin_token_is_refused_on_the_command_line_pointing_to_the_environment(params string[] args)
    {
        var run = await TestCli.RunAsync(args);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.ServeArguments, Is.Null);
            Assert.That(run.Err, Does.Contain("ImageProxy__AdminToken").And.Contain("ImageProxy:AdminToken"));
            Assert.That(run.Err + run.Out, Does.Not.Contain("s3cret-admin"));
        });
    }

    [TestCase("serve", "--no-result-cache")]
    [TestCase("sign", "--token-env")]
    [TestCase("validate", "--sources")]
    [TestCase("warm", "--paths")]
    [TestCase("purge", "--token-env")]
    [TestCase("health", "--ready")]
    [TestCase("version", "--libvips")]
    public async Task Each_command_has_help(string command, string anOption)
    {
        var run = await TestCli.RunAsync(command, "--help");

        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Out, Does.Contain($"imageproxy {command}").And.Contain(anOption));
    }

    [Test]
    public async Task The_root_help_lists_every_command()
    {
        var run = await TestCli.RunAsync("--help");

        Assert.That(run.ExitCode, Is.Zero);
        foreach (var command in new[] { "serve", "sign", "validate", "warm", "purge", "health", "version" })
        {
            Assert.That(run.Out, Does.Contain("  " + command), command);
        }
    }

    [TestCase("--expires-in", "soon")]
    [TestCase("--expires-in", "-5")]
    public async Task Sign_refuses_a_bad_expiry(string option, string value)
    {
        var run = await TestCli.RunAsync(new Dictionary<string, string?> { ["T"] = "tok" }, "sign", "--token-env", "T", option, value, "/a.png");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Out, Is.Empty);
        Assert.That(run.Err, Does.Contain("--expires-in"));
    }

    [Test]
    public async Task Sign_takes_parameters_in_order_and_an_at_sign_is_not_a_response_file()
    {
        var run = await TestCli.RunAsync(new Dictionary<string, string?> { ["T"] = "tok" }, "sign", "--token-env", "T", "/@me/a.png", "w=10", "txt=@x");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out.Trim(), Does.StartWith("/@me/a.png?w=10&txt=%40x&s="));
        Assert.That(Transform.Signature.VerifyTarget(["tok"], run.Out.Trim()), Is.True);
    }

    [Test]
    public async Task Version_names_the_product_and_the_libvips_in_use()
    {
        var run = await TestCli.RunAsync("version");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out, Does.Match(@"^imageproxy \d+\.\d+\.\d+"));
        Assert.That(run.Out, Does.Match(@"libvips 8\.\d+\.\d+ from \S+"));
        Assert.That(run.Out, Does.Contain("save: ").And.Contain("jpeg"));
    }

    [TestCaseSource(typeof(Server.Configuration.CommandLineSwitches), nameof(Server.Configuration.CommandLineSwitches.Server))]
    public void Every_server_option_has_a_row_in_the_readme_table(Server.Configuration.ServerSwitch option)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var table = readme[readme.IndexOf("## Server options", StringComparison.Ordinal)..];

        Assert.That(table, Does.Contain($"| `{option.Name}"), $"README 'Server options' lacks {option.Name}");
    }
}
