using System.Collections.Concurrent;

namespace ImageProxy.Imaging.Interop;

/// <summary>
/// The one generic libvips call routine (the protocol pyvips and NetVips use, libvips-notes §2):
/// vips_operation_new → look each argument up with vips_object_get_argument (g_object_set_property alone would only warn
/// on a bad name and leave it unset, pitfall 6) → set it through a scoped GValue → vips_cache_operation_build →
/// read outputs → vips_object_unref_outputs + g_object_unref.
/// </summary>
internal static unsafe class VipsCall
{
    private static readonly ConcurrentDictionary<(string Operation, string Argument), bool> Supported = new();

    /// <summary>Runs <paramref name="operation"/> and returns its image output <paramref name="output"/> (owned by the caller).</summary>
    public static VipsHandle Image(string operation, VipsArguments arguments, string output = "out")
    {
        VipsHandle? result = null;
        Run(operation, arguments, built => result = ReadImage(built, output));
        return result!;
    }

    /// <summary>Runs <paramref name="operation"/> and copies its blob output <paramref name="output"/> into managed memory.</summary>
    public static byte[] Blob(string operation, VipsArguments arguments, string output = "buffer")
    {
        byte[]? result = null;
        Run(operation, arguments, built => result = ReadBlob(built, output));
        return result!;
    }

    /// <summary>
    /// Creates, sets, builds and hands the built operation to <paramref name="readOutputs"/>; outputs are unreffed afterwards,
    /// so anything kept must take its own reference (as <see cref="ReadImage"/> does).
    /// </summary>
    public static void Run(string operation, VipsArguments arguments, Action<nint> readOutputs)
    {
        var op = LibVips.vips_operation_new(operation);
        if (op == 0)
        {
            throw VipsException.FromBuffer($"unknown libvips operation '{operation}'");
        }

        try
        {
            foreach (var argument in arguments)
            {
                nint pspec;
                if (argument.Optional)
                {
                    // Plain GObject lookup: returns 0 without touching the shared libvips error buffer.
                    pspec = GObject.g_object_class_find_property(GObject.ClassOf(op), argument.Name);
                    if (pspec == 0)
                    {
                        continue;
                    }
                }
                else if (LibVips.vips_object_get_argument(op, argument.Name, out pspec, out _, out _) != 0)
                {
                    throw VipsException.FromBuffer($"{operation}: no argument '{argument.Name}'");
                }

                GValueScope.SetProperty(op, argument.Name, GObject.ParamSpecValueType(pspec), argument.Value, operation);
            }

            var built = LibVips.vips_cache_operation_build(op);
            if (built == 0)
            {
                LibVips.vips_object_unref_outputs(op);
                throw VipsException.FromBuffer($"{operation} failed");
            }

            try
            {
                readOutputs(built);
            }
            finally
            {
                LibVips.vips_object_unref_outputs(built);
                GObject.g_object_unref(built);
            }
        }
        finally
        {
            GObject.g_object_unref(op);
        }
    }

    /// <summary>True when the loaded libvips has argument <paramref name="argument"/> on <paramref name="operation"/> (cached).</summary>
    public static bool HasArgument(string operation, string argument) =>
        Supported.GetOrAdd((operation, argument), static key =>
        {
            var op = LibVips.vips_operation_new(key.Operation);
            if (op == 0)
            {
                VipsException.TakeErrorBuffer();
                return false;
            }

            try
            {
                return GObject.g_object_class_find_property(GObject.ClassOf(op), key.Argument) != 0;
            }
            finally
            {
                GObject.g_object_unref(op);
            }
        });

    private static VipsHandle ReadImage(nint built, string name)
    {
        GValue gv = default;
        try
        {
            GObject.g_value_init(&gv, VipsTypes.Image);
            GObject.g_object_get_property(built, name, &gv);
            var image = GObject.g_value_dup_object(&gv); // our own reference, owned by the handle below
            if (image == 0)
            {
                throw new VipsException($"output '{name}' was not set");
            }

            return new VipsHandle(image);
        }
        finally
        {
            GObject.g_value_unset(&gv);
        }
    }

    private static byte[] ReadBlob(nint built, string name)
    {
        GValue gv = default;
        try
        {
            GObject.g_value_init(&gv, VipsTypes.Blob);
            GObject.g_object_get_property(built, name, &gv);
            var blob = GObject.g_value_get_boxed(&gv); // borrowed while gv is set
            if (blob == 0)
            {
                throw new VipsException($"output '{name}' was not set");
            }

            var data = LibVips.vips_blob_get(blob, out var length);
            return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
        }
        finally
        {
            GObject.g_value_unset(&gv);
        }
    }
}
