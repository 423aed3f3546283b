namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>
/// The fault tests run one at a time: each loads both cores with its own deployment, and a fault (a killed process,
/// a stopped server) must not land on another test's work.
/// </summary>
[CollectionDefinition(Name)]
public sealed class Faults
{
    public const string Name = "Scale-out faults";
}
