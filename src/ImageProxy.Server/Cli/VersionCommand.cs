using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using ImageProxy.Imaging;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Diagnostics;

namespace ImageProxy.Server.Cli;

/// <summary><c>imageproxy version [--libvips PATH]</c>: the product version, the runtime, and the libvips build it would use.</summary>
public static class VersionCommand
{
    public const string Name = "version";

    public static Command Create(CliContext context)
    {
        var libvips = CommandLineSwitches.Named("--libvips");
        var libvipsOption = (Option<string>)libvips.CreateOption();
        var command = new Command(Name, "Prints the product version and the libvips version and library in use.") { libvipsOption };
        command.SetAction(parse =>
        {
            context.Out.WriteLine($"imageproxy {ProductVersion}");
            context.Out.WriteLine($"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
            var path = parse.GetValue(libvipsOption) ?? context.Environment(ValidateCommand.EnvironmentVariable(libvips.ConfigurationKey));
            try
            {
                // The same loading (and the same search order) as the server's start-up.
                VipsRuntime.Initialize(string.IsNullOrWhiteSpace(path) ? null : path);
            }
            catch (Exception ex) when (ex is DllNotFoundException or FileNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                context.Error.WriteLine($"libvips: not available: {ex.Message}");
                return 1;
            }

            context.Out.WriteLine($"libvips {VipsRuntime.Version} from {VipsRuntime.LibraryPath}");
            context.Out.WriteLine($"  load: {string.Join(',', Capabilities.Loaders())}");
            context.Out.WriteLine($"  save: {string.Join(',', Capabilities.Savers())}");
            return 0;
        });
        return command;
    }

    /// <summary>The informational version (with the commit when the build knew it), e.g. 1.0.0+9ea11c1….</summary>
    public static string ProductVersion =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString() ?? "unknown";
}
