"""Shared fixtures: the real ISIC sample and tiny generated ISIC folders."""
import os
import os.path as osp
import sys

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED_SAMPLE = os.environ.get(
    'ISIC_SAMPLE_DIR', osp.join(REPO_ROOT, '..', 'shared', 'isic_sample'))


@pytest.fixture(scope='session')
def repo_root() -> str:
    return REPO_ROOT


@pytest.fixture(scope='session')
def python() -> str:
    """The interpreter running the tests (the project's .venv)."""
    return sys.executable


@pytest.fixture(scope='session')
def isic_sample() -> str:
    """``../shared/isic_sample``: 40 real ISIC image/mask pairs."""
    if not osp.isdir(osp.join(SHARED_SAMPLE, 'images')):
        pytest.skip(f'real ISIC sample not found at {SHARED_SAMPLE} '
                    '(set ISIC_SAMPLE_DIR to use it)')
    return SHARED_SAMPLE


@pytest.fixture(scope='session')
def synthetic_isic(tmp_path_factory) -> str:
    """A tiny synthetic ISIC 2017 tree (all three splits), made once."""
    from isic_plugins.datasets.synthetic_isic import make_synthetic_isic
    root = str(tmp_path_factory.mktemp('synthetic_isic'))
    make_synthetic_isic(root, num_train=12, num_val=6, num_test=6, seed=1,
                        min_size=96, max_size=240)
    return root


@pytest.fixture
def mmseg_scope():
    """Build registry objects in mmseg's scope, as an mmseg config does."""
    from mmengine.registry import init_default_scope
    init_default_scope('mmseg')


@pytest.fixture
def mmpretrain_scope():
    """Build registry objects in mmpretrain's scope."""
    from mmengine.registry import init_default_scope
    init_default_scope('mmpretrain')
