namespace ImageProxy.Transform;

/// <summary>Parameters → <see cref="TransformPlan"/>, or the first error naming the parameter.</summary>
/// <remarks>
/// Values are collected per canonical key (aliases resolved) from the defaults first and then the URL,
/// so the URL wins and a repeated key keeps its last value. <c>auto</c> is the exception: its values
/// accumulate across repeats, comma lists and the defaults. The collected values are then applied in
/// <see cref="Parameters.All"/> order, which makes the result independent of the URL order (e.g. pad-top
/// always overrides pad) and reports the first bad parameter in table order.
/// </remarks>
public static class PlanBuilder
{
    /// <summary>
    /// Builds the plan. <paramref name="defaults"/> are the source's defaultParams: applied first, the URL wins.
    /// Unknown parameters are ignored; known ones with bad values give a 400 naming them. With
    /// <see cref="UnsupportedParameterPolicy.Reject"/>, imgix parameters this build does not implement are a 400
    /// that lists all of them (defaults included), before any value is checked.
    /// </summary>
    public static Result<TransformPlan> Build(
        ParsedRequest request, IReadOnlyDictionary<string, string>? defaults = null, Limits? limits = null,
        UnsupportedParameterPolicy unsupported = UnsupportedParameterPolicy.Ignore)
    {
        limits ??= Limits.Default;
        if (request is null)
        {
            return TransformPlan.Default;
        }

        if (request.Parameters.Count > Parameters.MaxParameterCount)
        {
            return new TransformError(400, $"Too many query parameters (at most {Parameters.MaxParameterCount}).");
        }

        var collected = new Dictionary<ParameterDefinition, (string Name, string Value)>();
        var autoValues = new List<string>();
        string? autoName = null;

        if (defaults is not null)
        {
            foreach (var (key, value) in defaults)
            {
                var error = CollectDefault(key ?? string.Empty, value ?? string.Empty, collected, autoValues, ref autoName);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        foreach (var (key, value) in request.Parameters)
        {
            Collect(key ?? string.Empty, value ?? string.Empty, collected, autoValues, ref autoName);
        }

        if (unsupported == UnsupportedParameterPolicy.Reject && UnsupportedIn(request, defaults) is { } refusal)
        {
            return refusal;
        }

        var plan = TransformPlan.Default;
        foreach (var definition in Parameters.All)
        {
            string name, value;
            if (definition.Name == Parameters.Auto)
            {
                if (autoName is null)
                {
                    continue;
                }

                name = autoName;
                value = string.Join(',', autoValues);
            }
            else if (collected.TryGetValue(definition, out var entry))
            {
                (name, value) = entry;
            }
            else
            {
                continue;
            }

            var applied = definition.Apply(plan, name, value, limits);
            if (!applied.IsOk)
            {
                return applied.Error!;
            }

            plan = applied.Value!;
        }

        return plan;
    }

    /// <summary>A 400 naming every imgix parameter (as written, NAME64 forms by their base name) that this build does not implement.</summary>
    private static TransformError? UnsupportedIn(ParsedRequest request, IReadOnlyDictionary<string, string>? defaults)
    {
        var keys = (defaults?.Keys ?? []).Select(k => k.Length > 2 && Parameters.Find(k) is null && k.EndsWith("64", StringComparison.Ordinal) ? k[..^2] : k)
            .Concat(request.Parameters.Select(p => p.Key));
        var names = keys.Where(k => Parameters.Find(k) is null && ImgixParameters.Find(k) is not null).Distinct(StringComparer.Ordinal).ToList();
        return names.Count == 0
            ? null
            : new TransformError(400, $"Unsupported imgix parameters (this source rejects them): {string.Join(", ", names)}");
    }

    private static void Collect(string key, string value, Dictionary<ParameterDefinition, (string, string)> collected, List<string> autoValues, ref string? autoName)
    {
        if (Parameters.Find(key) is not { } definition)
        {
            return;
        }

        if (definition.Name == Parameters.Auto)
        {
            autoName ??= key;
            autoValues.Add(value);
            return;
        }

        collected[definition] = (key, value);
    }

    /// <summary>Default keys come from configuration unencoded, but may still use the NAME64 form.</summary>
    private static TransformError? CollectDefault(string key, string value, Dictionary<ParameterDefinition, (string, string)> collected, List<string> autoValues, ref string? autoName)
    {
        if (Parameters.Find(key) is null && key.Length > 2 && key.EndsWith("64", StringComparison.Ordinal))
        {
            var baseName = key[..^2];
            if (Parameters.Find(baseName) is null || baseName == Parameters.Auto)
            {
                return null;
            }

            if (!Base64Url.TryDecodeUtf8(value, out var decoded))
            {
                return TransformError.BadParameter(key, "not valid base64url (RFC 4648 URL-safe alphabet) text");
            }

            Collect(baseName, decoded, collected, autoValues, ref autoName);
            return null;
        }

        Collect(key, value, collected, autoValues, ref autoName);
        return null;
    }
}
