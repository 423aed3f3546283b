using System.ComponentModel.DataAnnotations;
using CloudSlicer.Api.Api2;

namespace CloudSlicer.Api.Tests.Api2;

public sealed class Api2OptionsTests
{
    [Fact]
    public void Defaults_are_the_protocol_limits_and_valid()
    {
        var options = new Api2Options();

        Assert.Equal(TimeSpan.FromSeconds(300), options.ClockSkew);
        Assert.Equal(1_048_576, options.MaxMessageBytes);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void A_zero_clock_skew_or_a_tiny_message_cap_is_refused_naming_the_key()
    {
        var errors = Validate(new Api2Options { ClockSkew = TimeSpan.Zero, MaxMessageBytes = 10 });

        Assert.Equal(["ClockSkew", "MaxMessageBytes"], errors.SelectMany(e => e.MemberNames).Order());
    }

    private static List<ValidationResult> Validate(Api2Options options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
