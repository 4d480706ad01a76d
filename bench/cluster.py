"""Pool.map against a Dask LocalCluster on the same work, at a large and a tiny task size.

Each run of cluster_map times the serial loop, Pool.map and the cluster's map of the same
numbers one after another (this host is noisy: side by side in one run), in tasks of the given
size; the per-task overhead of each is (wall time × parallel slots − serial time) / tasks, and
the scheduler's own CPU per task is read on its event loop (issue 21).

    .venv/bin/python -m bench.cluster
"""

from __future__ import annotations

from bench.results import record

ITEMS, SIZES, ROUNDS = 20_000, (1_000, 10), 2


def run_values(params: dict) -> dict:
    """One run of cluster_map on the thread back end; its result's values."""
    from scenarios.engine import backends
    from scenarios.lessons import catalogue

    run = backends.make_run(catalogue.get("cluster_map"), params, "thread")
    run.start()
    if not run.wait(600):
        run.close()
        raise SystemExit("cluster_map did not end within 10 minutes")
    run.close()
    result = backends.result_of(run.collector.drain())
    if result is None or result.error:
        raise SystemExit(f"cluster_map failed: {result}")
    return result.values


def main() -> None:
    """Measure both task sizes, print and record the figures."""
    print(f"f over range({ITEMS:,}), Pool.map on every core and a LocalCluster of as many "
          f"single-thread worker processes; the faster of {ROUNDS} rounds each")
    print(f"{'items/task':>10} {'tasks':>6} {'serial s':>9} {'Pool.map s':>11} {'Dask s':>8} "
          f"{'Pool ms/task':>13} {'Dask ms/task':>13} {'scheduler CPU ms/task':>22}")
    for size in SIZES:
        values = run_values({"items": ITEMS, "task_size": size, "rounds": ROUNDS})
        rows = values["rounds"]
        pool = min(rows, key=lambda r: r["pool_s"])
        dask = min(rows, key=lambda r: r["cluster_s"])
        print(f"{size:>10,} {dask['tasks']:>6,} {values['serial_s']:>9.3f} {pool['pool_s']:>11.3f} "
              f"{dask['cluster_s']:>8.3f} {pool['pool_overhead_ms']:>13.3f} "
              f"{dask['cluster_overhead_ms']:>13.3f} {dask['scheduler_ms_per_task']:>22.3f}")
        record(f"cluster_pool_s_size{size}", pool["pool_s"], "s", None, "lower")
        record(f"cluster_dask_s_size{size}", dask["cluster_s"], "s", None, "lower")
        record(f"cluster_dask_over_pool_size{size}", dask["cluster_s"] / pool["pool_s"], "x",
               None, "lower")
        record(f"cluster_pool_overhead_ms_per_task_size{size}", pool["pool_overhead_ms"], "ms",
               None, "lower")
        record(f"cluster_dask_overhead_ms_per_task_size{size}", dask["cluster_overhead_ms"],
               "ms", None, "lower")
        record(f"cluster_scheduler_cpu_ms_per_task_size{size}", dask["scheduler_ms_per_task"],
               "ms", None, "lower")
        print(f"{'':>10} LocalCluster started in {values['cluster_start_s']:.2f} s "
              f"(not in the map's time); Dask / Pool.map = "
              f"{dask['cluster_s'] / pool['pool_s']:.2f}×")


if __name__ == "__main__":
    main()
