using System.Globalization;
using System.Text;

namespace CloudSlicer.ApiBench;

/// <summary>Writes the job API section of docs/benchmarks.md and the summary printed at the end of a run.</summary>
public static class Report
{
    public const string SectionStart = "<!-- bench:api:start -->";
    public const string SectionEnd = "<!-- bench:api:end -->";

    private const string DocHeader = "# Benchmarks\n";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string PhaseLine(PhaseResult p) => string.Create(Inv,
        $"round {p.Round}: {p.Side,-11} {p.Operation,-6} {p.RequestsPerSecond,8:0} req/s  p50 {Ms(p.P50),7}  p99 {Ms(p.P99),7}  max {Ms(p.Max),7} ms  ({p.Count} requests, {p.Slow} >= 100 ms{(p.Failures > 0 ? $", {p.Failures} FAILED" : "")}; {CpuText(p)}; other processes {p.Contention.Share:0%} of the cores)");

    public static string Summary(ApiResults r)
    {
        var s = new StringBuilder();
        s.AppendLine();
        s.AppendLine(Inv, $"Job API benchmark: {r.Options.Rounds} interleaved rounds, {r.Options.Concurrency} workers, {r.Options.Seconds} s per phase after {r.Options.Warmup} s warm-up, {r.Machine.Cores} cores ({r.Machine.CpuModel}), load generator on the same cores");
        s.AppendLine(Inv, $"  {"operation",-10}{"side",-12}{"req/s",9}{"p50 ms",9}{"p99 ms",9}{"max ms",9}{"requests",10}{"server CPU/req",16}");
        foreach (var op in new[] { Ops.Create, Ops.Get })
        {
            foreach (var side in new[] { Sides.Baseline, Sides.CloudSlicer })
            {
                var f = r.Figures(side, op);
                s.AppendLine(Inv, $"  {op,-10}{side,-12}{f.RequestsPerSecond,9:0}{Ms(f.P50),9}{Ms(f.P99),9}{Ms(f.Max),9}{f.Requests,10}{(f.ServerCpuPerRequest is { } c ? Us(c) + " µs" : "(in bench)"),16}");
            }

            s.AppendLine(Inv, $"  {op,-10}CloudSlicer / baseline: throughput {r.ThroughputRatio(op):0.00}×, p99 {r.P99Ratio(op):0.00}×");
        }

        var m = r.Micro;
        s.AppendLine(Inv, $"  in-process, per call: client sign {Us(m.ClientSign)} µs; server Api2Message.Decode {Us(m.ServerDecode)} µs + Api2Signature.Matches {Us(m.ServerSignature)} µs; one INSERT {Us(m.DbInsert)} µs, one SELECT {Us(m.DbSelect)} µs (pooled connection + pragmas, no HTTP)");
        s.AppendLine(Inv, $"  failures: {r.TotalFailures} of {r.TotalSent} requests; server warnings/errors: {r.ServerProblemLines.Count}");
        s.AppendLine(Inv, $"  load average before {r.LoadBefore}, after {r.LoadAfter}; the bench took {r.Total.TotalMinutes:0.0} min");
        return s.ToString();
    }

    public static string FailureText(ApiResults r)
    {
        var s = new StringBuilder();
        s.AppendLine(Inv, $"bench-api: FAILED: {r.TotalFailures} of {r.TotalSent} requests failed (non-2xx, api2 error, or no answer); the figures are not written.");
        foreach (var p in r.Phases.Where(p => p.Failures > 0))
        {
            s.AppendLine(Inv, $"  round {p.Round} {p.Side} {p.Operation}: {p.Failures} failed, e.g.");
            foreach (var sample in p.FailureSamples)
            {
                s.AppendLine(Inv, $"    {sample}");
            }
        }

        if (r.Phases.SelectMany(p => p.FailureSamples).Concat(r.ServerProblemLines).Any(l => l.Contains("locked", StringComparison.OrdinalIgnoreCase)))
        {
            s.AppendLine("  \"database is locked\" seen: SQLite writers gave up waiting for the write lock. That is a bug, not noise.");
        }

        foreach (var line in r.ServerProblemLines.Take(10))
        {
            s.AppendLine(Inv, $"  server: {line}");
        }

        return s.ToString();
    }

