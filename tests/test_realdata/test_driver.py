"""The driver's order of runs and its lesion-mask step, without training."""
import os

import pytest

from isic_plugins.realdata import (
    CLS,
    Driver,
    LesionMasks,
    Run,
    Table,
    select_runs,
)


def test_a_run_comes_after_the_runs_it_is_built_of():
    groups = select_runs(CLS, ['ham_both', 'ham_multiclass'])
    both = groups[0]
    assert both[-1] == 'cls_effnetlite0_ham_ensemble_both'
    for ensemble in ('cls_effnetlite0_ham_ensemble',
                     'cls_effnetlite0_ham_ensemble_crop'):
        members = [m for _, m in CLS.runs[ensemble].members]
        assert all(both.index(m) < both.index(ensemble) for m in members)
    assert len(both) == len(set(both)) == 9  # six models, three ensembles
    assert groups[1] == ['cls_effnetlite0_ham_multiclass']


def test_a_test_without_options_passes_no_bare_cfg_options(tmp_path):
    """The cls test sets add no --cfg-options: tools/test.py gets none
    (argparse refuses ``--cfg-options`` with nothing after it)."""
    name = 'cls_effnetlite0_multiclass'
    work = tmp_path / 'work'
    os.makedirs(work / name)
    (work / name / 'last_checkpoint').write_text(str(work / name / 'e.pth'))
    calls = []
    driver = Driver(CLS, str(tmp_path), str(work), '.',
                    log=lambda *a, **k: None)
    driver._tool = lambda args, run: calls.append(args)
    driver.test(CLS.runs[name], 'test')
    (args, ) = calls
    assert args[:3] == ['tools/test.py', CLS.runs[name].config,
                        str(work / name / 'e.pth')]
    assert '--cfg-options' not in args


def _mask_driver(tmp_path, made_by=None):
    seg = Run('seg', 'configs/quickstart/seg_quick.py', 'a segmenter')
    table = Table(runs=dict(crop=Run('crop', 'c.py', 'crop', masks=True)),
                  masks=LesionMasks(seg, 'g', (('Training', '{data}'), )))
    work = tmp_path / 'work'
    os.makedirs(work / 'seg')
    (work / 'seg' / '.done').touch()
    if made_by:
        os.makedirs(work / 'lesion_masks' / 'Training')
        (work / 'lesion_masks' / 'Training' / '.done').write_text(made_by)
    return Driver(table, str(tmp_path), str(work), '.', log=lambda *a, **k:
                  None)


def test_masks_of_another_segmentation_run_are_refused(tmp_path):
    driver = _mask_driver(tmp_path, made_by='another_seg\n')
    assert driver.needs_masks([['crop']])
    with pytest.raises(RuntimeError, match="masks of 'another_seg', not "
                       "of 'seg'.*move that folder away"):
        driver.predict_masks()
    # the same run's masks are kept: nothing to predict
    _mask_driver(tmp_path / 'again', made_by='seg\n').predict_masks()


def test_a_failed_lane_names_every_failed_group_after_the_others(tmp_path):
    """With lanes, a group that fails does not stop the other groups; the
    driver ends with one error naming each failed group and how to
    resume."""
    table = Table(runs={n: Run(n, f'{n}.py', n) for n in 'abcd'})
    lines, ran = [], []
    driver = Driver(table, str(tmp_path), str(tmp_path / 'work'), '.',
                    log=lambda text, **k: lines.append(text))

    def run_group(group, groups):
        if group[-1] in ('b', 'd'):
            raise RuntimeError(f'{group[-1]} broke\nwith a second line')
        ran.append(group[-1])

    driver.run_group = run_group
    with pytest.raises(RuntimeError) as info:
        driver.run([['a'], ['b'], ['c'], ['d']], lanes=2)
    assert sorted(ran) == ['a', 'c']
    assert '2 of 4 groups failed' in str(info.value)
    assert 'b, d' in str(info.value) and 'Rerun' in str(info.value)
    failed = [line for line in lines if 'FAILED' in line]
    assert len(failed) == 2 and all('\n' not in line for line in failed)
