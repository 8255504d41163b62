"""Train and test the runs of a run table, resumably, in one or two lanes.

``tools/realdata.py`` is the command; this module does the work so that
tests can drive it with a table of their own. What it keeps from the shell
version: the data are checked and downscaled once; a finished run
(``.done``) is not trained again and an interrupted one goes on from its
last checkpoint (``--resume``); a test whose ``metrics.json`` exists is
skipped; wall times are appended to ``train_seconds`` even when a run is
interrupted. What it adds: one table (:mod:`.run_table`), a progress line
per step (what is done, what is next, an estimate from the measured
rates), unknown runs refused with the list of known ones, and lanes: two
groups trained side by side with one thread each, which on a 2-core
machine beats one 2-thread job.
"""
import fcntl
import os
import os.path as osp
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from .run_table import TEST_SETS, Run, Table


class UnknownRunError(ValueError):
    """A name given to ``--runs`` is neither a group nor a run."""


def select_runs(table: Table, names: Optional[Sequence[str]]
                ) -> List[List[str]]:
    """The groups (lists of run names, in training order) for ``names``.

    Args:
        table (Table): The run table.
        names (Sequence[str], optional): Group or run names of ``table``
            (see :func:`plan_runs`); None for every group.

    Returns:
        list[list[str]]: One list per group; a run named alone is a group
        with its parents before it.
    """
    if not names:
        return [list(g) for g in table.groups.values()]
    groups = []
    for name in names:
        if name in table.groups:
            groups.append(list(table.groups[name]))
            continue
        chain, run = [], table.runs[name]
        while run is not None:
            chain.insert(0, run.name)
            run = table.runs.get(run.parent) if run.parent else None
        groups.append(chain)
    return groups


def plan_runs(tables: Dict[str, Table], names: Optional[Sequence[str]]
              ) -> List[Tuple[str, Table, List[List[str]]]]:
    """``(key, table, groups)`` of each table that ``names`` select.

    Args:
        tables (dict[str, Table]): The tables, in the order they run.
        names (Sequence[str], optional): Group or run names of any table;
            None for every group of every table.

    Raises:
        UnknownRunError: Naming the unknown names and the known groups.
    """
    known = {n for t in tables.values() for n in [*t.groups, *t.runs]}
    unknown = [n for n in names or [] if n not in known]
    if unknown:
        groups = [g for t in tables.values() for g in t.groups]
        raise UnknownRunError(
            f'unknown run(s) {", ".join(unknown)}; known groups: '
            f'{", ".join(groups)} (or any run of '
            'isic_plugins/realdata/seg_table.py)')
    plan = []
    for key, table in tables.items():
        mine = None if names is None else [
            n for n in names if n in table.groups or n in table.runs]
        if names is None or mine:
            plan.append((key, table, select_runs(table, mine)))
    return plan


def read_seconds(path: str) -> int:
    """The sum of the integers in a ``train_seconds`` file (0 if none)."""
    if not osp.isfile(path):
        return 0
    with open(path) as f:
        return sum(int(line) for line in f if line.strip())


def last_checkpoint(work: str, run: str) -> str:
    """The path in ``WORK/<run>/last_checkpoint``."""
    with open(osp.join(work, run, 'last_checkpoint')) as f:
        return f.read().strip()


