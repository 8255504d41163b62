"""Shared fixtures: the real ISIC sample and tiny generated ISIC folders."""
import contextlib
import copy
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
    from isic_plugins.testing import make_synthetic_isic
    root = str(tmp_path_factory.mktemp('synthetic_isic'))
    make_synthetic_isic(root, num_train=12, num_val=6, num_test=6, seed=1,
                        min_size=96, max_size=240)
    return root


@contextlib.contextmanager
def _kept_default_scope():
    """Undo, on leaving, the default scope set inside (as mmengine's own
    ``DefaultScope.overwrite_default_scope`` restores it)."""
    from mmengine.registry import DefaultScope
    saved = copy.copy(DefaultScope._instance_dict)
    try:
        yield
    finally:
        DefaultScope._instance_dict = saved


@pytest.fixture(autouse=True)
def _restore_default_scope():
    """Undo the default scope a test sets (fixtures, configs, runners).

    mmengine keeps the latest default scope process-wide, so without this a
    test would build from whichever registry the tests before it left
    current, and moving a test file would change what others build. A
    session or module fixture that builds models keeps the scope too
    (:func:`_kept_default_scope`): it is set up before this one saves.
    """
    with _kept_default_scope():
        yield


@pytest.fixture(scope='session')
def tiny_seg_checkpoint(tmp_path_factory) -> str:
    """Untrained weights of ``tests/data/tiny_seg_config.py``'s model, with
    the dataset meta that mmseg's ``init_model`` reads."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmseg.registry import MODELS

    import isic_plugins  # noqa: F401  (registers the model parts)
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'tests', 'data',
                                   'tiny_seg_config.py'))
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MODELS.build(cfg.model)
    path = str(tmp_path_factory.mktemp('tiny_seg') / 'weights.pth')
    meta = dict(dataset_meta=dict(classes=('background', 'lesion'),
                                  palette=[[0, 0, 0], [255, 255, 255]]))
    torch.save(dict(meta=meta, state_dict=model.state_dict()), path)
    return path


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


class MessyFiles:
    """Writers of the broken and unusual files real ISIC folders hold."""

    @staticmethod
    def image(path, size=(24, 16), value=128):
        """A plain RGB JPEG of ``size`` (width, height), dark lesion box."""
        import cv2
        import numpy as np
        w, h = size
        img = np.full((h, w, 3), value, np.uint8)
        img[h // 4:h // 2, w // 4:w // 2] = 20
        os.makedirs(osp.dirname(path), exist_ok=True)
        cv2.imwrite(path, img)
        return path

    @staticmethod
    def mask(path, size=(24, 16), values=(0, 255), channels=1):
        """A mask of ``size`` whose lesion box matches :meth:`image`."""
        import cv2
        import numpy as np
        w, h = size
        mask = np.full((h, w), values[0], np.uint8)
        mask[h // 4:h // 2, w // 4:w // 2] = values[1]
        if channels > 1:
            mask = np.stack([mask] * channels, -1)
        os.makedirs(osp.dirname(path), exist_ok=True)
        cv2.imwrite(path, mask)
        return path

    @staticmethod
    def pil_image(path, mode, size=(24, 16), fmt=None, exif_orientation=None):
        """An image in PIL ``mode`` (L, RGBA, I;16, CMYK...), any format."""
        import numpy as np
        from PIL import Image
        w, h = size
        arr = np.full((h, w), 128, np.uint8)
        arr[h // 4:h // 2, w // 4:w // 2] = 20
        if mode == 'I;16':
            im = Image.fromarray(arr.astype(np.uint16) * 257)
        else:
            im = Image.fromarray(arr).convert(mode)
        kwargs = {}
        if exif_orientation is not None:
            exif = Image.Exif()
            exif[274] = exif_orientation
            kwargs['exif'] = exif.tobytes()
        os.makedirs(osp.dirname(path), exist_ok=True)
        im.save(path, format=fmt, **kwargs)
        return path

    @staticmethod
    def truncated(path, size=(64, 48)):
        """A JPEG cut at 60% of its bytes (an interrupted download)."""
        import cv2
        import numpy as np
        rng = np.random.default_rng(0)
        img = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
        ok, data = cv2.imencode('.jpg', img)
        os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data.tobytes()[:int(len(data) * 0.6)])
        return path

    @staticmethod
    def corrupt_middle(path, source=None, size=(256, 192), count=512):
        """A JPEG with ``count`` random bytes overwritten mid-file.

        Not truncated: OpenCV and Pillow decode it without an error into
        grey or smeared blocks. The bytes are taken from ``source`` (a real
        JPEG) or from a generated photo-like JPEG of ``size``.
        """
        import cv2
        import numpy as np
        rng = np.random.default_rng(0)
        if source is None:
            w, h = size
            yy, xx = np.mgrid[0:h, 0:w]
            img = np.stack([xx * 255 // w, yy * 255 // h,
                            (xx + yy) * 255 // (w + h)], -1)
            img = img + rng.normal(0, 12, img.shape)
            data = cv2.imencode('.jpg', np.clip(img, 0, 255).astype(
                np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 95])[1].tobytes()
        else:
            with open(source, 'rb') as f:
                data = f.read()
        data = bytearray(data)
        middle = len(data) // 2
        data[middle:middle + count] = rng.integers(
            0, 256, count, dtype=np.uint8).tobytes()
        os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(bytes(data))
        return path

    @staticmethod
    def raw(path, data=b''):
        """A file with ``data`` (b'' for a zero-byte file)."""
        os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
        return path


@pytest.fixture(scope='session')
def messy():
    """Writers of broken/unusual image, mask and CSV files."""
    return MessyFiles


#: The real-data Lite0 segmenter (skips, TTA 3 scales x 4 flips) and the
#: Lite0 3-class lesion-crop classifier, exported by the ONNX tests.
ONNX_SEG_CONFIG = ('configs/realdata/'
                   'effnetlite0-skips_stage2-4e_isic2017_256px.py')
ONNX_CLS_CONFIG = ('configs/realdata/'
                   'effnetlite0_multiclass-8e_isic2017-lesioncrop_224px.py')


@pytest.fixture(scope='session')
def exported_models(tmp_path_factory, repo_root) -> dict:
    """The ONNX test models, exported once: ``seg``/``cls`` (configs),
    ``seg_pth``/``cls_pth`` (initialised checkpoints: ImageNet encoder,
    seeded head) and ``seg_onnx``/``cls_onnx``."""
    pytest.importorskip('onnxruntime')
    pytest.importorskip('onnx')
    from isic_plugins.deploy import ONNXExporter
    from isic_plugins.testing import save_initialised_checkpoint
    out = tmp_path_factory.mktemp('onnx_models')
    models = {}
    # building the classifier left mmpretrain's scope current for every
    # later test (mmseg's DeconvFCNHead was then looked up in mmpretrain)
    with _kept_default_scope():
        for key, config in (('seg', ONNX_SEG_CONFIG),
                            ('cls', ONNX_CLS_CONFIG)):
            config = osp.join(repo_root, config)
            pth = save_initialised_checkpoint(
                config, str(out / f'{key}.pth'), seed=1)
            exporter = ONNXExporter(config, pth)
            onnx_file, = exporter.export(str(out / f'{key}.onnx'))
            models.update({key: config, f'{key}_pth': pth,
                           f'{key}_onnx': onnx_file})
    return models
