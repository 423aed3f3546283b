namespace CloudSlicer.Testing;

/// <summary>Waits for a condition with a deadline: tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var delay = TimeSpan.FromMilliseconds(20);
        T last = await probe();
        while (!done(last))
        {
            try
            {
                await Task.Delay(delay, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last seen: {last}");
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 250));
            last = await probe();
        }

        return last;
    }
}
