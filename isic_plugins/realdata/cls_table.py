"""Table 2 on real images: the classification runs, rows and comparisons.

The paper's three classifiers (3 classes, two binary models, their
ensemble), each on the whole image and on the crop to the lesion that a
segmentation model found, and the two ensembles as one model with both
views (:class:`ISICMultiViewEnsemble`); then the same with the 6,000
HAM10000 archive images added to the 1,969 challenge training images, at
the same 496 iterations (8 epochs of the challenge images at batch 32),
"benign keratosis" left out, counted as SK (the use the binary, crop and
ensemble archive runs take) or as nevus. Run names are those of the shell
pipeline, so its work folders are found. Every run is scored on Test_v2;
``tools/realdata_table.py cls`` re-scores its Part 3 CSV.

The lesion masks of every training, Test_v2 and archive image are predicted
once, before the first run that reads them, by the full-frame table's
EfficientNet-Lite2 stage 2 (``ff_lite2_ham_stage2``: stage 1 with the
HAM10000 archive, the best segmenter of that table on the full frames;
``python tools/realdata.py seg DATA --runs ff_lite2_ham`` trains it).
"""
import os.path as osp
from typing import List, Optional

from ..datasets.isic_layout import ARCHIVE_IMAGE_DIR, image_dir
from .run_table import ClsRow, Comparison, LesionMasks, Run, Table, TestSet
from .seg_table import FULLFRAME

#: The Part 3 CSV that ``tools/test.py --out`` writes in a test folder.
CLS_CSV = 'ISIC-2017_Test_v2_Part3.csv'

_R = 'configs/realdata/'
_E = 'cls_effnetlite0_'
_H = _E + 'ham_'
_TASKS = ('multiclass', 'melanoma', 'seborrheic_keratosis')
_TEST = ('test', )


def _config(task: str, crop: str = '') -> str:
    """The challenge-only config of a task (``crop``: '_crop'; ``task``
    'ensemble' or 'ensemble-2views' for the ensembles)."""
    model = task.replace('_', '-')
    if not task.startswith('ensemble'):
        model += '-8e'
    data = '-lesioncrop' if crop else ''
    return f'{_R}effnetlite0_{model}_isic2017{data}_224px.py'


def _ham_config(model: str, data: str = '') -> str:
    """A large-archive config (``model``: 'multiclass-496it', 'ensemble'...;
    ``data``: '-bkl-sk', '-lesioncrop'...)."""
    return f'{_R}effnetlite0_{model}_isic2017+ham6k{data}_224px.py'


#: The config name of each task's archive model.
_HAM_MODEL = {t: t.replace('_', '-') + '-496it' for t in _TASKS}


def _ensemble(name: str, config: str, prefix: str, crop: str,
              what: str) -> Run:
    """An ensemble of the three models ``<prefix><task><crop>``."""
    return Run(name, config, what, tests=_TEST, masks=bool(crop),
               members=tuple((f'model.{t}.checkpoint', f'{prefix}{t}{crop}')
                             for t in _TASKS))


def _two_views(name: str, config: str, whole: str, crop: str,
               what: str) -> Run:
    """The whole-image and the lesion-crop ensembles as one model, tested
    with and without TTA."""
    return Run(name, config, what, tests=('test', 'test_tta'), masks=True,
               members=(('model.members.whole.checkpoint', whole),
                        ('model.members.crop.checkpoint', crop)))


#: What the archive rows add.
_PLUS = '+ 6,000 archive images (496 it)'


def _family_rows(key: str, prefix: str, first: str, tag: str,
                 paper: Optional[dict] = None) -> List[ClsRow]:
    """The rows of the runs ``<prefix><task>[_crop]`` and their ensembles:
    3 classes (labelled ``first``), the two binary models side by side,
    their ensemble, the same on lesion crops (labelled after ``tag``), and
    both ensembles as one model, single view and with TTA; keys
    ``<key>multiclass`` ... ``<key>both_tta``.
    """
    rows = []
    for crop, lead in (('', '... '), ('_crop', f'{tag}lesion crop, ')):
        # the paper has no lesion-crop classifiers
        papers = {} if crop else paper or {}
        mel, sk = f'{prefix}melanoma{crop}', f'{prefix}seborrheic_keratosis' \
            f'{crop}'
        members = tuple(prefix + t + crop for t in _TASKS)
        rows += [
            ClsRow(f'{key}multiclass{crop}',
                   f'{lead}3 classes' if crop else first, members[0],
                   'test', members[:1], paper=papers.get('multiclass')),
            ClsRow(f'{key}binary{crop}', f'{lead}two binary models', mel,
                   'test', (mel, sk), paper=papers.get('binary'), sk_run=sk),
            ClsRow(f'{key}ensemble{crop}', f'{lead}ensemble of the three',
                   f'{prefix}ensemble{crop}', 'test', members,
                   paper=papers.get('ensemble')),
        ]
    trained = tuple(prefix + t + c for c in ('', '_crop') for t in _TASKS)
    rows += [
        ClsRow(f'{key}both', f'{tag}whole-image and lesion-crop ensembles '
               'averaged, one model (ISICMultiViewEnsemble)',
               f'{prefix}ensemble_both', 'test', trained),
        ClsRow(f'{key}both_tta', '... + 4-flip TTA',
               f'{prefix}ensemble_both', 'test_tta', trained),
    ]
    return rows


