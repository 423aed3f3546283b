using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// An S3 source's access key and secret key, as the caller gave them in <c>source.api_key</c>/<c>source.api_secret</c>.
/// Only ever stored sealed (<see cref="CreateSpec.Credentials"/>); <see cref="ToString"/> hides the secret so that no
/// log or exception message can carry it by accident.
/// </summary>
public sealed record S3Credentials(
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("api_secret")] string ApiSecret)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <exception cref="JsonException">Not credentials.</exception>
    public static S3Credentials FromJson(string json) =>
        JsonSerializer.Deserialize<S3Credentials>(json) is { ApiKey: not null, ApiSecret: not null } credentials
            ? credentials
            : throw new JsonException("not S3 credentials");

    public override string ToString() => "S3Credentials { api_key and api_secret hidden }";
}