@contextmanager
def run_lock(folder: str) -> Iterator[None]:
    """Hold ``folder/.lock``: two lanes never train or test one run."""
    os.makedirs(folder, exist_ok=True)
    with open(osp.join(folder, '.lock'), 'w') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class Driver:
    """Runs the groups of one table.

    Args:
        table (Table): The run table.
        data (str): The ISIC 2017 layout (test images as stored).
        work (str): The work folder.
        repo_root (str): Where ``tools/`` and ``configs/`` are.
        python (str): The interpreter for the tools. Defaults to the
            running one.
        env (dict, optional): Extra environment for every tool.
        threads (int, optional): ``OMP_NUM_THREADS`` of each tool (lanes
            set 1). Defaults to None (inherited).
        log (callable): Where progress lines go. Defaults to print.
        sample (str, optional): ``isic_sample`` (its test sets). Defaults
            to None.
    """

    def __init__(self, table: Table, data: str, work: str, repo_root: str,
                 python: str = sys.executable,
                 env: Optional[Dict[str, str]] = None,
                 threads: Optional[int] = None, log=print,
                 sample: Optional[str] = None) -> None:
        self.table, self.data, self.work = table, data, work
        self.repo_root, self.python = repo_root, python
        self.env = dict(os.environ, **(env or {}))
        if threads:
            self.env.update(OMP_NUM_THREADS=str(threads),
                            MKL_NUM_THREADS=str(threads))
        self.log = log
        self.sample = sample
        self.start = time.time()

    # -- progress ----------------------------------------------------
    def _say(self, text: str) -> None:
        self.log(f'==> [{time.time() - self.start:6.0f}s] {text}',
                 flush=True)

    def estimate_minutes(self) -> Optional[float]:
        """Mean training minutes of this table's finished runs."""
        times = [read_seconds(osp.join(self.work, r, 'train_seconds'))
                 for r in self.table.runs
                 if osp.isfile(osp.join(self.work, r, '.done'))]
        times = [t for t in times if t > 0]
        return sum(times) / len(times) / 60 if times else None

    def progress(self, groups: List[List[str]], current: str) -> str:
        """``done a/b runs; now X; next Y; ~N min per run measured``."""
        runs = list(dict.fromkeys(r for g in groups for r in g))
        done = [r for r in runs if self.trained(r)]
        later = [r for r in runs if r not in done and r != current]
        est = self.estimate_minutes()
        text = f'{len(done)}/{len(runs)} runs trained; now {current}'
        if later:
            text += f'; next {later[0]}'
        if est is not None:
            text += f'; ~{est:.0f} min a run so far'
        return text

    # -- steps ---------------------------------------------------------
    def trained(self, name: str) -> bool:
        run = self.table.runs[name]
        return not run.train or osp.isfile(
            osp.join(self.work, name, '.done'))

    def _run_env(self, run: Run) -> Dict[str, str]:
        env = dict(self.env)
        for key, value in run.env:
            env[key] = value.format(work=self.work, data=self.data)
        return env

    def _options(self, run: Run) -> List[str]:
        return [o.format(work=self.work, data=self.data)
                for o in run.options]

    def _tool(self, args: List[str], run: Run) -> None:
        subprocess.run([self.python, *args], cwd=self.repo_root,
                       env=self._run_env(run), check=True)

    def train(self, run: Run) -> None:
        """Train ``run`` unless done; resume it if interrupted."""
        folder = osp.join(self.work, run.name)
        if self.trained(run.name):
            return
        args = [osp.join('tools', 'train.py'), run.config, '--work-dir',
                folder, '--no-validate']
        if osp.isfile(osp.join(folder, 'last_checkpoint')):
            args.append('--resume')
        options = self._options(run)
        if run.parent:
            options.append(
                f'load_from={last_checkpoint(self.work, run.parent)}')
        if options:
            args += ['--cfg-options', *options]
        t0 = time.time()
        try:
            self._tool(args, run)
        finally:  # the time counts even when interrupted
            with open(osp.join(folder, 'train_seconds'), 'a') as f:
                f.write(f'{round(time.time() - t0)}\n')
        open(osp.join(folder, '.done'), 'w').close()

    def test(self, run: Run, test: str) -> None:
        """Test ``run`` on one of :data:`TEST_SETS` unless done."""
        spec = TEST_SETS[test]
        folder = osp.join(self.work, run.name, test)
        if osp.isfile(osp.join(folder, 'metrics.json')):
            return
        if spec.split == 'sample' and not (
                self.sample and osp.isdir(osp.join(self.sample, 'images'))):
            # optional: a missing isic_sample skips its tests, never a
            # crash after hours of training
            self._say(f'skipped {run.name} on {test}: no isic_sample at '
                      f'{self.sample} (tools/realdata.py --sample DIR)')
            return
        ckpt = (last_checkpoint(self.work, run.name) if run.train
                else 'none')
        os.makedirs(folder, exist_ok=True)
        args = [osp.join('tools', 'test.py'), run.config, ckpt,
                '--work-dir', folder, '--out', osp.join(folder, 'masks')]
        if spec.tta:
            args.append('--tta')
        options = [f'test_evaluator.scores_out={folder}/per_image.csv']
        options += spec.options(self.repo_root, self.sample)
        options += self._options(run)
        if not run.train:  # a method without a checkpoint reads the data
            options.append(f'test_dataloader.dataset.data_root={self.data}')
        t0 = time.time()
        self._tool(args + ['--cfg-options', *options], run)
        with open(osp.join(folder, 'test_seconds'), 'w') as f:
            f.write(f'{round(time.time() - t0)}\n')

    def run_group(self, group: List[str], groups: List[List[str]]) -> None:
        """Train and test each run of ``group`` in order."""
        for name in group:
            run = self.table.runs[name]
            with run_lock(osp.join(self.work, name)):
                if not self.trained(name):
                    self._say(f'{run.what} ({self.progress(groups, name)})')
                    self.train(run)
                for test in run.tests:
                    if not osp.isfile(osp.join(self.work, name, test,
                                               'metrics.json')):
                        self._say(f'test {name} on {test}')
                        self.test(run, test)

    def run(self, groups: List[List[str]], lanes: int = 1) -> None:
        """Run ``groups``, ``lanes`` at a time (each lane one group)."""
        if lanes <= 1:
            for group in groups:
                self.run_group(group, groups)
            return
        with ThreadPoolExecutor(lanes) as pool:
            futures = [pool.submit(self.run_group, g, groups)
                       for g in groups]
            for future in futures:
                future.result()
