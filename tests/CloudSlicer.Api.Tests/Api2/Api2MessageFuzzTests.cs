using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Testing;
using static CloudSlicer.Api.Tests.Api2.Api2Vectors;

namespace CloudSlicer.Api.Tests.Api2;

/// <summary>
/// Seeded fuzzing of the api2 decoder, bounded so it runs in every <c>make test</c>: mutated valid messages
/// (bit flips, cuts, insertions, base64 noise, JSON noise under intact zlib, zlib bombs) must either decode to
/// an object a handler can read in full, or be refused with a client-facing <see cref="Api2Exception"/>;
/// nothing else may escape, and no case may allocate more than a small multiple of the cap.
/// </summary>
public sealed class Api2MessageFuzzTests
{
    private const int Cap = 16 * 1024;
    private const int CasesPerKind = 2000;

    // Base64 and JSON fragments the mutations splice in: the characters and tokens decoders trip on.
    private const string Base64Noise = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=  \n\r\t-_.%!é";

    private static readonly string[] JsonNoise =
    [
        "{", "}", "[", "]", "\"", ":", ",", " ", "1", "-0", "1e999", "-1e-999", "NaN", "null", "true", "\\", "\\u",
        "\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000", "\"_owner\": ", "\"_timestamp\": ", "\u00e9", "\uffff", "/*", "\u0001",
    ];

    private static readonly byte[][] Seeds =
    [
        Convert.FromBase64String(Msg),
        Convert.FromBase64String(Python2Msg),
        Convert.FromBase64String(Api2Encoding.Encode(BigPayload(), compressionLevel: 1)),
    ];

    // Highly compressible bodies from just under the cap to hundreds of times over it, built once.
    private static readonly byte[][] Bombs =
    [
        Zlib("{\"pad\": \"" + new string('0', Cap - 64) + "\"}", CompressionLevel.SmallestSize),
        Zlib("{\"pad\": \"" + new string('0', Cap - 11) + "\"}", CompressionLevel.SmallestSize),
        Zlib("{\"pad\": \"" + new string('0', 4 << 20) + "\"}", CompressionLevel.SmallestSize),
        Zlib("{\"a\": [" + string.Join(',', Enumerable.Repeat("1", 1 << 20)) + "]}", CompressionLevel.SmallestSize),
        Zlib("{" + new string(' ', 4 << 20) + "}", CompressionLevel.SmallestSize),
    ];

    public enum Mutation
    {
        BitFlips,
        Truncation,
        Insertion,
        RandomBase64,
        Base64Noise,
        JsonNoiseUnderValidZlib,
        RandomZlib,
        ZlibBomb,
    }

    public static TheoryData<Mutation> Mutations => [.. Enum.GetValues<Mutation>()];

