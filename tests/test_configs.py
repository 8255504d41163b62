"""Every shipped config parses, inherits as documented and builds its model."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

import isic_plugins  # noqa: F401

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    glob.glob(osp.join(REPO, 'configs', '*.py')) +
    glob.glob(osp.join(REPO, 'configs', '*', '*.py')))
CONFIGS = [c for c in CONFIGS if '_base_' not in c]


def _no_pretrained(node):
    """Drop ImageNet downloads: building must work offline."""
    if isinstance(node, dict):
        if node.get('type') == 'Pretrained':
            return None
        return {k: _no_pretrained(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_no_pretrained(v) for v in node]
    return node


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports['imports'] == ['isic_plugins']
    scope = cfg.default_scope
    init_default_scope(scope)
    if scope == 'mmseg':
        from mmseg.registry import MODELS
    else:
        from mmpretrain.registry import MODELS
    model_cfg = _no_pretrained(cfg.model.to_dict())
    if 'Ensemble' in model_cfg['type']:
        pytest.skip('the ensemble loads trained members: see its own tests')
    model = MODELS.build(model_cfg)
    learned = sum(p.numel() for p in model.parameters())
    # only the classical baseline has nothing to learn
    assert learned > 0 or model_cfg['type'] == 'OtsuLesionSegmentor'


def test_paper_settings():
    s1 = Config.fromfile(osp.join(REPO, 'configs/seg_stage1.py'))
    s2 = Config.fromfile(osp.join(REPO, 'configs/seg_stage2.py'))
    assert s1.optim_wrapper.optimizer.lr == 0.0016 and s1.param_scheduler == []
    assert s1.train_cfg.max_epochs == 60
    assert [d.type for d in s1.train_dataloader.dataset.datasets] == [
        'ISIC2017SegmentationDataset', 'ISICArchiveSegmentationDataset']
    assert s2.optim_wrapper.optimizer.lr == 0.0008
    assert s2.train_cfg.max_epochs == 80
    assert s2.param_scheduler[0].type == 'LinearLR'
    assert s2.param_scheduler[0].end_factor == 0.0
    assert s2.load_from.startswith('work_dirs/seg_stage1/')
    assert s2.train_dataloader.batch_size == 5  # x 2 GPUs = 10
    assert s2.tta_model.type == 'ISICSegTTAModel'
    assert len(s2.tta_model.scales) == 3 and len(s2.tta_model.flips) == 4


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_tta_scales_are_the_dataset_pieces(path):
    """`--tta` views are at the resolution the config trains at: the
    scales its dataset piece defines, not a copy of another's."""
    cfg = Config.fromfile(path)
    if cfg.get('tta_model', {}).get('type') != 'ISICSegTTAModel':
        pytest.skip('no segmentation TTA')
    assert [tuple(s) for s in cfg.tta_model.scales] == [
        tuple(s) for s in cfg.tta_scales]


PIECES = sorted(
    glob.glob(osp.join(REPO, 'configs', '_base_', '**', '*.py'),
              recursive=True))


@pytest.mark.parametrize('path', PIECES, ids=lambda p: osp.relpath(p, REPO))
def test_base_piece_loads(path):
    """Every piece loads on its own (the configs above load them all
    merged)."""
    assert Config.fromfile(path).filename == path


def _project_bases(path):
    """The project config files ``path`` lists in ``_base_`` (library bases
    such as ``mmseg::...`` are the library's own and not counted)."""
    import ast
    with open(path) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            value = ast.literal_eval(node.value)
            bases = [value] if isinstance(value, str) else list(value)
            return [osp.normpath(osp.join(osp.dirname(path), b))
                    for b in bases if '::' not in b]
    return []


def chain_depth(path):
    """Files on the longest ``_base_`` chain from ``path``, itself
    included (a config without project bases: 1)."""
    return 1 + max(map(chain_depth, _project_bases(path)), default=0)


ALL_CONFIGS = sorted(
    glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True))


@pytest.mark.parametrize('path', ALL_CONFIGS,
                         ids=lambda p: osp.relpath(p, REPO))
def test_inheritance_is_at_most_three_files_deep(path):
    """Finding a setting never means opening more than three files: a
    config, its bases, theirs (mmseg's and mmpretrain's own not counted)."""
    assert chain_depth(path) <= 3, (
        f'{osp.relpath(path, REPO)} inherits through '
        f'{chain_depth(path)} files')


def test_chain_depth_counts_every_project_file(tmp_path):
    """The check above fails on a four-file chain, and library bases do
    not count."""
    (tmp_path / 'd.py').write_text("_base_ = ['mmseg::_base_/x.py']\n")
    for child, parent in (('c', 'd'), ('b', 'c'), ('a', 'b')):
        (tmp_path / f'{child}.py').write_text(
            f"_base_ = ['./{parent}.py', 'mmpretrain::y.py']\nx = 1\n")
    assert chain_depth(str(tmp_path / 'd.py')) == 1
    assert chain_depth(str(tmp_path / 'b.py')) == 3
    assert chain_depth(str(tmp_path / 'a.py')) == 4