    public static void Write(string path, ApiResults r)
    {
        var section = Section(r).TrimEnd() + "\n";
        var text = File.Exists(path) ? File.ReadAllText(path) : DocHeader;
        var start = text.IndexOf(SectionStart, StringComparison.Ordinal);
        var end = text.IndexOf(SectionEnd, StringComparison.Ordinal);
        text = start >= 0 && end > start
            ? text[..start] + section.TrimEnd('\n') + text[(end + SectionEnd.Length)..]
            : text.TrimEnd() + "\n\n" + section;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.TrimEnd() + "\n");
    }

    public static string Section(ApiResults r)
    {
        var o = r.Options;
        var m = new StringBuilder();
        m.AppendLine(SectionStart);
        m.AppendLine("## Job API: CloudSlicer vs a bare ASP.NET Core endpoint");
        m.AppendLine();
        m.AppendLine("<!-- Written by bench/CloudSlicer.ApiBench (`make bench-api`); edits between the bench:api markers are overwritten. -->");
        m.AppendLine();
        m.AppendLine("Goal (DESIGN.md §6): create and get throughput at least 0.8× a bare ASP.NET Core endpoint doing the same database statement, p99 within 1.5×. The figures show what api2 signing, validation and the envelope cost on top of the same SQLite statement (the owner's keys come from a per-owner cache that any key change, from any process, invalidates at the next request).");
        m.AppendLine();
        m.AppendLine("| operation | | bare ASP.NET Core | CloudSlicer | CloudSlicer / bare |");
        m.AppendLine("|---|---|---:|---:|---:|");
        foreach (var op in new[] { Ops.Create, Ops.Get })
        {
            var b = r.Figures(Sides.Baseline, op);
            var c = r.Figures(Sides.CloudSlicer, op);
            m.AppendLine(Inv, $"| {op} | requests/s | {b.RequestsPerSecond:0} | {c.RequestsPerSecond:0} | **{r.ThroughputRatio(op):0.00}** |");
            m.AppendLine(Inv, $"| {op} | p99 latency (ms) | {Ms(b.P99)} | {Ms(c.P99)} | **{r.P99Ratio(op):0.00}** |");
            m.AppendLine(Inv, $"| {op} | p50 latency (ms) | {Ms(b.P50)} | {Ms(c.P50)} | {c.P50 / b.P50:0.00} |");
        }

        m.AppendLine();
        m.AppendLine(Inv, $"Medians of {o.Rounds} rounds; a ratio is median over median. Throughput above 1 and p99 below 1 would favour CloudSlicer.");
        m.AppendLine();
        m.AppendLine(Inv, $"Measured {r.Date:yyyy-MM-dd HH:mm} UTC with `make bench-api` (`make build`, then `dotnet run --project bench/CloudSlicer.ApiBench -c Release`), default options `{o.Spelled()}`, on {r.Machine.Cores} cores (`nproc`; `{r.Machine.CpuModel}` in /proc/cpuinfo), {r.Machine.Os}, {r.Machine.Runtime}. The bench took {r.Total.TotalMinutes:0.0} min. Load average (1/5/15 min) {r.LoadBefore} before, {r.LoadAfter} after; the *other processes* column is the better measure of outside load. **The load generator runs on the same {r.Machine.Cores} cores as the server under test** (there is no other machine), so both sides' figures include the client's own CPU use, and neither is a ceiling the server would reach with the cores to itself.");
        m.AppendLine();

        foreach (var op in new[] { Ops.Create, Ops.Get })
        {
            m.AppendLine(Inv, $"### {(op == Ops.Create ? "jobs/create" : "jobs/get")}");
            m.AppendLine();
            m.AppendLine("| round | side | requests/s | p50 (ms) | p99 (ms) | max (ms) | requests | ≥ 100 ms | server CPU per request | bench process CPU per request | other processes |");
            m.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var p in r.Phases.Where(p => p.Operation == op))
            {
                m.AppendLine(Inv, $"| {p.Round} | {p.Side} | {p.RequestsPerSecond:0} | {Ms(p.P50)} | {Ms(p.P99)} | {Ms(p.Max)} | {p.Count} | {p.Slow} | {(p.ServerCpuPerRequest is { } sc ? Us(sc) + " µs" : "in the bench process")} | {Us(p.BenchCpuPerRequest)} µs | {p.Contention.Share:0%} ({p.Contention.Others.TotalSeconds:0.0} s) |");
            }

            foreach (var side in new[] { Sides.Baseline, Sides.CloudSlicer })
            {
                var f = r.Figures(side, op);
                m.AppendLine(Inv, $"| **median** | {side} | **{f.RequestsPerSecond:0}** | {Ms(f.P50)} | **{Ms(f.P99)}** | {Ms(f.Max)} (max) | {f.Requests} (sum) | {f.Slow} (sum) | {(f.ServerCpuPerRequest is { } sc ? Us(sc) + " µs" : "")} | {Us(f.BenchCpuPerRequest)} µs | |");
            }

            m.AppendLine();
        }

        m.AppendLine(Inv, $"Every request of every phase, warm-up included, succeeded: {r.TotalFailures} failures in {r.TotalSent} requests (a non-2xx answer, an api2 `\"error\"` other than 0, a wrong job, or no answer counts as a failure, and any failure stops the bench before it writes this file). The server logged {r.ServerProblemLines.Count} warnings or errors{(r.ServerProblemLines.Any(l => l.Contains("locked", StringComparison.OrdinalIgnoreCase)) ? ", among them **database is locked**" : "")}.");
        m.AppendLine();
        m.AppendLine("### Where CloudSlicer's extra cost goes");
        m.AppendLine();
        m.AppendLine(Overhead(r));
        m.AppendLine();
        m.AppendLine("### What is compared");
        m.AppendLine();
        m.AppendLine(Inv, $"- **CloudSlicer:** the real server, `{r.ServerCommand}` (`CLOUDSLICER_*` variables cleared; API only, queue maintenance running), one process for the whole bench; its output is kept in `bench/out/last-api-server.log`. Load: signed api2 form POSTs exactly as `tools/uplynk_api2_auth.py` sends them — `msg = base64(zlib level 9(json.dumps(dict(params, _owner, _timestamp))))` (`Api2Encoding.Encode`, the test support encoder), `sig = hex(HMAC-SHA256(secret, msg))` (`Api2Signature.Compute`). `/api2/cloudslicer/jobs/create` with `source {{\"url\": \"{ApiBench.SourceUrl}\"}}` and `args {{\"trim\": \"{ApiBench.Trim}\"}}`; `/api2/cloudslicer/jobs/get` of one job made before the rounds. `_timestamp` is whole seconds, so the Python helper sends the very same msg and sig for identical calls within a second; the load generator likewise signs each call once a second and sends that msg and sig for the rest of the second (outside the timed interval), so the signing a client does on its own machine ({Us(r.Micro.ClientSign)} µs a signature) does not take the cores this bench shares with the server. The server decodes and verifies every request in full.");
        m.AppendLine(Inv, $"- **Bare ASP.NET Core (baseline):** a minimal API in the bench process (`WebApplication.CreateSlimBuilder`, Kestrel on 127.0.0.1:0, logging providers cleared, Release, server GC as `dist/cloudslicer` has). `POST /jobs` takes the same parameters as plain JSON (`{{\"source\": {{\"url\": ...}}, \"args\": {{\"trim\": ...}}}}`) and runs one INSERT of the same row; `GET /jobs/{{id}}` runs one SELECT by id; each answers a small JSON object (id, state, owner, args, source, created). No signing, no envelope, no owner lookup. The database matches CloudSlicer's: a SQLite file with its schema and indexes (made by CloudSlicer.Storage's own migration), WAL, the statements `SqliteSql.Enqueue` (`INSERT INTO jobs ... RETURNING *`) and `SqliteSql.Get`, a pooled Microsoft.Data.Sqlite connection opened per request with CloudSlicer's per-connection pragmas run once per native connection, as CloudSlicer does (`{StoreSql.PragmasLine}`), all read from the built CloudSlicer.Storage so the two cannot drift apart.");
        m.AppendLine(Inv, $"- **Load generator:** in the bench process, one `HttpClient` per side (`SocketsHttpHandler`, pooled keep-alive HTTP/1.1 connections, at most one per worker), {o.Concurrency} workers each sending back to back; per phase {o.Warmup} s of warm-up (not counted) then {o.Seconds} s measured. A request counts if it completes inside the measured window; its latency runs from just before `SendAsync` to the whole answer read (`Stopwatch` ticks), every one recorded; p50/p99 are nearest-rank. Server CPU is the server process's user + system time from /proc over the measured window, divided by the requests counted; *bench process CPU* is the same for this process (the client, plus the baseline server in baseline rows); *other processes* is the rest of the machine's /proc/stat busy time over the window, as a share of cores × time.");
        m.AppendLine(Inv, $"- **Interleaved:** each round runs baseline create, CloudSlicer create, baseline get, CloudSlicer get; {o.Rounds} rounds. Both databases grow by the jobs created (a few tens of thousands of rows), alike on both sides.");
        m.AppendLine();
        m.AppendLine(SectionEnd);
        return m.ToString();
    }

    /// <summary>The paragraph on where CloudSlicer's extra cost goes, from the measured figures.</summary>
    private static string Overhead(ApiResults r)
    {
        var mi = r.Micro;
        var p = new StringBuilder();
        var bc = r.Figures(Sides.Baseline, Ops.Create);
        var cc = r.Figures(Sides.CloudSlicer, Ops.Create);
        var bg = r.Figures(Sides.Baseline, Ops.Get);
        var cg = r.Figures(Sides.CloudSlicer, Ops.Get);
        var verify = mi.ServerDecode + mi.ServerSignature;

        p.Append(Inv, $"Measured in-process, one thread, {mi.Iterations} iterations after a warm-up: verifying a create call costs the server {Us(verify)} µs (`Api2Message.Decode` {Us(mi.ServerDecode)} µs: base64, zlib inflate, Adler-32, UTF-8 check, JSON parse of a {mi.MsgLength}-character msg; `Api2Signature.Matches` {Us(mi.ServerSignature)} µs: HMAC-SHA256 and a constant-time compare), and signing it costs the client {Us(mi.ClientSign)} µs. ");
        p.Append(Inv, $"The database statement alone, over a pooled connection with the pragmas and no HTTP, takes {Us(mi.DbInsert)} µs for the INSERT and {Us(mi.DbSelect)} µs for the SELECT ({mi.DbIterations} sequential calls each). ");
        p.Append(Inv, $"Under load the CloudSlicer server process used {Us(cc.ServerCpuPerRequest ?? TimeSpan.Zero)} µs of CPU per create and {Us(cg.ServerCpuPerRequest ?? TimeSpan.Zero)} µs per get. ");
        // Signing happens once a second, so the client's work per request is the same on both sides.
        var clientCreate = cc.BenchCpuPerRequest;
        var clientGet = cg.BenchCpuPerRequest;
        var baseServerCreate = bc.BenchCpuPerRequest - clientCreate;
        var baseServerGet = bg.BenchCpuPerRequest - clientGet;
        p.Append(Inv, $"The baseline shares this process with the client, so its server's share can only be estimated: the bench process used {Us(bc.BenchCpuPerRequest)} µs per baseline create and {Us(bg.BenchCpuPerRequest)} µs per baseline get (client and server), against {Us(cc.BenchCpuPerRequest)} µs and {Us(cg.BenchCpuPerRequest)} µs per CloudSlicer create and get (the client alone); taking the client's share to be the same on both sides puts the bare server at about {Us(baseServerCreate)} µs per create and {Us(baseServerGet)} µs per get. ");
        if (cc.ServerCpuPerRequest is { } csc && cg.ServerCpuPerRequest is { } csg)
        {
            p.Append(Inv, $"CloudSlicer's extra CPU per request is then roughly {Us(csc - baseServerCreate)} µs for create and {Us(csg - baseServerGet)} µs for get, of which verification is {Us(verify)} µs; the rest is the other work every api2 call does that the bare endpoint does not: reading the form body, the owner's key cache (a `PRAGMA data_version` on its own connection), the job dictionary and envelope, and, for create, validating the source URL and every Slicebot setting and storing the typed spec. ");
        }

        var serialCeiling = 1.0 / mi.DbInsert.TotalSeconds;
        p.Append(Inv, $"Creates are writes, and SQLite has one writer at a time: at {Us(mi.DbInsert)} µs an INSERT, one writer could commit at most about {serialCeiling:0} a second, and the measured create rates ({bc.RequestsPerSecond:0}/s bare, {cc.RequestsPerSecond:0}/s CloudSlicer) are {(Math.Max(bc.RequestsPerSecond, cc.RequestsPerSecond) > serialCeiling * 0.6 ? "close enough to that for the write lock to matter: most of the 16 workers' creates are waiting for it at any moment" : "well under it, so the CPU the two cores share (HTTP, JSON, signing, the client), not the write lock, sets the pace")}. ");
        p.Append(Inv, $"A writer that finds the lock taken does not queue: SQLite's busy handler sleeps and retries in growing steps until busy_timeout, so a create that loses a few races in a row waits far longer than the rest. That is the tail: creates of 100 ms or more were {bc.Slow} of {bc.Requests} bare and {cc.Slow} of {cc.Requests} CloudSlicer, the slowest {Ms(bc.Max)} ms and {Ms(cc.Max)} ms, on both sides alike; p99 stays at {Ms(bc.P99)} and {Ms(cc.P99)} ms. ");
        p.Append(Inv, $"Gets are reads, which WAL lets run beside the writer; they are bound by CPU alone. ");
        var locked = r.ServerProblemLines.Any(l => l.Contains("locked", StringComparison.OrdinalIgnoreCase));
        p.Append(r.TotalFailures == 0 && !locked
            ? string.Create(Inv, $"With {r.Options.Concurrency} concurrent clients no request failed and no \"database is locked\" (a writer waiting longer than busy_timeout) appeared (the slowest create, {Ms(TimeSpan.FromTicks(Math.Max(bc.Max.Ticks, cc.Max.Ticks)))} ms, is well inside the 5 s busy_timeout).")
            : string.Create(Inv, $"**{r.TotalFailures} requests failed{(locked ?  " and the server logged \"database is locked\"" : "")}**: see the server log."));
        return p.ToString();
    }

    private static string CpuText(PhaseResult p) => p.ServerCpuPerRequest is { } s
        ? string.Create(Inv, $"server {Us(s)} µs/req, bench {Us(p.BenchCpuPerRequest)} µs/req")
        : string.Create(Inv, $"bench (client + baseline server) {Us(p.BenchCpuPerRequest)} µs/req");

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.00" : "0.0", Inv);

    private static string Us(TimeSpan t) => t.TotalMicroseconds.ToString(Math.Abs(t.TotalMicroseconds) < 100 ? "0.0" : "0", Inv);
}