_CHALLENGE = [
    Run(_E + task + crop, _config(task, crop),
        f'ImageNet EfficientNet-Lite0, {task}'
        f'{" on lesion crops" if crop else ""}, 8 epochs', tests=_TEST,
        masks=bool(crop))
    for crop in ('', '_crop') for task in _TASKS
]
_ARCHIVE = [
    Run(_H + task + crop,
        _ham_config(_HAM_MODEL[task], '-lesioncrop' if crop else
                    '-bkl-sk' if task == 'multiclass' else ''),
        f'Lite0 {task}{" on lesion crops" if crop else ""} with the 6,000 '
        'archive images, 496 iterations', tests=_TEST, masks=bool(crop))
    for crop in ('', '_crop') for task in _TASKS
] + [
    Run(f'{_H}multiclass_bkl_{use}', _ham_config('multiclass-496it',
                                                 f'-bkl-{use}'),
        f'Lite0 3 classes with the archive images, "benign keratosis" '
        f'{what}, 496 iterations', tests=_TEST)
    for use, what in (('out', 'left out'), ('nevus', 'as nevus'))
]

#: Table 2 on real images.
CLS = Table(
    runs={r.name: r for r in _CHALLENGE + _ARCHIVE + [
        Run('cls_resnet18_scratch_multiclass',
            _R + 'resnet18-half-scratch_multiclass-8e_isic2017_224px.py',
            'ablation: ResNet-18 from scratch, 3 classes, same images and '
            'epochs', tests=_TEST),
        _ensemble(_E + 'ensemble', _config('ensemble'), _E, '',
                  'ensemble of the 3-class and the two binary models'),
        _ensemble(_E + 'ensemble_crop', _config('ensemble', '_crop'), _E,
                  '_crop', 'ensemble of the three lesion-crop models'),
        _two_views(_E + 'ensemble_both', _config('ensemble-2views'),
                   _E + 'ensemble', _E + 'ensemble_crop',
                   'the whole-image and lesion-crop ensembles as one model'),
        _ensemble(_H + 'ensemble', _ham_config('ensemble'), _H, '',
                  'ensemble of the three archive models'),
        _ensemble(_H + 'ensemble_crop', _ham_config('ensemble', '-lesioncrop'),
                  _H, '_crop',
                  'ensemble of the three archive lesion-crop models'),
        _two_views(_H + 'ensemble_both', _ham_config('ensemble-2views'),
                   _H + 'ensemble', _H + 'ensemble_crop',
                   'the two archive ensembles as one model'),
    ]},
    # trainings first, ensembles last: a lane never waits for a member
    # that the other lane is training while runs remain
    groups={
        **{f'{t}{c}': [_E + t + c] for c in ('', '_crop') for t in _TASKS},
        'scratch': ['cls_resnet18_scratch_multiclass'],
        **{f'ham_{t}{c}': [_H + t + c] for c in ('', '_crop')
           for t in _TASKS},
        'ham_bkl_out': [_H + 'multiclass_bkl_out'],
        'ham_bkl_nevus': [_H + 'multiclass_bkl_nevus'],
        'ensemble': [_E + 'ensemble'],
        'ensemble_crop': [_E + 'ensemble_crop'],
        'both': [_E + 'ensemble_both'],
        'ham_ensemble': [_H + 'ensemble'],
        'ham_ensemble_crop': [_H + 'ensemble_crop'],
        'ham_both': [_H + 'ensemble_both'],
    },
    rows=[
        ClsRow('scratch', 'ResNet-18 from scratch, 3 classes (the earlier '
               'recipe)', 'cls_resnet18_scratch_multiclass', 'test',
               ('cls_resnet18_scratch_multiclass', )),
        *_family_rows('', _E, 'ImageNet EfficientNet-Lite0, 3 classes', '',
                      paper=dict(multiclass=(84.3, 96.9, 90.6),
                                 binary=(85.5, 97.0, 91.3),
                                 ensemble=(85.4, 97.6, 91.5))),
    ],
    comparisons=[
        Comparison('ImageNet encoder vs from scratch (3 classes)',
                   'multiclass', 'scratch'),
        Comparison('ensemble vs 3 classes', 'ensemble', 'multiclass'),
        Comparison('ensemble vs two binary models', 'ensemble', 'binary'),
        Comparison('lesion crop vs whole image (3 classes)',
                   'multiclass_crop', 'multiclass'),
        Comparison('lesion crop vs whole image (ensemble)', 'ensemble_crop',
                   'ensemble'),
        Comparison('ensemble of both vs whole-image ensemble', 'both',
                   'ensemble'),
        Comparison('4-flip TTA vs single view (ensemble of both)',
                   'both_tta', 'both'),
    ],
    test_sets=dict(test=TestSet('test', out=CLS_CSV, scores_out=None),
                   test_tta=TestSet('test_tta', tta=True, out=CLS_CSV,
                                    scores_out=None)),
    masks=LesionMasks(
        seg=FULLFRAME.runs['ff_lite2_ham_stage2'], group='ff_lite2_ham',
        splits=(('Training', osp.join('{data}', image_dir('Training'))),
                ('Test_v2', osp.join('{data}', image_dir('Test_v2'))),
                ('ham10000_archive', osp.join('{ham}',
                                              ARCHIVE_IMAGE_DIR)))))

