"""Running tasks: serially with a progress bar, or on Dask.

The per-file work is :meth:`Technique.run`; the technique object travels with each task, so a
worker needs nothing registered. Results come back in task order whatever the scheduler, so a
Dask run and a serial run give identical output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from threadpoolctl import threadpool_limits

from mofglass.errors import DataWarning, MofglassError
from mofglass.study.technique import Task, Technique, TechniqueOutput, get_technique

__all__ = ["execute", "run_one"]


def run_one(technique: Technique, task: Task, keep_going: bool = False) -> TechniqueOutput:
    """Run one task (the function shipped to Dask workers).

    BLAS runs on one thread, so reductions (fits, lstsq) add in the same order whatever the
    scheduler or OMP_NUM_THREADS: serial, local and processes runs give identical bytes.
    A :class:`~mofglass.errors.DataWarning` raised while the task runs is added to the
    output's warnings (so it reaches results.json, the report and the summary). With
    ``keep_going``, an input error of this task becomes an output with no rows and the
    error as its warning, so one bad file in a batch of hundreds does not stop the others.
    """
    try:
        with (
            warnings.catch_warnings(record=True) as caught,
            threadpool_limits(limits=1, user_api="blas"),
        ):
            warnings.simplefilter("always", DataWarning)
            out = technique.run(task)
        extra = tuple(
            str(w.message)
            for w in caught
            if issubclass(w.category, DataWarning) and str(w.message) not in out.warnings
        )
        return dataclasses.replace(out, warnings=out.warnings + extra) if extra else out
    except MofglassError as exc:
        if not keep_going:
            raise
        return TechniqueOutput.failure(task, exc)


def execute(
    tasks: Sequence[Task],
    *,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    keep_going: bool = False,
) -> list[TechniqueOutput]:
    """Run every task and return the outputs in task order.

    Parameters
    ----------
    tasks : sequence of Task
        The per-file work of a study.
    scheduler : {None, "serial", "local", "processes"} or "tcp://HOST:PORT"
        None / "serial": in this process. "local": a ``dask.distributed.LocalCluster`` on this
        machine. "processes": Dask's multiprocessing scheduler. "tcp://...": an existing
        ``dask.distributed`` scheduler.
    progress : callable, optional
        Called with the number of tasks just completed.
    keep_going : bool
        Record a file's input error as a warning and go on with the other files.
    """
    techniques = {t.technique: get_technique(t.technique) for t in tasks}
    if scheduler in (None, "serial", "sync"):
        outputs = []
        for t in tasks:
            outputs.append(run_one(techniques[t.technique], t, keep_going))
            if progress:
                progress(1)
        return outputs
    if scheduler == "processes":
        return _run_dask_processes(tasks, techniques, progress, keep_going)
    if scheduler == "local" or (scheduler or "").startswith(("tcp://", "tls://", "inproc://")):
        return _run_distributed(tasks, techniques, scheduler or "local", progress, keep_going)
    raise MofglassError(
        f"unknown scheduler {scheduler!r}; expected local, processes or tcp://HOST:PORT"
    )


def _import_dask() -> None:
    try:
        import dask  # noqa: F401
    except ImportError:
        raise MofglassError("Dask is not installed: pip install 'mofglass[dask]'") from None


def _run_dask_processes(
    tasks: Sequence[Task],
    techniques: dict[str, Technique],
    progress: Callable[[int], None] | None,
    keep_going: bool,
) -> list[TechniqueOutput]:
    _import_dask()
    import dask

    delayed = [dask.delayed(run_one)(techniques[t.technique], t, keep_going) for t in tasks]
    # our own pool, so that Ctrl-C can cancel the queued tasks and stop the workers (dask's
    # pool would wait for every remaining task); workers ignore Ctrl-C themselves
    pool = ProcessPoolExecutor(
        mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_sigint
    )
    box: dict[str, Any] = {}

    def compute() -> None:
        try:
            box["outputs"] = list(dask.compute(*delayed, scheduler="processes", pool=pool))
        except BaseException as exc:  # handed to the main thread
            box["error"] = exc

    # dask waits for results in a blocking Queue.get() that a signal cannot interrupt, so
    # it runs in a thread and this (main) thread waits in short slices that Ctrl-C breaks
    worker = threading.Thread(target=compute, name="mofglass-dask-processes", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(timeout=0.2)
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown()
    if "error" in box:
        raise box["error"]
    if progress:
        progress(len(tasks))
    return list(box["outputs"])


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued tasks and terminate the worker processes now (no waiting)."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for w in workers:
        w.terminate()
    for w in workers:
        w.join(timeout=5)


def _ignore_sigint() -> None:
    """Worker initializer: Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _sigint_ignored() -> Any:
    try:
        return signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        return None


def _restore_sigint(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _client(address: str) -> Iterator[Any]:
    _import_dask()
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise MofglassError(
            "dask.distributed is not installed: pip install 'mofglass[dask]'"
        ) from None
    if address == "local":
        # workers start with Ctrl-C ignored (inherited across exec), so that only this process
        # answers it: one line, exit 130, no traceback from every worker (a Ctrl-C during the
        # few seconds of the start is lost; a signal mask is not inherited by the workers,
        # which distributed spawns from a thread that exists before)
        # an interrupted cluster leaves semaphores the resource tracker would warn about
        sys.warnoptions.append("ignore::UserWarning:multiprocessing.resource_tracker")
        # the workers' scratch space is ours, removed on exit (dask leaves dask-scratch-space)
        import dask

        from mofglass.outputs import run_tempdir

        with run_tempdir("dask") as scratch, dask.config.set({"temporary-directory": scratch}):
            previous = _sigint_ignored()
            try:
                cluster = LocalCluster(
                    n_workers=2,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    local_directory=str(scratch),
                    silence_logs=logging.CRITICAL,
                )
            finally:
                _restore_sigint(previous)
            with cluster, Client(cluster) as client:
                try:
                    yield client
                except BaseException:
                    _silence_interrupted_cluster()  # before the cluster is torn down
                    raise
    else:
        try:
            client = Client(address, timeout="10s")
        except OSError as exc:
            raise MofglassError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        with client:
            yield client


def _silence_interrupted_cluster() -> None:
    """Silence the logs of a cluster torn down mid-task (the user has the error already).

    Such a cluster logs errors and unretrieved asyncio task tracebacks, some at garbage
    collection after the command ended.
    """
    for name in ("distributed", "asyncio", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _run_distributed(
    tasks: Sequence[Task],
    techniques: dict[str, Technique],
    address: str,
    progress: Callable[[int], None] | None,
    keep_going: bool,
) -> list[TechniqueOutput]:
    with _client(address) as client:
        scattered = {k: client.scatter(v, broadcast=True) for k, v in techniques.items()}
        futures = [
            client.submit(
                run_one, scattered[t.technique], t, keep_going, key=f"mofglass-{i}", pure=False
            )
            for i, t in enumerate(tasks)
        ]
        # poll instead of as_completed(), whose blocking queue wait Ctrl-C cannot break
        pending = set(futures)
        while pending:
            done = {f for f in pending if f.done()}
            pending -= done
            if done and progress:
                progress(len(done))
            if pending and not done:
                time.sleep(0.05)
        return list(client.gather(futures))
