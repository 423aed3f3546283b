using System.CommandLine;
using CloudSlicer.Commands;

// cloudslicer serve | owner add | owner key add | owner key disable (DESIGN.md §2).
var root = new RootCommand("CloudSlicer: a self-hosted Cloud Slicer API v2 service that slices media into adaptive HLS")
{
    ServeCommand.Create(),
    OwnerCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
