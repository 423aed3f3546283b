using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Api.Jobs;
using CloudSlicer.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CloudSlicer.Api.Tests.Api2;

/// <summary>
/// jobs/get, create and cancel answers are written straight to JSON; they must be byte for byte what the
/// JsonObject answers were (the reference below is that code, kept here as the oracle).
/// </summary>
public sealed class JobAnswerTests
{
    private static readonly JsonSerializerOptions OldOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 128 };

    private static readonly PublicUrls Urls = new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PublicUrl"] = "https://cdn.example.com/" }).Build(), null!);

    private static readonly string Printable = new([.. Enumerable.Range(0x20, 0x5f).Select(c => (char)c)]);

    public static TheoryData<string, string, string> StoredJson() => new()
    {
        // name, args as stored, source as stored
        { "the bench's job", """{"trim":"5000,10000"}""", """{"url":"https://media.example.com/v.mp4"}""" },
        { "empty", "{}", "{}" },
        { "null args", "null", """{"url":"u"}""" },
        { "every printable ASCII character, stored escaped", new JsonObject { ["desc"] = Printable }.ToJsonString(), new JsonObject { ["url"] = "https://x/a?b=1&c=<2>'+`" }.ToJsonString() },
        { "every printable ASCII character, stored raw", new JsonObject { ["desc"] = Printable }.ToJsonString(OldOptions), new JsonObject { ["url"] = "https://x/a?b=1&c=<2>'+`" }.ToJsonString(OldOptions) },
        { "printable ASCII but quote and backslash, stored raw (written verbatim)", "{\"desc\":\"" + Printable.Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal) + "\"}", """{"url":"u"}""" },
        { "non-ASCII and controls, stored escaped", new JsonObject { ["desc"] = "ünïcode 😀 tab\t nl\n ctl\u0001 del\u007f" }.ToJsonString(), """{"url":"https://x/\u00fc"}""" },
        { "non-ASCII, stored raw", """{"desc":"ünïcode 😀 ü"}""", """{"url":"https://x/ü"}""" },
        { "numbers, literals and nesting", """{"a":[1,-0,2.50,1e3,1E-7,true,false,null],"b":{"c":{"d":[]}},"e":""}""", """{"url":"u","n":12345678901234567890}""" },
        { "stored indented", "{\n  \"trim\": \"1,2\",\n  \"x\": [ 1, 2 ]\n}", "{ \"url\" : \"u v\" }" },
        { "spaces inside strings only", """{"desc":"a b  c","meta":{"k k":"v v"}}""", """{"url":"u"}""" },
    };

    [Theory]
    [MemberData(nameof(StoredJson))]
    public async Task Answers_are_the_bytes_the_JsonObject_answers_were(string name, string args, string source)
    {
        Assert.NotEmpty(name);
        foreach (var job in Jobs(args, source))
        {
            Assert.Equal(OldAnswer(job, null), await WrittenAsync(JobDto.Ok(job, Urls)));
            Assert.Equal(OldDto(job).ToJsonString(OldOptions), JobDto.From(job, Urls).ToJsonString(OldOptions));
            var more = new JsonObject { ["illegal_slicer_args"] = new JsonArray("bad_arg", "ü<>") };
            Assert.Equal(OldAnswer(job, more.DeepClone().AsObject()), await WrittenAsync(JobDto.Ok(job, Urls, more)));
        }
    }

    private static IEnumerable<Job> Jobs(string args, string source)
    {
        var waiting = new Job { Id = "0dce9166be404672a7dd0d28d7257587", Owner = "0123456789abcdef0123456789abcdef", Kind = JobKind.Create, State = JobState.Waiting, ArgsJson = args, SourceJson = source, Created = 1_700_000_000_000 };
        yield return waiting;
        yield return waiting with { State = JobState.Assigned, Slicer = "slicer-1 ü", Attempts = 1, LastStart = 1_700_000_001_000, Progress = "Slicing \"x\"", Percent = 42 };
        yield return waiting with { State = JobState.Done, Asset = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d", Finished = 1_700_000_009_000, Percent = 100, Slicer = "kept but not shown" };
        yield return waiting with { State = JobState.Error, LastError = "Source answered 404 <Not Found> & \"quoted\"\nnext line ü 😀", Attempts = 2 };
        yield return waiting with { State = JobState.Cancelled };
    }

    // The answers as JobsApi built them before: a JsonObject per job, "error" added last, ToJsonString.
    private static string OldAnswer(Job job, JsonObject? more)
    {
        var body = new JsonObject { ["job"] = OldDto(job) };
        foreach (var (key, value) in more ?? [])
        {
            body[key] = value?.DeepClone();
        }

        body["error"] = 0;
        return body.ToJsonString(OldOptions);
    }

    private static JsonObject OldDto(Job job)
    {
        var dto = new JsonObject
        {
            ["state"] = job.State.ToWire(),
            ["last_error"] = job.LastError,
            ["args"] = JsonNode.Parse(job.ArgsJson),
            ["attempts"] = job.Attempts,
            ["source"] = JsonNode.Parse(job.SourceJson),
            ["finished"] = job.Finished,
            ["asset"] = job.Asset,
            ["last_start"] = job.LastStart,
            ["owner"] = job.Owner,
            ["progress"] = job.Progress,
            ["percent"] = job.Percent,
            ["slicer"] = job.State == JobState.Assigned ? job.Slicer : null,
            ["id"] = job.Id,
        };
        if (job is { State: JobState.Done, Asset: { } asset })
        {
            dto["playback_url"] = Urls.Playback(asset);
            dto["poster_url"] = Urls.Poster(asset);
        }

        return dto;
    }

    private static async Task<string> WrittenAsync(IResult result)
    {
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;
        await result.ExecuteAsync(http);
        Assert.Equal("application/json; charset=utf-8", http.Response.ContentType);
        Assert.Equal(body.Length, http.Response.ContentLength);
        return Encoding.UTF8.GetString(body.ToArray());
    }
}
