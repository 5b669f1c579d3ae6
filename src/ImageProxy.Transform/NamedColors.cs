namespace ImageProxy.Transform;

/// <summary>
/// CSS colour keywords accepted by <c>bg</c> and <c>fill-color</c>: the 16 basic CSS colours, <c>transparent</c>
/// and a selection of common extended keywords. Values are the CSS definitions (transparent = rgba(0,0,0,0)).
/// </summary>
internal static class NamedColors
{
    private static readonly Dictionary<string, Rgba> Colors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["transparent"] = new(0, 0, 0, 0),
        ["black"] = Opaque(0x000000),
        ["silver"] = Opaque(0xc0c0c0),
        ["gray"] = Opaque(0x808080),
        ["grey"] = Opaque(0x808080),
        ["white"] = Opaque(0xffffff),
        ["maroon"] = Opaque(0x800000),
        ["red"] = Opaque(0xff0000),
        ["purple"] = Opaque(0x800080),
        ["fuchsia"] = Opaque(0xff00ff),
        ["magenta"] = Opaque(0xff00ff),
        ["green"] = Opaque(0x008000),
        ["lime"] = Opaque(0x00ff00),
        ["olive"] = Opaque(0x808000),
        ["yellow"] = Opaque(0xffff00),
        ["navy"] = Opaque(0x000080),
        ["blue"] = Opaque(0x0000ff),
        ["teal"] = Opaque(0x008080),
        ["aqua"] = Opaque(0x00ffff),
        ["cyan"] = Opaque(0x00ffff),
        ["orange"] = Opaque(0xffa500),
        ["pink"] = Opaque(0xffc0cb),
        ["brown"] = Opaque(0xa52a2a),
        ["gold"] = Opaque(0xffd700),
        ["indigo"] = Opaque(0x4b0082),
        ["violet"] = Opaque(0xee82ee),
        ["beige"] = Opaque(0xf5f5dc),
        ["coral"] = Opaque(0xff7f50),
        ["crimson"] = Opaque(0xdc143c),
        ["salmon"] = Opaque(0xfa8072),
        ["tan"] = Opaque(0xd2b48c),
        ["tomato"] = Opaque(0xff6347),
        ["turquoise"] = Opaque(0x40e0d0),
        ["khaki"] = Opaque(0xf0e68c),
        ["ivory"] = Opaque(0xfffff0),
        ["lavender"] = Opaque(0xe6e6fa),
        ["plum"] = Opaque(0xdda0dd),
        ["orchid"] = Opaque(0xda70d6),
        ["chocolate"] = Opaque(0xd2691e),
        ["skyblue"] = Opaque(0x87ceeb),
        ["steelblue"] = Opaque(0x4682b4),
        ["slategray"] = Opaque(0x708090),
        ["slategrey"] = Opaque(0x708090),
        ["darkblue"] = Opaque(0x00008b),
        ["darkgreen"] = Opaque(0x006400),
        ["darkred"] = Opaque(0x8b0000),
        ["darkgray"] = Opaque(0xa9a9a9),
        ["darkgrey"] = Opaque(0xa9a9a9),
        ["lightgray"] = Opaque(0xd3d3d3),
        ["lightgrey"] = Opaque(0xd3d3d3),
        ["dimgray"] = Opaque(0x696969),
        ["dimgrey"] = Opaque(0x696969),
        ["whitesmoke"] = Opaque(0xf5f5f5),
        ["gainsboro"] = Opaque(0xdcdcdc),
        ["lightblue"] = Opaque(0xadd8e6),
        ["lightgreen"] = Opaque(0x90ee90),
        ["lightyellow"] = Opaque(0xffffe0),
        ["royalblue"] = Opaque(0x4169e1),
        ["forestgreen"] = Opaque(0x228b22),
        ["firebrick"] = Opaque(0xb22222),
        ["hotpink"] = Opaque(0xff69b4),
        ["deeppink"] = Opaque(0xff1493),
        ["darkorange"] = Opaque(0xff8c00),
        ["rebeccapurple"] = Opaque(0x663399),
    };

    /// <summary>Looks a keyword up, ignoring case.</summary>
    public static bool TryGet(string keyword, out Rgba color) => Colors.TryGetValue(keyword, out color);

    private static Rgba Opaque(int rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb, 255);
}
