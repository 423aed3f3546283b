using CloudSlicer.Bench;
using CloudSlicer.DispatchBench;

// The dispatch latency benchmark (bench/README.md): create → assigned on PostgreSQL with an idle slicer, CloudSlicer's
// `serve --slicers 0` + `slicer --count 1` against a bare SKIP LOCKED loop, interleaved. Writes docs/benchmarks.md.

return await BenchHost.RunAsync<DispatchOptions>("bench-dispatch", DispatchOptions.Usage, DispatchOptions.Parse, DispatchRun.RunAsync, args);
