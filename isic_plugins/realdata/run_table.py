"""The real-data runs: one table read by the driver and the table writer.

Each :class:`Run` is one ``tools/train.py`` run (its config, the run whose
last checkpoint it starts from, the tests it gets); each :class:`Row` is one
line of README "Table 1 on real images", and each :class:`Comparison` a
paired difference under it. ``tools/realdata.py`` trains and tests the runs
of the groups it is given; ``tools/realdata_table.py`` writes the tables
from what they wrote. Adding a run is one :class:`Run` (plus its config),
its group and its rows.

Work folder layout (``WORK/<run>/``): ``train_seconds`` (one line per
invocation), ``.done``, checkpoints, and one folder per test set
(``test``: Test_v2, ``ff``: the full-frame split, ``ff_longer``: the same
with the old longer-side resize; ``_tta`` with test-time augmentation),
each with ``metrics.json``, ``per_image.csv``, ``test_seconds`` and masks.
"""
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

#: The full-frame validation split (tools/make_fullframe_split.py), as
#: ``--cfg-options`` on a real-data segmentation config's test set.
FULLFRAME_SPLIT = ('configs/_base_/datasets/splits/'
                   'isic2017_training_fullframe.txt')
#: Its hard part: pale rims or dark vignettes (tools/make_fullframe_split.py
#: says how they are chosen).
FULLFRAME_HARD_SPLIT = FULLFRAME_SPLIT.replace('.txt', '_hard.txt')


def fullframe_options(repo_root: str,
                      split_file: Optional[str] = None) -> List[str]:
    """``--cfg-options`` that score a config on the full-frame split (or
    another split file of the training images)."""
    split_file = split_file or FULLFRAME_SPLIT
    return [
        'test_dataloader.dataset.data_prefix.img_path=ISIC-2017_Training_Data',
        'test_dataloader.dataset.data_prefix.seg_map_path='
        'ISIC-2017_Training_Part1_GroundTruth',
        'test_dataloader.dataset.ann_file='
        f'{osp.join(repo_root, split_file)}',
    ]


def sample_options(sample_root: Optional[str]) -> List[str]:
    """``--cfg-options`` that score a config on ``isic_sample``."""
    if not sample_root or not osp.isdir(osp.join(sample_root, 'images')):
        raise FileNotFoundError(
            f'the isic_sample folder {sample_root} has no images/: give '
            'tools/realdata.py --sample DIR')
    return [
        f'test_dataloader.dataset.data_root={sample_root}',
        'test_dataloader.dataset.data_prefix.img_path=images',
        'test_dataloader.dataset.data_prefix.seg_map_path=masks',
        'test_dataloader.dataset.ann_file=',
    ]


#: The test and TTA resize of the configs before the full-frame issue
#: (longer side 256; TTA 224 / 256 / 288 longer side), kept to measure it.
LONGER_SIDE_OPTIONS = [
    'test_dataloader.dataset.pipeline.1.scale=(256,256)',
    'tta_model.scales=[(224,224),(256,256),(288,288)]',
]


@dataclass(frozen=True)
class TestSet:
    """A way of testing a run: which images, which resize, TTA or not.

    Args:
        folder (str): Folder name under the run's work folder.
        tta (bool): ``tools/test.py --tta``.
        split (str): 'test' (Test_v2, the config's own test set), 'ff'
            (the full-frame split), 'ffhard' (its pale-rim and vignetted
            images) or 'sample' (``../shared/isic_sample``:
            40 full frames at up to 1024 px, disjoint from the data set).
        longer_side (bool): Test with the old longer-side resize.
        threshold (float, optional): With TTA, the lesion probability above
            which a pixel is lesion (``tta_model.threshold``; the configs'
            0.5 when None).
        largest_component (bool): With TTA, keep each mask's largest
            connected region only (``tta_model.largest_component``).
        out (str): What ``tools/test.py --out`` writes, in the folder: the
            masks' folder, or a classifier's Part 3 CSV. Defaults to
            'masks'.
        scores_out (str, optional): The per-image scores file
            (``test_evaluator.scores_out``), or None for an evaluator
            without one. Defaults to 'per_image.csv'.
    """
    folder: str
    tta: bool = False
    split: str = 'test'
    longer_side: bool = False
    threshold: Optional[float] = None
    largest_component: bool = False
    out: str = 'masks'
    scores_out: Optional[str] = 'per_image.csv'

    def options(self, repo_root: str,
                sample_root: Optional[str] = None) -> List[str]:
        """The ``--cfg-options`` that select this test set."""
        opts = []
        if self.split == 'ff':
            opts = fullframe_options(repo_root)
        elif self.split == 'ffhard':
            opts = fullframe_options(repo_root, FULLFRAME_HARD_SPLIT)
        elif self.split == 'sample':
            opts = sample_options(sample_root)
        if self.threshold is not None:
            opts.append(f'tta_model.threshold={self.threshold}')
        if self.largest_component:
            opts.append('tta_model.largest_component=True')
        return opts + (LONGER_SIDE_OPTIONS if self.longer_side else [])


