using System.Net.Sockets;
using CloudSlicer.Testing;

namespace CloudSlicer.Security.Tests;

/// <summary>The instrument first: a canary that never counted anything would make every "0 connections" meaningless.</summary>
public sealed class CanaryTests
{
    [Fact]
    public async Task The_canary_counts_a_connection_made_to_it()
    {
        await using var canary = CanaryListener.Start();
        Assert.Equal(0, canary.Connections);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", canary.Port);
        }

        await Eventually.UntilAsync(() => Task.FromResult(canary.Connections), n => n == 1, TimeSpan.FromSeconds(10), "the canary to count the connection");
    }
}
