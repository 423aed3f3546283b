using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Unicode;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// <c>msg</c> and <c>sig</c> from a plain <c>application/x-www-form-urlencoded</c> body, read straight off the
/// request pipe: every api2 call has exactly these two fields, and ASP.NET Core's form reader (a dictionary of
/// every field, each value decoded) cost more than the signature check. Same rules as that reader for what
/// matters here: fields split on <c>&amp;</c>, names matched ignoring case, the first of a repeated name wins,
/// <c>+</c> is a space and <c>%XX</c> a UTF-8 byte (a malformed escape stays as written), and the same field
/// count and name length limits with the same words.
/// </summary>
public static class Api2Form
{
    public const string ContentType = "application/x-www-form-urlencoded";

    // FormOptions' defaults, which the form reader applied before.
    private const int MaxFields = 1024;
    private const int MaxNameLength = 2048;

    /// <summary>Reads the whole body (Kestrel's body size limit applies) and returns its msg and sig fields.</summary>
    public static async Task<(string? Msg, string? Sig)> ReadAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCompleted)
            {
                try
                {
                    return Parse(read.Buffer);
                }
                finally
                {
                    body.AdvanceTo(read.Buffer.End);
                }
            }

            // Nothing consumed, everything examined: the next read returns once more of the body has arrived.
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>msg and sig from a whole urlencoded body; null for a field that is absent.</summary>
    public static (string? Msg, string? Sig) Parse(ReadOnlySequence<byte> body)
    {
        var form = body.IsSingleSegment ? body.FirstSpan : body.ToArray();
        string? msg = null, sig = null;
        var fields = 0;
        while (!form.IsEmpty)
        {
            var end = form.IndexOf((byte)'&');
            var field = end < 0 ? form : form[..end];
            form = end < 0 ? default : form[(end + 1)..];
            if (field.IsEmpty)
            {
                continue;
            }

            if (++fields > MaxFields)
            {
                throw Unreadable($"Form value count limit {MaxFields} exceeded.");
            }

            var equals = field.IndexOf((byte)'=');
            var name = equals < 0 ? field : field[..equals];
            var value = equals < 0 ? default : field[(equals + 1)..];
            if (name.Length > MaxNameLength)
            {
                throw Unreadable($"Form key length limit {MaxNameLength} exceeded.");
            }

            if (msg is null && Is(name, "msg"u8))
            {
                msg = Decode(value);
            }
            else if (sig is null && Is(name, "sig"u8))
            {
                sig = Decode(value);
            }
        }

        return (msg, sig);
    }

    private static Api2Exception Unreadable(string reason) =>
        new($"The form could not be read: {reason} Send only msg and sig, as application/x-www-form-urlencoded fields");

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> wanted) =>
        name.IndexOfAny((byte)'%', (byte)'+') < 0
            ? Ascii.EqualsIgnoreCase(name, wanted)
            : Ascii.EqualsIgnoreCase(Encoding.UTF8.GetBytes(Decode(name)), wanted);

    private static string Decode(ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return Encoding.UTF8.GetString(value);
        }

        var decoded = value.Length <= 1024 ? stackalloc byte[value.Length] : new byte[value.Length];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == '+')
            {
                b = (byte)' ';
            }
            else if (b == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                b = (byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                i += 2;
            }

            decoded[length++] = b;
        }

        // Escapes that do not spell UTF-8 stay as written, as the framework's decoder leaves them (Uri's does too).
        return Utf8.IsValid(decoded[..length])
            ? Encoding.UTF8.GetString(decoded[..length])
            : Uri.UnescapeDataString(Encoding.UTF8.GetString(value).Replace('+', ' '));
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
