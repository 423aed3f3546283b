using CloudSlicer.Api.Api2;
using static CloudSlicer.Api.Tests.Api2.Api2Vectors;

namespace CloudSlicer.Api.Tests.Api2;

/// <summary>Corrupted messages must fail with a client-facing <see cref="Api2Exception"/>, never with anything else.</summary>
public sealed class Api2MessageFuzzTests
{
    [Fact]
    public void A_zlib_header_asking_for_a_preset_dictionary_is_refused()
    {
        byte[] compressed = [0x78, 0x20, .. Convert.FromBase64String(Msg)[2..]];

        var error = Assert.Throws<Api2Exception>(() => Api2Message.Decode(Convert.ToBase64String(compressed), MiB));
        Assert.StartsWith("msg is not zlib-compressed data", error.Message);
    }

    [Fact]
    public void Every_corruption_of_the_compressed_bytes_is_refused_or_decodes_to_an_object()
    {
        var original = Convert.FromBase64String(Python2Msg);
        var random = new Random(20261122);
        for (var i = 0; i < 5000; i++)
        {
            var corrupted = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupted[random.Next(corrupted.Length)] ^= (byte)random.Next(1, 256);
            }

            var cut = random.Next(4) == 0 ? corrupted[..random.Next(corrupted.Length)] : corrupted;
            try
            {
                Api2Message.Decode(Convert.ToBase64String(cut), MiB);
            }
            catch (Api2Exception)
            {
                // the expected outcome for nearly every corruption
            }
        }
    }
}
