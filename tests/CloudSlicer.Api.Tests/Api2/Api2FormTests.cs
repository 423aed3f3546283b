using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using CloudSlicer.Api.Api2;
using CloudSlicer.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace CloudSlicer.Api.Tests.Api2;

/// <summary>
/// The api2 form reader must find the same msg and sig as ASP.NET Core's form reader, which it replaced on the
/// hot path: a difference would change what is verified.
/// </summary>
public sealed class Api2FormTests
{
    public static TheoryData<string> Bodies()
    {
        var (msg, sig) = Signed();
        return new TheoryData<string>
        {
            $"msg={Uri.EscapeDataString(msg)}&sig={sig}",
            $"sig={sig}&msg={Uri.EscapeDataString(msg)}",
            "msg=a+b%2Bc%2F%3D%0A&sig=00",
            "MSG=upper&Sig=mixed",
            "m%73g=encoded-name&s%69g=x",
            "msg=first&msg=second&sig=1&sig=2",
            "msg&sig=",
            "msg=&sig",
            "&&msg=x&&",
            "foo=bar",
            "",
            "msg=%%%&sig=zz",
            "msg=%4&sig=%4g",
            "msg=%C3%A9t%C3%A9&sig=%E2%82%AC",
            "msg=%FF%FE&sig=%C3",
            "msg=%C3%A9%FF+x&sig=%E2%82",
            "msg=a=b=c&sig=%3d",
            "msg=ünïcode&sig=😀",
        };
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Finds_what_the_framework_form_reader_finds(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var framework = await new FormPipeReader(PipeReader.Create(new MemoryStream(bytes))).ReadFormAsync();
        Assert.Equal(
            (framework.TryGetValue("msg", out var m) ? m.FirstOrDefault() : null, framework.TryGetValue("sig", out var s) ? s.FirstOrDefault() : null),
            Api2Form.Parse(new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public async Task Reads_a_body_that_arrives_in_pieces()
    {
        var (msg, sig) = Signed();
        var pipe = new Pipe();
        var reading = Api2Form.ReadAsync(pipe.Reader, CancellationToken.None);
        var body = Encoding.ASCII.GetBytes($"msg={Uri.EscapeDataString(msg)}&sig={sig}");
        foreach (var chunk in body.Chunk(7))
        {
            await pipe.Writer.WriteAsync(chunk);
        }

        await pipe.Writer.CompleteAsync();
        Assert.Equal((msg, sig), await reading);
    }

    [Fact]
    public void Too_many_fields_are_refused_naming_the_limit()
    {
        var body = string.Join('&', Enumerable.Range(0, 1025).Select(i => $"f{i}=x"));
        var refused = Assert.Throws<Api2Exception>(() => Api2Form.Parse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(body))));
        Assert.Contains("1024", refused.Message, StringComparison.Ordinal);
        Assert.Contains("msg and sig", refused.Message, StringComparison.Ordinal);
    }

    private static (string Msg, string Sig) Signed()
    {
        var client = new Api2Client(new HttpClient(), "0123456789abcdef0123456789abcdef", "secret") { Python2LineBreaks = true };
        var signed = client.Sign(new { id = "x", desc = new string('d', 200) });
        return (signed.Msg, signed.Sig);
    }
}
