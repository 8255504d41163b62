"""LesionDemo.analyse: what the page shows, and bad files answered."""
import cv2
import numpy as np
import pytest

from isic_plugins.demo import LesionDemo
from isic_plugins.demo.lesion_demo import COLUMNS, summary


@pytest.fixture(scope='module')
def demo(exported_models):
    return LesionDemo([exported_models['seg_onnx']],
                      [[exported_models['cls_onnx']]])


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    from isic_plugins.testing import render_sample
    out = tmp_path_factory.mktemp('demo_files')
    img, _ = render_sample(np.random.default_rng(5), 5, 200, 260)
    bgr = np.ascontiguousarray(img[..., ::-1])
    good = out / 'ISIC_0000005.jpg'
    cv2.imwrite(str(good), bgr)
    made = {'good.jpg': good.read_bytes()}
    made['rgba.png'] = cv2.imencode('.png', cv2.cvtColor(
        bgr, cv2.COLOR_BGR2BGRA))[1].tobytes()
    made['deep.png'] = cv2.imencode(
        '.png', bgr.astype(np.uint16) * 257)[1].tobytes()
    made['one.png'] = cv2.imencode('.png', bgr[:1, :1])[1].tobytes()
    made['empty.jpg'] = b''
    made['text.jpg'] = b'GIF89a? no, just text'
    made['cut.jpg'] = made['good.jpg'][:len(made['good.jpg']) // 2]
    paths = {}
    for name, data in made.items():
        (out / name).write_bytes(data)
        paths[name] = str(out / name)
    return paths


def test_valid_images_get_overlay_crop_and_probabilities(demo, files):
    for name in ('good.jpg', 'rgba.png', 'deep.png', 'one.png'):
        for tta in (False, True):
            overlay, crop, rows, status = demo.analyse(files[name], tta)
            assert overlay.ndim == 3 and crop.ndim == 3, name
            probs = summary(rows)['cls']
            assert set(probs) == set(COLUMNS[1:])
            assert all(0 <= p <= 1 for p in probs.values())
            assert ('TTA' if tta else 'single view') in status


def test_png_variants_predict_as_the_jpeg_s_pixels(demo, files):
    """RGBA and 16-bit PNGs of the same pixels: the same prediction."""
    base = summary(demo.analyse(files['rgba.png'])[2])['cls']
    deep = summary(demo.analyse(files['deep.png'])[2])['cls']
    for task in base:
        assert abs(base[task] - deep[task]) < 1e-6


@pytest.mark.parametrize('name,words', [
    ('empty.jpg', 'empty'), ('text.jpg', 'not an image'),
    ('cut.jpg', 'truncated')])
def test_bad_files_get_a_message_and_the_demo_goes_on(demo, files, name,
                                                      words):
    overlay, crop, rows, status = demo.analyse(files[name])
    assert overlay is None and rows == []
    assert words in status and name in status
    assert demo.analyse(files['good.jpg'])[0] is not None
