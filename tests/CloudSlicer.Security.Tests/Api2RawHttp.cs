using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CloudSlicer.Security.Tests;

/// <summary>An HTTP/1.1 response as it came off the socket.</summary>
internal sealed record RawHttpResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"HTTP {Status}: {(Body.Length > 300 ? Body[..300] + "…" : Body)}";
}

/// <summary>
/// Requests written byte for byte to a socket, for probes HttpClient would tidy up first (it resolves
/// <c>%2e%2e</c> and <c>..</c> segments and refuses some characters): the request target goes out exactly as given.
/// </summary>
internal static class Api2RawHttp
{
    /// <param name="chunked">Send the body with chunked transfer encoding instead of a Content-Length.</param>
    public static async Task<RawHttpResponse> SendAsync(
        string serverUrl, string method, string target, byte[]? body = null, string? contentType = null, bool chunked = false)
    {
        var server = new Uri(serverUrl);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();

        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {server.Authority}\r\n")
            .Append("Connection: close\r\n");
        if (contentType is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        }

        if (body is not null)
        {
            head.Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");

        // Written while the answer is read: a server refusing an oversized body answers and closes before reading
        // it all, and a client that only reads once it has written everything would meet the reset instead.
        var writing = WriteAsync(stream, Encoding.Latin1.GetBytes(head.ToString()), body, chunked, timeout.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        await writing;
        return Parse(received.ToArray());
    }

    private static async Task WriteAsync(NetworkStream stream, byte[] head, byte[]? body, bool chunked, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(head, cancellationToken);
            if (body is null)
            {
                return;
            }

            if (!chunked)
            {
                await stream.WriteAsync(body, cancellationToken);
                return;
            }

            foreach (var chunk in body.Chunk(64 * 1024))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), cancellationToken);
                await stream.WriteAsync(chunk, cancellationToken);
                await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
            }

            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
        }
        catch (IOException)
        {
            // The server stopped reading (it refused the request); its answer is what the caller checks.
        }
    }

    private static RawHttpResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"no complete HTTP response: {text}");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
        }

        var body = bytes.AsSpan(end + 4);
        var content = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? Dechunk(body)
            : body.ToArray();
        return new RawHttpResponse(status, headers, Encoding.UTF8.GetString(content));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream();
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n"u8);
            var size = int.Parse(Encoding.ASCII.GetString(body[..lineEnd]).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return output.ToArray();
            }

            output.Write(body.Slice(lineEnd + 2, size));
            body = body[(lineEnd + 2 + size + 2)..];
        }
    }
}