#: Table 2 with the large archive: the archive rows beside the challenge-
#: only rows they are compared with, all from runs trained on one machine
#: (the paired differences need both on the same images). It trains nothing
#: of its own: its runs are :data:`CLS`'s, named by :data:`CLS`'s groups.
CLS_ARCHIVE = Table(
    runs=CLS.runs,
    rows=[
        *_family_rows('', _E, 'challenge images only, 3 classes', ''),
        *[ClsRow(f'ham_bkl_{use}', f'{_PLUS}, 3 classes, "benign keratosis" '
                 f'{what}', f'{_H}multiclass_bkl_{use}', 'test',
                 (f'{_H}multiclass_bkl_{use}', ))
          for use, what in (('out', 'left out'), ('nevus', 'as nevus'))],
        *_family_rows('ham_', _H, f'{_PLUS}, 3 classes, "benign keratosis" '
                      'as SK', f'{_PLUS}, '),
    ],
    comparisons=[
        Comparison('with archive vs without (3 classes, "benign keratosis" '
                   'as SK)', 'ham_multiclass', 'multiclass'),
        Comparison('with archive vs without (3 classes, "benign keratosis" '
                   'left out)', 'ham_bkl_out', 'multiclass'),
        Comparison('with archive vs without (3 classes, "benign keratosis" '
                   'as nevus)', 'ham_bkl_nevus', 'multiclass'),
        Comparison('with archive vs without (lesion crop, 3 classes)',
                   'ham_multiclass_crop', 'multiclass_crop'),
        Comparison('with archive vs without (two binary models)',
                   'ham_binary', 'binary'),
        Comparison('with archive vs without (ensemble)', 'ham_ensemble',
                   'ensemble'),
        Comparison('with archive vs without (lesion-crop ensemble)',
                   'ham_ensemble_crop', 'ensemble_crop'),
        Comparison('with archive vs without (ensemble of both views)',
                   'ham_both', 'both'),
        Comparison('with archive: ensemble vs 3 classes', 'ham_ensemble',
                   'ham_multiclass'),
        Comparison('with archive: lesion crop vs whole image (ensemble)',
                   'ham_ensemble_crop', 'ham_ensemble'),
        Comparison('with archive: ensemble of both vs whole-image ensemble',
                   'ham_both', 'ham_ensemble'),
        Comparison('with archive: 4-flip TTA vs single view (ensemble of '
                   'both)', 'ham_both_tta', 'ham_both'),
    ],
    test_sets=CLS.test_sets,
    masks=CLS.masks)

#: The tables of the ``cls`` pipeline: README "Table 2 on real images" and
#: "... with the large archive".
CLS_TABLES = dict(cls=CLS, archive=CLS_ARCHIVE)
