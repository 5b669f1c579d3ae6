using System.Text.Json.Serialization;

namespace ImageProxy.Server.Caching;

/// <summary>Source-generated JSON for what the cache stores and broadcasts (no reflection on the hit path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CacheEntryMetadata))]
[JsonSerializable(typeof(ObjectRecord))]
[JsonSerializable(typeof(PurgeMessage))]
internal sealed partial class CacheJson : JsonSerializerContext;
