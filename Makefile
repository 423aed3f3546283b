# CloudSlicer: `make run` starts the one-box service, `make test` runs every test.
# Both install what a fresh Debian 12 machine lacks first (scripts/deps.sh).

DOTNET      ?= dotnet
CONFIG      ?= Release
RESULTS     := TestResults
# ReadyToRun: the server starts precompiled, so its first job does not JIT on the cores ffmpeg needs.
RID         ?= linux-$(shell uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')

.PHONY: run test build deps clean bench bench-api bench-export bench-clip bench-dispatch bench-split

deps:
	@bash scripts/deps.sh

build:
	$(DOTNET) publish src/CloudSlicer/CloudSlicer.csproj -c $(CONFIG) -r $(RID) --self-contained false \
		-p:PublishReadyToRun=true -o dist --nologo -v quiet
	@echo "built dist/cloudslicer"

run: deps build
	./dist/cloudslicer serve $(ARGS)

# Build once, then run every test project against that build; the last line is "N passed, N failed".
test:
	@bash scripts/deps.sh test
	$(DOTNET) build CloudSlicer.slnx -c $(CONFIG) --nologo -v quiet
	rm -rf $(RESULTS)
	$(DOTNET) test CloudSlicer.slnx -c $(CONFIG) --no-build --nologo \
		--logger "trx" --results-directory $(RESULTS) -- RunConfiguration.TreatNoTestsAsError=true; \
	status=$$?; bash scripts/test-summary.sh $(RESULTS) || status=1; exit $$status

# The slicing benchmark (bench/README.md): writes docs/benchmarks.md. Options after ARGS=, e.g.
# make bench ARGS="--seconds 10 --pairs 1 --no-doc" for a quick check.
bench: deps build
	$(DOTNET) run --project bench/CloudSlicer.Bench -c Release -- $(ARGS)

# The job API benchmark (bench/README.md): signed jobs/create and jobs/get against a bare ASP.NET Core endpoint doing
# the same SQLite statement; writes its section of docs/benchmarks.md. Quick check: make bench-api ARGS="--seconds 3 --rounds 1 --no-doc"
bench-api: build
	$(DOTNET) run --project bench/CloudSlicer.ApiBench -c Release -- $(ARGS)

# The export benchmark: /jobs/create_export against the bare cat + ffmpeg commands making the same MP4; prints its
# docs/benchmarks.md section. Quick check: make bench-export ARGS="--seconds 10 --pairs 1"
bench-export: deps build
	$(DOTNET) run --project bench/CloudSlicer.Bench -c Release -- export $(ARGS)

# The quick-clip benchmark: a 10 s /jobs/quickclip from a 1-minute and a 10-minute asset side by side, and the bare
# ffmpeg command making the same clip; writes its section of docs/benchmarks.md (a few minutes on 2 cores).
# Quick check: make bench-clip ARGS="--long 120 --rounds 1 --no-doc"
bench-clip: deps build
	$(DOTNET) run --project bench/CloudSlicer.Bench -c Release -- clip $(ARGS)

# The dispatch benchmark: create → assigned on a PostgreSQL the bench starts, `serve --slicers 0` + an idle `slicer
# --count 1` against a bare SKIP LOCKED loop; writes its section of docs/benchmarks.md (~2 min).
# Quick check: make bench-dispatch ARGS="--samples 30 --no-doc"
bench-dispatch: deps build
	$(DOTNET) run --project bench/CloudSlicer.DispatchBench -c Release -- $(ARGS)

# The split-cost benchmark (docs/parts.md): a 60 s source in two parts on two one-core slicers against one slicer with
# both cores on the whole source; prints its docs/benchmarks.md section. Quick check: make bench-split ARGS="--seconds 20 --pairs 1"
bench-split: deps build
	$(DOTNET) run --project bench/CloudSlicer.Bench -c Release -- split $(ARGS)

clean:
	rm -rf dist $(RESULTS) src/*/bin src/*/obj tests/*/bin tests/*/obj