    [Fact]
    public void A_zlib_header_asking_for_a_preset_dictionary_is_refused()
    {
        byte[] compressed = [0x78, 0x20, .. Convert.FromBase64String(Msg)[2..]];

        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Convert.ToBase64String(compressed), MiB));
        Assert.StartsWith("msg is not zlib-compressed data", error.Message);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_refused_rather_than_left_for_a_handler_to_trip_on()
    {
        foreach (var json in new[] { "{\"id\": \"\\ud800\"}", "{\"\\udc00\": 1}", "{\"a\": [\"ok\", {\"b\": \"\\ud83dx\"}]}" })
        {
            var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Convert.ToBase64String(Zlib(json)), MiB));
            Assert.Contains("surrogate", error.Message);
        }

        Assert.Equal("\ud83d\ude00", Api2Message.Decode(Convert.ToBase64String(Zlib("{\"a\": \"\\ud83d\\ude00\"}")), MiB)["a"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Every_mutated_message_decodes_to_a_readable_object_or_is_refused_within_the_allocation_cap(Mutation mutation)
    {
        var random = new Random(20261122 + (int)mutation);
        var decoded = 0;
        for (var i = 0; i < CasesPerKind; i++)
        {
            var msg = Mutate(mutation, random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            JsonObject? result = null;
            try
            {
                result = Api2Message.Decode(msg, Cap);
            }
            catch (Api2Exception)
            {
                // refused with a client-facing message: the expected outcome for most cases
            }
            catch (Exception ex)
            {
                Assert.Fail($"{mutation} case {i} threw {ex.GetType().Name}: {ex.Message}\nmsg: {Shorten(msg)}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Base64 text and its bytes, the inflate buffer (doubling up to the cap), and the parsed document:
            // a small multiple of the cap and of the text, never what a bomb would inflate to.
            var budget = (4L * msg.Length) + (12L * Cap) + (128 * 1024);
            Assert.True(allocated <= budget, $"{mutation} case {i} allocated {allocated} bytes (budget {budget})\nmsg: {Shorten(msg)}");

            if (result is not null)
            {
                decoded++;
                ReadEverything(result, $"{mutation} case {i}: {Shorten(msg)}");
            }
        }

        if (mutation is Mutation.JsonNoiseUnderValidZlib)
        {
            Assert.InRange(decoded, 1, CasesPerKind);   // the mutations must not be so wild that nothing ever parses
        }
    }

    private static string Mutate(Mutation mutation, Random random)
    {
        var seed = Seeds[random.Next(Seeds.Length)];
        switch (mutation)
        {
            case Mutation.BitFlips:
                var flipped = (byte[])seed.Clone();
                for (var flips = random.Next(1, 5); flips > 0; flips--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

                return Convert.ToBase64String(flipped);
            case Mutation.Truncation:
                var text = Convert.ToBase64String(seed);
                return random.Next(2) == 0
                    ? Convert.ToBase64String(seed[..random.Next(seed.Length)])
                    : text[..random.Next(text.Length)];
            case Mutation.Insertion:
                var at = random.Next(seed.Length + 1);
                var extra = new byte[random.Next(1, 17)];
                random.NextBytes(extra);
                return Convert.ToBase64String([.. seed[..at], .. extra, .. seed[at..]]);
            case Mutation.RandomBase64:
                var bytes = new byte[random.Next(0, 400)];
                random.NextBytes(bytes);
                if (bytes.Length >= 2 && random.Next(2) == 0)
                {
                    (bytes[0], bytes[1]) = ((byte)0x78, (byte)0xda);   // a valid zlib header over garbage
                }

                return Convert.ToBase64String(bytes);
            case Mutation.Base64Noise:
                var noisy = new StringBuilder(Convert.ToBase64String(seed));
                for (var edits = random.Next(1, 6); edits > 0; edits--)
                {
                    var position = random.Next(noisy.Length + 1);
                    if (random.Next(3) == 0 && position < noisy.Length)
                    {
                        noisy.Remove(position, 1);
                    }
                    else
                    {
                        noisy.Insert(position, Base64Noise[random.Next(Base64Noise.Length)]);
                    }
                }

                return noisy.ToString();
            case Mutation.JsonNoiseUnderValidZlib:
                var json = new StringBuilder(Inflate(seed));
                for (var edits = random.Next(1, 4); edits > 0; edits--)
                {
                    var position = random.Next(json.Length + 1);
                    if (random.Next(2) == 0)
                    {
                        json.Insert(position, JsonNoise[random.Next(JsonNoise.Length)]);
                    }
                    else if (position < json.Length)
                    {
                        json.Remove(position, Math.Min(random.Next(1, 4), json.Length - position));
                    }
                }

                return Convert.ToBase64String(Zlib(json.ToString(), CompressionLevel.Fastest));
            case Mutation.RandomZlib:
                var tokens = string.Concat(Enumerable.Range(0, random.Next(1, 80)).Select(_ => JsonNoise[random.Next(JsonNoise.Length)]));
                return Convert.ToBase64String(Zlib(random.Next(2) == 0 ? tokens : "{\"k\": " + tokens + "}", CompressionLevel.Optimal));
            case Mutation.ZlibBomb:
                var bomb = (byte[])Bombs[random.Next(Bombs.Length)].Clone();
                switch (random.Next(3))
                {
                    case 0:
                        return Convert.ToBase64String(bomb);
                    case 1:
                        return Convert.ToBase64String(bomb[..random.Next(bomb.Length)]);
                    default:
                        bomb[random.Next(bomb.Length)] ^= (byte)(1 << random.Next(8));
                        return Convert.ToBase64String(bomb);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
    }

    /// <summary>Reads every name and value the way handlers do; nothing may throw on a message Decode accepted.</summary>
    private static void ReadEverything(JsonNode? node, string what)
    {
        try
        {
            Walk(node);
            _ = node?.ToJsonString();
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what} decoded but reading it threw {ex.GetType().Name}: {ex.Message}");
        }

        static void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (_, value) in obj)
                    {
                        Walk(value);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    _ = value.GetValue<string>();
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                    _ = value.TryGetValue<double>(out _);
                    break;
            }
        }
    }

    private static JsonObject BigPayload() => new()
    {
        ["source"] = new JsonObject { ["url"] = "https://media.example.com/videos/big_buck_bunny_1080p.mp4?X-Amz-Signature=abc" },
        ["args"] = new JsonObject
        {
            ["desc"] = "Big Buck Bunny \u2014 \u00fcn\u00efcode \ud83d\ude00",
            ["meta"] = new JsonObject { ["nested"] = new JsonArray(1, 2.5, true, null, new JsonObject { ["deep"] = "x" }) },
            ["trim"] = "1000,60000",
        },
        ["ids"] = new JsonArray(Enumerable.Range(0, 50).Select(i => (JsonNode?)i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
        ["_owner"] = Owner,
        ["_timestamp"] = Timestamp,
    };

    private static byte[] Zlib(string text, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level, leaveOpen: true))
        {
            zlib.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static string Inflate(byte[] compressed)
    {
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(zlib, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Shorten(string msg) => msg.Length <= 200 ? msg : msg[..200] + "…";
}
