using System.CommandLine;
using CloudSlicer.Commands;

// cloudslicer serve | slicer | owner add | owner key add | owner key disable (DESIGN.md §2).
var root = new RootCommand("CloudSlicer: a self-hosted Cloud Slicer API v2 service that slices media into adaptive HLS")
{
    ServeCommand.Create(),
    SlicerCommand.Create(),
    OwnerCommands.Create(),
};

// SIGTERM and Ctrl+C belong to the host of serve and slicer, which stops its slicers and hands their jobs back
// however long that takes (Host:ShutdownTimeout); System.CommandLine would end the process with 143 after 2 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
