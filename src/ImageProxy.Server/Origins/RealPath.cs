namespace ImageProxy.Server.Origins;

/// <summary>
/// Managed realpath(3): resolves every symbolic link along a path, component by component. .NET only
/// resolves the last component (FileSystemInfo.ResolveLinkTarget), which would miss a link to the
/// outside world placed in a parent directory.
/// </summary>
public static class RealPath
{
    private const int MaxLinkHops = 40; // the Linux ELOOP limit

    /// <summary>The canonical path, or null when a link loop or an unreadable link prevents resolving it.</summary>
    public static string? Resolve(string path)
    {
        var separator = Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? separator.ToString();
        var pending = new Stack<string>(full[root.Length..].Split(separator, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = root;
        var hops = 0;

        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            // Replace the link by its target and keep walking: the target itself may contain links.
            foreach (var targetPart in target.Split(separator, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(targetPart);
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
            }
        }

        return current;
    }

    /// <summary>True when <paramref name="path"/> lies strictly below <paramref name="directory"/> (both canonical).</summary>
    public static bool IsInside(string path, string directory)
    {
        var withSeparator = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(withSeparator, StringComparison.Ordinal);
    }
}
