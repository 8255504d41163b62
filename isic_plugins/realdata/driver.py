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
machine beats one 2-thread job. For classification it also builds the
ensembles from their members' checkpoints (``tools/build_ensemble.py``)
and predicts the lesion masks that the crop runs read, once
(:class:`.run_table.LesionMasks`).
"""
import fcntl
import os
import os.path as osp
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from ..utils.error_message import one_line
from .run_table import Run, Table


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
        list[list[str]]: One list per group, each run after the runs it
        needs (its parent, an ensemble's members); a run named alone is a
        group of its own.
    """
    if not names:
        names = list(table.groups)
    groups = []
    for name in names:
        chain: List[str] = []
        for run in table.groups.get(name, [name]):
            _add_with_needs(table, run, chain)
        groups.append(chain)
    return groups


def _add_with_needs(table: Table, name: str, chain: List[str]) -> None:
    """Append ``name`` to ``chain`` after the runs it needs, once each."""
    for need in table.runs[name].needs:
        _add_with_needs(table, need, chain)
    if name not in chain:
        chain.append(name)


def plan_runs(tables: Dict[str, Table], names: Optional[Sequence[str]],
              source: str = 'isic_plugins/realdata/seg_table.py'
              ) -> List[Tuple[str, Table, List[List[str]]]]:
    """``(key, table, groups)`` of each table that ``names`` select.

    Args:
        tables (dict[str, Table]): The tables, in the order they run.
        names (Sequence[str], optional): Group or run names of any table;
            None for every group of every table.
        source (str): Where the tables are, for the error message.

    Raises:
        UnknownRunError: Naming the unknown names and the known groups.
    """
    known = {n for t in tables.values() for n in [*t.groups, *t.runs]}
    unknown = [n for n in names or [] if n not in known]
    if unknown:
        groups = [g for t in tables.values() for g in t.groups]
        raise UnknownRunError(
            f'unknown run(s) {", ".join(unknown)}; known groups: '
            f'{", ".join(groups)} (or any run of {source})')
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
        ham (str, optional): The large archive (``{ham}`` in options and
            mask folders). Defaults to None.
    """

    def __init__(self, table: Table, data: str, work: str, repo_root: str,
                 python: str = sys.executable,
                 env: Optional[Dict[str, str]] = None,
                 threads: Optional[int] = None, log=print,
                 sample: Optional[str] = None,
                 ham: Optional[str] = None) -> None:
        self.table, self.data, self.work = table, data, work
        self.ham = ham
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
            env[key] = self._fill(value)
        return env

    def _fill(self, text: str) -> str:
        return text.format(work=self.work, data=self.data, ham=self.ham)

    def _options(self, run: Run) -> List[str]:
        return [self._fill(o) for o in run.options]

    def _tool(self, args: List[str], run: Run) -> None:
        subprocess.run([self.python, *args], cwd=self.repo_root,
                       env=self._run_env(run), check=True)

    def train(self, run: Run) -> None:
        """Train ``run`` unless done; resume it if interrupted. An
        ensemble is built from its members' last checkpoints instead."""
        folder = osp.join(self.work, run.name)
        if self.trained(run.name):
            return
        if run.members:
            self.build_ensemble(run)
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

    def build_ensemble(self, run: Run) -> None:
        """Save ``run``'s ensemble as one checkpoint, ``ensemble.pth``
        (kept if there), named in its ``last_checkpoint`` as a trained
        run's checkpoint is."""
        folder = osp.join(self.work, run.name)
        ckpt = osp.join(folder, 'ensemble.pth')
        if not osp.isfile(ckpt):
            options = [f'{key}={last_checkpoint(self.work, member)}'
                       for key, member in run.members]
            self._tool([osp.join('tools', 'build_ensemble.py'), run.config,
                        ckpt, '--cfg-options', *options,
                        *self._options(run)], run)
        with open(osp.join(folder, 'last_checkpoint'), 'w') as f:
            f.write(ckpt)
        open(osp.join(folder, '.done'), 'w').close()

    def needs_masks(self, groups: List[List[str]]) -> bool:
        """Whether a run of ``groups`` reads the predicted lesion masks."""
        return self.table.masks is not None and any(
            self.table.runs[r].masks for g in groups for r in g)

    def check_mask_model(self) -> None:
        """Refuse, before any work, a mask step without its model.

        Raises:
            FileNotFoundError: Naming the command that trains it.
        """
        step = self.table.masks
        seg = osp.join(self.work, step.seg.name)
        if not osp.isfile(osp.join(seg, '.done')):
            raise FileNotFoundError(
                f'the lesion crops need the segmentation run {seg}: run '
                f'python tools/realdata.py seg {self.data} --work '
                f'{self.work} --runs {step.group} first')

    def predict_masks(self) -> None:
        """The table's lesion-mask step (:class:`LesionMasks`), once."""
        step = self.table.masks
        self.check_mask_model()
        for split, images in step.splits:
            out = osp.join(self.work, step.folder, split)
            done = osp.join(out, '.done')
            if osp.isfile(done):
                with open(done) as f:
                    made_by = f.read().strip()
                if made_by != step.seg.name:
                    raise RuntimeError(
                        f'{out} holds the masks of {made_by!r}, not of '
                        f'{step.seg.name!r} (the run table\'s LesionMasks): '
                        'move that folder away to predict them again')
                continue
            images = self._fill(images)
            if not osp.isdir(images):
                self._say(f'no lesion masks for {split}: no {images}')
                continue
            self._say(f'lesion masks of {images} by {step.seg.name} '
                      '(tools/predict.py --masks-only)')
            self._tool([osp.join('tools', 'predict.py'), images,
                        '--seg-config', step.seg.config, '--seg-checkpoint',
                        last_checkpoint(self.work, step.seg.name),
                        '--masks-only', '--out', out], step.seg)
            with open(done, 'w') as f:
                f.write(step.seg.name + '\n')

    def test(self, run: Run, test: str) -> None:
        """Test ``run`` on one of its table's test sets unless done."""
        spec = self.table.test_sets[test]
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
        # an interrupted test's outputs: tools/test.py refuses to mix runs
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        args = [osp.join('tools', 'test.py'), run.config, ckpt,
                '--work-dir', folder, '--out', osp.join(folder, spec.out)]
        if spec.tta:
            args.append('--tta')
        options = [] if spec.scores_out is None else [
            f'test_evaluator.scores_out={folder}/{spec.scores_out}']
        options += spec.options(self.repo_root, self.sample)
        options += self._options(run)
        if not run.train:  # a method without a checkpoint reads the data
            options.append(f'test_dataloader.dataset.data_root={self.data}')
        if options:  # argparse refuses a bare --cfg-options
            args += ['--cfg-options', *options]
        t0 = time.time()
        self._tool(args, run)
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
        """Run ``groups``, ``lanes`` at a time (each lane one group), after
        the lesion-mask step when one of their runs needs it."""
        if self.needs_masks(groups):
            self.predict_masks()
        if lanes <= 1:
            for group in groups:
                self.run_group(group, groups)
            return
        with ThreadPoolExecutor(lanes) as pool:
            futures = [(g, pool.submit(self.run_group, g, groups))
                       for g in groups]
        # every lane has finished: a failed group does not stop the others,
        # and all failures are named once, not only the first
        failed = [(g, exc) for g, f in futures
                  if (exc := f.exception()) is not None]
        for group, exc in failed:
            self._say(f'FAILED {group[-1]}: {" ".join(one_line(exc).split())}')
        if failed:
            raise RuntimeError(
                f'{len(failed)} of {len(groups)} groups failed (last runs: '
                f'{", ".join(g[-1] for g, _ in failed)}); the others are '
                'done. Rerun the same command: finished runs are skipped, '
                'interrupted ones resume from their last checkpoint')
