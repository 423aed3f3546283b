using CloudSlicer.Core.Jobs;
using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Tests.Running;

/// <summary>
/// The slicer service in the slicer registry: its slicers are there with their kinds while it runs (kept
/// alive by beats the fake clock drives), and gone after a clean stop.
/// </summary>
public sealed class SlicerRegistrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    private readonly QueueOnDisk _store = new();
    private SlicerService? _service;

    private static string Prefix => $"{Environment.MachineName}:{Environment.ProcessId}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
        }

        _store.Dispose();
    }

    [Fact]
    public async Task The_registry_sees_each_slicer_with_its_kinds_while_it_runs_and_none_after_a_clean_stop()
    {
        await StartAsync(count: 2, new ScriptedHandler());

        var alive = await Eventually.UntilAsync(AliveAsync, l => l.Count == 2, Deadline, "both slicers to register");
        Assert.Equal([$"{Prefix}:0", $"{Prefix}:1"], alive.Select(s => s.Id));
        Assert.All(alive, s => Assert.Equal([JobKind.Create], s.Kinds));
        Assert.All(alive, s => Assert.Equal((Environment.MachineName, Environment.ProcessId, Beat), (s.Host, s.Pid, s.BeatInterval)));

        await _service!.StopAsync(CancellationToken.None);

        Assert.Empty(await AliveAsync());
    }

    [Fact]
    public async Task A_slicer_without_handlers_registers_with_no_kinds()
    {
        await StartAsync(count: 1);

        var slicer = Assert.Single(await Eventually.UntilAsync(AliveAsync, l => l.Count == 1, Deadline, "the slicer to register"));
        Assert.Empty(slicer.Kinds);
    }

    [Fact]
    public async Task A_running_slicer_beats_past_the_liveness_window_and_reports_its_job()
    {
        var handler = new ScriptedHandler();
        await StartAsync(count: 1, handler);
        var job = await _store.EnqueueAsync();
        await handler.Started.WaitAsync(Deadline);

        // Five beats: without them the registration would have gone stale after three.
        _store.Clock.Advance(Beat * 5);

        var slicer = Assert.Single(await Eventually.UntilAsync(
            AliveAsync, l => l is [{ Job: not null }], Deadline, "a beat that keeps the slicer alive with its job"));
        Assert.Equal(job.Id, slicer.Job);
        handler.Finish(new JobOutput(null));
    }

    [Fact]
    public async Task A_slicer_whose_registration_was_lost_registers_again_at_its_next_beat()
    {
        await StartAsync(count: 1);
        await Eventually.UntilAsync(AliveAsync, l => l.Count == 1, Deadline, "the slicer to register");

        await _store.Registry.ForgetStaleAsync(TimeSpan.FromMilliseconds(-1), CancellationToken.None);   // forgets every row
        Assert.Empty(await AliveAsync());
        _store.Clock.Advance(Beat);

        await Eventually.UntilAsync(AliveAsync, l => l.Count == 1, Deadline, "the slicer to register again");
    }

    private async Task<IReadOnlyList<Storage.Slicers.SlicerRecord>> AliveAsync() =>
        await _store.Registry.ListAliveAsync(CancellationToken.None);

    private async Task StartAsync(int count, params IJobHandler[] handlers)
    {
        var options = Options.Create(new SlicerOptions
        {
            Count = count,
            WorkDirectory = Path.Combine(_store.Directory, "work"),
            RegistryInterval = Beat,
        });
        _service = new SlicerService(_store.Queue, _store.Signals, _store.Registry, handlers, options, _store.Clock, NullLogger<SlicerService>.Instance);
        await _service.StartAsync(CancellationToken.None);
    }
}