TEST_SETS: Dict[str, TestSet] = {
    t.folder: t for t in [
        TestSet('test'),
        TestSet('test_tta', tta=True),
        TestSet('ff', split='ff'),
        TestSet('ff_tta', tta=True, split='ff'),
        TestSet('ffhard', split='ffhard'),
        TestSet('ffhard_tta', tta=True, split='ffhard'),
        TestSet('ff_longer', split='ff', longer_side=True),
        TestSet('ff_longer_tta', tta=True, split='ff', longer_side=True),
        # the TTA threshold, chosen on the full-frame split (a validation
        # split), confirmed on Test_v2
        TestSet('ff_tta_t40', tta=True, split='ff', threshold=0.4),
        TestSet('ff_tta_t30', tta=True, split='ff', threshold=0.3),
        TestSet('ffhard_tta_t40', tta=True, split='ffhard', threshold=0.4),
        TestSet('ffhard_tta_t30', tta=True, split='ffhard', threshold=0.3),
        TestSet('test_tta_t40', tta=True, threshold=0.4),
        TestSet('test_tta_t30', tta=True, threshold=0.3),
        # the largest connected region of each TTA mask, chosen on the
        # full-frame split, confirmed on Test_v2
        TestSet('ff_tta_lcc', tta=True, split='ff', largest_component=True),
        TestSet('ffhard_tta_lcc', tta=True, split='ffhard',
                largest_component=True),
        TestSet('test_tta_lcc', tta=True, largest_component=True),
        TestSet('sample_tta_lcc', tta=True, split='sample',
                largest_component=True),
        # 40 real full frames at up to 1024 px from another source
        TestSet('sample', split='sample'),
        TestSet('sample_tta', tta=True, split='sample'),
        TestSet('sample_longer', split='sample', longer_side=True),
        TestSet('sample_longer_tta', tta=True, split='sample',
                longer_side=True),
        TestSet('sample_tta_t40', tta=True, split='sample', threshold=0.4),
        TestSet('sample_tta_t30', tta=True, split='sample', threshold=0.3),
    ]
}
#: Every test of a full-frame validation run.
FF_TESTS = ('ff', 'ff_tta', 'ffhard', 'ffhard_tta', 'test', 'test_tta')


@dataclass(frozen=True)
class Run:
    """One training run of the real-data pipelines.

    Args:
        name (str): Its folder under the work folder.
        config (str): Its config, relative to the repository root.
        what (str): What it trains, for the progress lines.
        parent (str, optional): The run whose last checkpoint it starts
            from (``load_from``). Defaults to None.
        tests (tuple[str]): Keys of :data:`TEST_SETS` run after training.
            Defaults to ().
        env (tuple[tuple[str, str]]): Extra environment variables (e.g. a
            training copy at another size). Defaults to ().
        train (bool): False for a method with nothing to train (Otsu).
            Defaults to True.
        options (tuple[str]): ``--cfg-options`` of its training and tests
            (``{work}``, ``{data}`` and ``{ham}`` are filled in). Defaults
            to ().
        members (tuple[tuple[str, str]]): For an ensemble, nothing to
            train: ``(config key, run)`` pairs, each key set to that run's
            last checkpoint when ``tools/build_ensemble.py`` saves the
            ensemble as one checkpoint. Defaults to ().
        masks (bool): Reads the predicted lesion masks: the table's
            :class:`LesionMasks` step runs first. Defaults to False.
    """
    name: str
    config: str
    what: str
    parent: Optional[str] = None
    tests: Tuple[str, ...] = ()
    env: Tuple[Tuple[str, str], ...] = ()
    train: bool = True
    options: Tuple[str, ...] = ()
    members: Tuple[Tuple[str, str], ...] = ()
    masks: bool = False

    @property
    def needs(self) -> Tuple[str, ...]:
        """The runs whose checkpoints it starts from or is built of."""
        return ((self.parent, ) if self.parent else ()) + tuple(
            run for _, run in self.members)


