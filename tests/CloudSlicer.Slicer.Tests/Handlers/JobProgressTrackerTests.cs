namespace CloudSlicer.Slicer.Tests.Handlers;

public sealed class JobProgressTrackerTests
{
    [Theory]
    [InlineData(0.0, "Slicing 0%", 15)]
    [InlineData(0.634, "Slicing 63%", 65)]
    [InlineData(1.0, "Slicing 100%", 95)]
    [InlineData(1.7, "Slicing 100%", 95)]
    [InlineData(-0.2, "Slicing 0%", 15)]
    public void A_phase_reports_its_own_percent_as_text_and_its_share_of_the_whole(double fraction, string text, int percent)
    {
        var tracker = new JobProgressTracker();
        tracker.For("Slicing", 15, 95).Report(fraction);
        Assert.Equal((text, percent), (tracker.Current.Text, tracker.Current.Percent));
    }

    [Fact]
    public void A_new_job_starts_at_starting_and_phases_replace_each_other()
    {
        var tracker = new JobProgressTracker();
        Assert.Equal(("Starting", 0), (tracker.Current.Text, tracker.Current.Percent));
        tracker.For("Downloading", 0, 15).Report(0.4);
        Assert.Equal(("Downloading 40%", 6), (tracker.Current.Text, tracker.Current.Percent));
        tracker.Phase("Storing", 95);
        Assert.Equal(("Storing", 95), (tracker.Current.Text, tracker.Current.Percent));
    }
}
