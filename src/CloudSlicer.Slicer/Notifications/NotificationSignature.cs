using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CloudSlicer.Slicer.Notifications;

/// <summary>
/// The <c>X-CloudSlicer-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;…]</c>, one
/// <c>v1</c> per enabled API key of the job's owner, each HMAC-SHA256(key, "&lt;t&gt;.&lt;body&gt;"). The receiver
/// knows one key and accepts when any v1 matches, so rotating keys never breaks it; it rejects an old <c>t</c>
/// to stop replays. docs/notifications.md shows how to check it.
/// </summary>
public static class NotificationSignature
{
    public const string Header = "X-CloudSlicer-Signature";

    public static string For(long unixSeconds, string body, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{t}.{body}");
        var header = new StringBuilder("t=").Append(t);
        foreach (var key in keys)
        {
            header.Append(",v1=").Append(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), signed)));
        }

        return header.ToString();
    }
}
