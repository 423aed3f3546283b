namespace CloudSlicer.Core.Jobs.Specs;

/// <summary><c>/jobs/create_export</c>: one MP4 of <paramref name="Asset"/>, its audio HE-AAC v1, or AAC-LC with <c>aaclc=1</c>.</summary>
public sealed record ExportSpec(string Asset, bool AacLc);
