"""tools/make_report.py: the quickstart report says which mode made it,
shows this run's metrics and each stage's wall time. In-process, on a
generated quickstart folder (no training)."""
import importlib.util
import json
import os.path as osp
import sys


def _make_report(repo_root):
    spec = importlib.util.spec_from_file_location(
        'isic_make_report_tool', osp.join(repo_root, 'tools',
                                          'make_report.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_run(root, run, metrics):
    (root / run).mkdir(parents=True)
    (root / run / 'metrics.json').write_text(json.dumps(metrics))


def _quickstart_folder(root, mode):
    _write_run(root, 'seg_stage2', {'isic/jaccard': 0.8123, 'isic/dice': 0.9})
    _write_run(root, 'seg_stage2_tta', {'isic/jaccard': 0.8456})
    _write_run(root, 'cls_multiclass', {'isic/melanoma_auc': 0.71,
                                        'isic/seborrheic_keratosis_auc': 0.9})
    if mode is not None:
        (root / 'mode').write_text(mode + '\n')
        (root / 'stage_seconds.csv').write_text(
            'stage,seconds\nsynthetic,21\nseg_stage1,97\n')


def _report(monkeypatch, repo_root, root):
    monkeypatch.setattr(sys, 'argv', ['tools/make_report.py', str(root)])
    _make_report(repo_root).main()
    return (root / 'report.md').read_text()


def test_report_names_fast_mode_and_stage_times(monkeypatch, repo_root,
                                                tmp_path):
    _quickstart_folder(tmp_path, 'fast')
    text = _report(monkeypatch, repo_root, tmp_path)
    assert 'fast mode' in text and 'full mode' not in text
    # this run's numbers, x 100, and the rows it did not run
    assert '| 81.2 | 90.0 |' in text and '84.6' in text
    assert '| 3-class ResNet | 71.0 | 90.0 | 80.5 |' in text
    assert 'not run' in text
    assert '| seg_stage1 | 97 |' in text
    assert 'fast mode' in (tmp_path / 'report.html').read_text()


def test_report_names_full_mode(monkeypatch, repo_root, tmp_path):
    _quickstart_folder(tmp_path, 'full')
    text = _report(monkeypatch, repo_root, tmp_path)
    assert 'full mode' in text and 'fast mode' not in text


def test_report_without_mode_file_says_so(monkeypatch, repo_root, tmp_path):
    _quickstart_folder(tmp_path, None)
    text = _report(monkeypatch, repo_root, tmp_path)
    assert 'unrecorded mode' in text
    assert 'Wall time of each stage' not in text
