"""A control group per student kernel: one memory, process and CPU budget for everything it starts.

``prlimit`` limits each process on its own: a kernel that forks 100 children could use 100
times its memory cap. A cgroup counts the kernel and all its descendants together, and
tells afterwards whether the kernel was killed for running out of memory. Each kernel has a
CPU group of its own, so kernels share the CPU equally however many threads each runs: one
spinning a thousand threads cannot starve the kernels graded beside it, or the grader (whose
processes weigh as much as all kernels together, see ``KERNELS_CPU_WEIGHT``), into time-outs. Both cgroup
versions are handled: v1 (separate ``memory``, ``pids`` and ``cpu`` hierarchies) and v2 (unified);
the CPU weight only where the ``cpu`` controller is there.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP = "autograder"  # parent group of all kernels' groups
# The kernels' parent group weighs as much as two busy processes of the grader's (the default weight is
# 100 in v2's cpu.weight, 1024 in v1's cpu.shares); each kernel has the default weight within it, so
# kernels share equally among themselves however many threads each runs.
KERNELS_CPU_WEIGHT = 200


def version(root: Path = CGROUP_ROOT) -> int | None:
    """2 for a unified hierarchy with memory and pids, 1 for v1 with both, None when unusable."""
    if (root / "cgroup.controllers").exists():
        controllers = (root / "cgroup.controllers").read_text().split()
        return 2 if {"memory", "pids"} <= set(controllers) else None
    if (root / "memory").is_dir() and (root / "pids").is_dir():
        return 1
    return None


class KernelCgroup:
    """The cgroup(s) of one kernel, named after its uid (unique among live kernels)."""

    def __init__(self, name: str, root: Path = CGROUP_ROOT) -> None:
        self.version = version(root)
        if self.version == 2:
            self.dirs = {"memory": root / GROUP / name, "pids": root / GROUP / name}
            if "cpu" in (root / "cgroup.controllers").read_text().split():
                self.dirs["cpu"] = root / GROUP / name
        else:
            self.dirs = {"memory": root / "memory" / GROUP / name, "pids": root / "pids" / GROUP / name}
            if (root / "cpu" / "cpu.shares").exists():
                self.dirs["cpu"] = root / "cpu" / GROUP / name
        self.root = root

    def create(self, memory_bytes: int, max_processes: int) -> list[Path]:
        """Make the group(s) afresh with the limits; the ``cgroup.procs`` files a process joins."""
        if self.version is None:
            raise OSError("no usable cgroup hierarchy with memory and pids controllers")
        self.remove()
        if self.version == 2:
            controllers = "+memory +pids" + (" +cpu" if "cpu" in self.dirs else "")
            for parent in (self.root, self.root / GROUP):
                parent.mkdir(exist_ok=True)
                (parent / "cgroup.subtree_control").write_text(controllers)
            group = self.dirs["memory"]
            group.mkdir()
            (group / "memory.max").write_text(str(memory_bytes))
            if (group / "memory.swap.max").exists():
                (group / "memory.swap.max").write_text("0")
            (group / "pids.max").write_text(str(max_processes))
            if "cpu" in self.dirs:
                (self.root / GROUP / "cpu.weight").write_text(str(KERNELS_CPU_WEIGHT))
            return [group / "cgroup.procs"]
        for directory in self.dirs.values():
            directory.mkdir(parents=True)
        memory = self.dirs["memory"]
        (memory / "memory.limit_in_bytes").write_text(str(memory_bytes))
        if (memory / "memory.memsw.limit_in_bytes").exists():  # no swapping past the cap either
            (memory / "memory.memsw.limit_in_bytes").write_text(str(memory_bytes))
        (self.dirs["pids"] / "pids.max").write_text(str(max_processes))
        if "cpu" in self.dirs:
            (self.dirs["cpu"].parent / "cpu.shares").write_text(str(KERNELS_CPU_WEIGHT * 1024 // 100))
        return [directory / "cgroup.procs" for directory in self.dirs.values()]

    def set_cpu_idle(self, idle: bool) -> None:
        """Give the group the smallest CPU weight (it runs on what no other group wants) or the
        default one back; nothing where there is no CPU controller."""
        if "cpu" not in self.dirs or not self.dirs["cpu"].is_dir():
            return
        if self.version == 2:
            (self.dirs["cpu"] / "cpu.weight").write_text("1" if idle else "100")
        else:
            (self.dirs["cpu"] / "cpu.shares").write_text("2" if idle else "1024")

    def pids(self) -> set[int]:
        found: set[int] = set()
        for directory in set(self.dirs.values()):
            try:
                found |= {int(p) for p in (directory / "cgroup.procs").read_text().split()}
            except OSError:
                pass
        return found

    def kill(self, patience: float = 15.0) -> None:
        """SIGKILL every process in the group until it is empty (a fork bomb keeps forking)."""
        deadline = time.monotonic() + patience
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)

    def out_of_memory_kills(self) -> int:
        """How many processes of the group the kernel's OOM killer has killed so far."""
        events = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            for line in (self.dirs["memory"] / events).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except OSError:
            pass
        return 0

    def remove(self) -> None:
        """Kill what is left and delete the group(s)."""
        self.kill()
        for directory in set(self.dirs.values()):
            # The last killed processes take a moment to leave: thousands of a fork bomb's, on a
            # machine busy grading others, took more than the 2.5 s this once allowed.
            for _ in range(300):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)
