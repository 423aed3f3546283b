using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Testing;
using static CloudSlicer.Api.Tests.Api2.Api2Vectors;

namespace CloudSlicer.Api.Tests.Api2;

public sealed class Api2MessageTests
{
    private static readonly JsonObject Sample = new()
    {
        ["source"] = new JsonObject { ["url"] = "https://media.example.com/a b/ünïcode 😀.mp4" },
        ["args"] = new JsonObject { ["trim"] = "1000,60000", ["desc"] = "quote \" backslash \\ tab \t nl \n ctl \u0001 del \u007f" },
        ["ids"] = new JsonArray("a", "b"),
        ["limit"] = 50,
        ["ratio"] = 2.5,
        ["flag"] = true,
        ["none"] = null,
        ["_owner"] = Owner,
        ["_timestamp"] = Timestamp,
    };

    [Fact]
    public void Decodes_the_design_test_vector()
    {
        var decoded = Api2Message.Decode(Msg, MiB);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json), decoded));
        Assert.Equal(["id", "_owner", "_timestamp"], decoded.Select(p => p.Key));
    }

    [Fact]
    public void Encoding_the_design_json_with_python_spacing_gives_the_design_msg()
    {
        Assert.Equal(Msg, Api2Encoding.Encode(JsonNode.Parse(Json)!.AsObject()));
    }

    [Fact]
    public void Decodes_a_python2_line_broken_msg()
    {
        var decoded = Api2Message.Decode(Python2Msg, MiB);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Python2Json), decoded));
        Assert.Equal("Big Buck Bunny — ünïcode 😀", decoded["args"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public void Python2_encoding_breaks_lines_every_76_characters_and_at_the_end_as_encodestring_does()
    {
        var python2 = Api2Encoding.Encode(JsonNode.Parse(Python2Json)!.AsObject(), python2LineBreaks: true);

        var lines = python2.Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.All(lines[..^2], line => Assert.Equal(76, line.Length));
        Assert.InRange(lines[^2].Length, 1, 76);
        Assert.Equal(Api2Encoding.Encode(JsonNode.Parse(Python2Json)!.AsObject()), python2.Replace("\n", ""));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Python2Json), Api2Message.Decode(python2, MiB)));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData(" ")]
    [InlineData("\t")]
    public void Ignores_any_whitespace_inside_the_base64(string separator)
    {
        var spaced = string.Join(separator, Msg.Chunk(10).Select(c => new string(c))) + separator;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json), Api2Message.Decode(spaced, MiB)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void Every_zlib_level_round_trips(int level)
    {
        var msg = Api2Encoding.Encode(Sample, level);

        Assert.True(JsonNode.DeepEquals(Sample, Api2Message.Decode(msg, MiB)));
    }

    [Fact]
    public void Encodes_strings_as_python_json_dumps_does()
    {
        var msg = Api2Encoding.Encode(new JsonObject { ["s"] = "é\"\\\n\u0001/😀", ["n"] = new JsonArray(1, null) });

        Assert.Equal("{\"s\": \"\\u00e9\\\"\\\\\\n\\u0001/\\ud83d\\ude00\", \"n\": [1, null]}", Inflate(msg));
    }

    [Theory]
    [InlineData("abc$")]
    [InlineData("abc")]
    [InlineData("eNo-y00_")]
    [InlineData("not base64 at all!")]
    public void Rejects_text_that_is_not_base64(string msg)
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(msg, MiB));
        Assert.StartsWith("msg is not valid base64", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("  \r\n ")]
    public void Rejects_an_empty_msg(string msg)
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(msg, MiB));
        Assert.StartsWith("msg is empty", error.Message);
    }

    [Fact]
    public void Rejects_raw_deflate_without_the_zlib_header()
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(Compress(Json, s => new DeflateStream(s, CompressionLevel.SmallestSize))), MiB));
        Assert.StartsWith("msg is not zlib-compressed data (msg = base64(zlib(json)))", error.Message);
    }

    [Fact]
    public void Rejects_gzip_with_a_hint_to_use_zlib()
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(Compress(Json, s => new GZipStream(s, CompressionLevel.SmallestSize))), MiB));
        Assert.StartsWith("msg is gzip data, not zlib", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Rejects_random_bytes(int seed)
    {
        var bytes = new byte[512];
        new Random(seed).NextBytes(bytes);

        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(bytes), MiB));
        Assert.StartsWith("msg is not zlib-compressed data", error.Message);
    }

    [Fact]
    public void Rejects_uncompressed_json()
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(Encoding.UTF8.GetBytes(Json)), MiB));
        Assert.StartsWith("msg is not zlib-compressed data", error.Message);
    }

    [Fact]
    public void Rejects_a_truncated_zlib_stream()
    {
        var compressed = Convert.FromBase64String(Msg);

        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(compressed[..^3]), MiB));
        Assert.StartsWith("msg's zlib data is truncated", error.Message);
    }

    [Fact]
    public void Rejects_bytes_after_the_zlib_stream()
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64([.. Convert.FromBase64String(Msg), 1, 2, 3]), MiB));
        Assert.Contains("followed by extra bytes", error.Message);
    }

    [Theory]
    [InlineData("[1, 2]", "an array")]
    [InlineData("\"id\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("true", "a boolean")]
    [InlineData("null", "null")]
    public void Rejects_json_that_is_not_an_object(string json, string what)
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(Compress(json, s => new ZLibStream(s, CompressionLevel.Optimal))), MiB));
        Assert.StartsWith($"msg is not a JSON object (it holds {what})", error.Message);
    }

    [Theory]
    [InlineData("{\"a\": 1")]
    [InlineData("{\"a\": NaN}")]
    [InlineData("{'a': 1}")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    [InlineData("  ")]
    public void Rejects_invalid_json(string json)
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(Compress(json, s => new ZLibStream(s, CompressionLevel.Optimal))), MiB));
        Assert.StartsWith("msg does not inflate to valid UTF-8 JSON", error.Message);
    }

    [Fact]
    public void Rejects_json_that_is_not_utf8()
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write([.. "{\"a\": \""u8, 0xff, 0xfe, .. "\"}"u8]);
        }

        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Base64(output.ToArray()), MiB));
        Assert.StartsWith("msg does not inflate to valid UTF-8 JSON", error.Message);
    }

    [Fact]
    public void Rejects_json_larger_than_the_cap()
    {
        var msg = Api2Encoding.Encode(new JsonObject { ["pad"] = new string('x', 2 * MiB) });
        Assert.True(msg.Length < MiB);

        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(msg, MiB));
        Assert.StartsWith("msg inflates to more than 1 MiB", error.Message);
    }

    [Fact]
    public void Accepts_json_of_exactly_the_cap_and_rejects_one_byte_more()
    {
        const int Cap = 4096;
        var overhead = "{\"pad\": \"\"}".Length;

        var exact = Api2Encoding.Encode(new JsonObject { ["pad"] = new string('x', Cap - overhead) });
        var over = Api2Encoding.Encode(new JsonObject { ["pad"] = new string('x', Cap - overhead + 1) });

        Assert.Equal(Cap - overhead, Api2Message.Decode(exact, Cap)["pad"]!.GetValue<string>().Length);
        Assert.StartsWith("msg inflates to more than 4 KiB", Assert.Throws<Api2Exception>(() => Api2Message.Decode(over, Cap)).Message);
    }

    [Fact]
    public void Rejects_msg_text_longer_than_the_cap_before_decoding_it()
    {
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(new string('A', MiB + 4), MiB));
        Assert.StartsWith("msg is longer than 1 MiB", error.Message);
    }

    [Fact]
    public void Rejects_a_zip_bomb_quickly_without_inflating_it()
    {
        var bomb = ZipBomb(50 * MiB);
        Assert.InRange(bomb.Length, 1, 100 * 1024);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(bomb, MiB));
        stopwatch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.StartsWith("msg inflates to more than 1 MiB", error.Message);
        Assert.InRange(allocated, 0, 4 * MiB);   // about twice the cap at most, never the 50 MB
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    // 50 MB of '0' inside a JSON string, compressed in chunks so the test itself never holds it in memory.
    private static string ZipBomb(int inflatedBytes)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write("{\"pad\": \""u8);
            var chunk = Enumerable.Repeat((byte)'0', MiB).ToArray();
            for (var written = 0; written < inflatedBytes; written += chunk.Length)
            {
                zlib.Write(chunk);
            }

            zlib.Write("\"}"u8);
        }

        return Base64(output.ToArray());
    }

    private static byte[] Compress(string text, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static string Inflate(string msg)
    {
        using var zlib = new ZLibStream(new MemoryStream(Convert.FromBase64String(msg)), CompressionMode.Decompress);
        using var reader = new StreamReader(zlib, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes);
}
