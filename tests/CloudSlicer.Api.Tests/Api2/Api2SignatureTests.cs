using CloudSlicer.Api.Api2;
using static CloudSlicer.Api.Tests.Api2.Api2Vectors;

namespace CloudSlicer.Api.Tests.Api2;

public sealed class Api2SignatureTests
{
    [Fact]
    public void Computes_the_design_test_vector()
    {
        Assert.Equal(Sig, Api2Signature.Compute(Msg, Key));
    }

    [Fact]
    public void Computes_the_python2_vector_over_the_text_with_its_line_breaks()
    {
        Assert.Equal(Python2Sig, Api2Signature.Compute(Python2Msg, Key));
        Assert.True(Api2Signature.Matches(Python2Msg, Python2Sig, Key));
    }

    [Fact]
    public void A_python2_signature_does_not_cover_the_msg_with_its_line_breaks_removed()
    {
        Assert.False(Api2Signature.Matches(Python2Msg.Replace("\n", ""), Python2Sig, Key));
        Assert.False(Api2Signature.Matches(Python2Msg.Replace("\n", "\r\n"), Python2Sig, Key));
    }

    [Fact]
    public void Matches_the_design_test_vector_in_either_case()
    {
        Assert.True(Api2Signature.Matches(Msg, Sig, Key));
        Assert.True(Api2Signature.Matches(Msg, Sig.ToUpperInvariant(), Key));
        Assert.True(Api2Signature.Matches(Msg, string.Concat(Sig.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c)), Key));
    }

    [Fact]
    public void Does_not_match_under_another_key()
    {
        Assert.False(Api2Signature.Matches(Msg, Sig, Key.Replace('1', '2')));
    }

    [Fact]
    public void Does_not_match_another_msg()
    {
        Assert.False(Api2Signature.Matches(Msg + "\n", Sig, Key));
        Assert.False(Api2Signature.Matches(Msg.Replace('A', 'B'), Sig, Key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(63)]
    public void Does_not_match_with_one_hex_digit_changed(int position)
    {
        var chars = Sig.ToCharArray();
        chars[position] = chars[position] == '0' ? '1' : '0';

        Assert.False(Api2Signature.Matches(Msg, new string(chars), Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6dd")]        // 63 digits
    [InlineData("99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6d")]         // 62 digits
    [InlineData("99eedea17e8f70a63a0e20c7121779a7")]                                       // first half
    [InlineData("99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6dd300")]     // too long
    [InlineData("99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6ddg")]       // not hex
    [InlineData("99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6dd ")]       // space for a digit
    [InlineData(" 99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6dd3")]      // padded
    [InlineData("99eedea17e8f70a63a0e20c7121779a7e123f942f404fcb911858b2c815c6dd3\n")]     // trailing newline
    [InlineData("mO7eoX6PcKY6DiDHEhd5p+Ej+UL0BPy5EYWLLIFcbdM=")]                            // base64, not hex
    public void Malformed_signatures_do_not_match_and_do_not_throw(string sig)
    {
        Assert.False(Api2Signature.Matches(Msg, sig, Key));
    }

    [Fact]
    public void Null_signature_does_not_match()
    {
        Assert.False(Api2Signature.Matches(Msg, null!, Key));
    }
}
