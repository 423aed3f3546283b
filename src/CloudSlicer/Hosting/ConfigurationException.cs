namespace CloudSlicer.Hosting;

/// <summary>Bad configuration: start-up stops and prints this one line.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
