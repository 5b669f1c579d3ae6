namespace ImageProxy.Transform;

/// <summary>The <c>page</c> and <c>pdf-annotation</c> rows (issue 12): which page of a PDF source is rendered.</summary>
public static partial class Parameters
{
    /// <summary>Highest page number accepted (libvips' pdfload limit); a page past the document's end is refused when it is read.</summary>
    public const int MaxPdfPage = 100_000;

    private static IEnumerable<ParameterDefinition> PdfParameters() =>
    [
        Def("page", [], $"integer 1–{MaxPdfPage}: the PDF page to render (default 1; only on sources that enable the PDF loader)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, MaxPdfPage, out var i) is { } why ? Bad(n, why) : p with { Pdf = p.Pdf with { Page = i } },
            p => p.Pdf.Page != PdfOptions.Default.Page ? InvariantNumbers.Format(p.Pdf.Page) : null),
        Def("pdf-annotation", ["annotation"], "true, false, 1 or 0 (default true); false is refused on a PDF (poppler always draws annotations)",
            (p, n, v, l) => ParameterReaders.Boolean(v, out var b) is { } why ? Bad(n, why) : p with { Pdf = p.Pdf with { Annotations = b } },
            p => p.Pdf.Annotations ? null : "false"),
    ];
}

/// <summary><c>page</c> (1-based) and <c>pdf-annotation</c>; they matter only for a PDF source.</summary>
public sealed record PdfOptions(int Page, bool Annotations)
{
    public static readonly PdfOptions Default = new(1, true);
}
