"""Measuring a benchmark step: a subprocess's wall and CPU time, and its peak memory as
the largest sum of resident memory over it and every process it started (spaCy's and
Dask's workers), sampled from /proc; and the machine it ran on."""
from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULT = "RESULT "  # a step's last line of output: RESULT {json}
SAMPLE_EVERY = 0.5  # seconds between samples of memory (a scan of /proc costs CPU too)


@dataclass
class Measured:
    ok: bool
    wall: float
    cpu: float
    peak_mb: float  # largest sum of RSS over the process tree
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree_rss_mb(pid: int) -> float:
    kids, todo, total = _children(), [pid], 0
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        todo += kids.get(p, [])
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * page
        except OSError:
            pass
    return total / 2**20


LOADS: list[float] = []  # one-minute load average, sampled while steps run


def measure(cmd: list[str], timeout: float = 3600) -> Measured:
    """Run `cmd`, sampling its tree's memory; its CPU time and its own peak come from
    wait4. The result is the JSON of its last RESULT line, if it prints one."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), str(ROOT / "bench")] + [p for p in [os.environ.get("PYTHONPATH")] if p])}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        # a session of its own, so that a timeout ends its workers with it
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT,
                                start_new_session=True)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_EVERY):
                peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
                LOADS.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    peak_mb = max(peak[0], usage.ru_maxrss / 1024)
    cpu = usage.ru_utime + usage.ru_stime
    result: dict[str, Any] = {}
    for line in stdout.splitlines():
        if line.startswith(RESULT):
            result = json.loads(line[len(RESULT):])
    if proc.returncode == -signal.SIGKILL and wall >= timeout:
        return Measured(False, wall, cpu, peak_mb, result, f"stopped after {timeout:.0f} s")
    if proc.returncode != 0:
        tail = (stderr.strip().splitlines() or ["(no output)"])[-1]
        return Measured(False, wall, cpu, peak_mb, result,
                        f"exit {proc.returncode}: {tail[:300]}")
    return Measured(True, wall, cpu, peak_mb, result)


def machine() -> dict[str, str]:
    info = {"nproc": str(os.cpu_count())}
    try:
        info["nproc"] = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    mem = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            mem[k] = v.strip()
    info["memory"] = f"{int(mem['MemTotal'].split()[0]) / 2**20:.1f} GB total, " \
                     f"{int(mem['MemAvailable'].split()[0]) / 2**20:.1f} GB available at start"
    with open("/proc/cpuinfo") as f:
        models = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
    info["cpu"] = models[0] if models else platform.processor()
    info["python"] = platform.python_version()
    import spacy

    info["spacy"] = spacy.__version__
    try:
        info["tally commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                              capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return info