@dataclass(frozen=True)
class Row:
    """One row of the table: a run's test.

    Args:
        key (str): Short name, used by comparisons.
        label (str): What the row is.
        run (str): The run whose test it shows.
        test (str): Test folder on Test_v2 ('test' or 'test_tta'); the
            full-frame column reads the same with 'ff' for 'test'.
        train_runs (tuple[str]): Runs whose training time it took.
        paper (float, optional): The paper's figure. Defaults to None.
        ff (str, optional): The full-frame column's test folder: '' for
            the same test on the full-frame split ('test' -> 'ff',
            'test_tta' -> 'ff_tta'), None for no such column (the run
            trained on those images). Defaults to ''.
        index (bool): Listed in the model index (``metafile.yml``); False
            for a row that only serves a comparison (another test of the
            same model). Defaults to True.
    """
    key: str
    label: str
    run: str
    test: str
    train_runs: Tuple[str, ...]
    paper: Optional[float] = None
    ff: Optional[str] = ''
    index: bool = True

    @property
    def ff_test(self) -> Optional[str]:
        """The full-frame split's test folder, or None."""
        return self.split_test('ff')

    def split_test(self, split: str) -> Optional[str]:
        """The test folder of the same test on ``split`` ('ff' or
        'sample'), or None: ``ff`` names the full-frame one, and its
        prefix stands for the other splits' ('ff_longer' ->
        'sample_longer')."""
        if self.ff is None:
            return None
        if self.ff:
            return split + self.ff[len('ff'):]
        return self.test.replace('test', split, 1)


@dataclass(frozen=True)
class ClsRow(Row):
    """A row of the classification table (README "Table 2 on real
    images"): the melanoma and SK probabilities of one run's Part 3 CSV,
    or of two runs side by side.

    Args:
        sk_run (str, optional): The run whose SK probabilities the row
            shows, when not ``run`` (the two binary models). Defaults to
            None.
        paper (tuple[float], optional): The paper's melanoma, SK and mean
            AUC. Defaults to None.
        ff (None): No full-frame column.
    """
    paper: Optional[Tuple[float, float, float]] = None
    ff: Optional[str] = None
    sk_run: Optional[str] = None

    @property
    def task_runs(self) -> Tuple[str, str]:
        """The runs of the melanoma and the SK probabilities."""
        return self.run, self.sk_run or self.run


@dataclass(frozen=True)
class Comparison:
    """A paired difference between two rows, on one split.

    Args:
        label (str): What is compared.
        better (str): Row key (or ``run/test folder``) expected better.
        worse (str): The other.
        split (str): 'test' (Test_v2), 'ff', 'ffhard' or 'sample'.
            Defaults to 'test'.
    """
    label: str
    better: str
    worse: str
    split: str = 'test'


@dataclass(frozen=True)
class LesionMasks:
    """The lesion-mask step: one segmentation run's masks of every image.

    ``tools/predict.py --masks-only`` writes them once per image folder
    into ``WORK/<folder>/<split>/masks`` (the cache that the lesion-crop
    configs read); a ``.done`` file names the run that made them, and masks
    of another run are refused rather than mixed.

    Args:
        seg (Run): The segmentation run whose last checkpoint predicts them
            (trained by the ``seg`` pipeline).
        group (str): Its group, for the message when it is not trained.
        splits (tuple[tuple[str, str]]): ``(split, image folder)`` pairs;
            ``{data}`` and ``{ham}`` are filled in. A missing image folder
            is skipped with a note.
        folder (str): The cache under the work folder. Defaults to
            'lesion_masks'.
    """
    seg: Run
    group: str
    splits: Tuple[Tuple[str, str], ...]
    folder: str = 'lesion_masks'


@dataclass
class Table:
    """Runs, groups of runs (the names ``--runs`` takes), rows and
    comparisons of one pipeline's table; the test sets its runs name
    (:data:`TEST_SETS` unless said) and the lesion-mask step its crop runs
    need (None for none)."""
    runs: Dict[str, Run] = field(default_factory=dict)
    groups: Dict[str, List[str]] = field(default_factory=dict)
    rows: List[Row] = field(default_factory=list)
    comparisons: List[Comparison] = field(default_factory=list)
    test_sets: Dict[str, TestSet] = field(
        default_factory=lambda: dict(TEST_SETS))
    masks: Optional[LesionMasks] = None
