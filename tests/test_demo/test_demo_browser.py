"""tools/demo.py in a real browser: upload an image, see the mask overlay
and the probabilities (headless Chromium driven by Playwright).

Skipped where Playwright or a Chromium is missing (Debian: apt-get install
chromium; set CHROMIUM to another executable). With
ISIC_DEMO_SCREENSHOT=PATH the page is saved there (docs/demo.png in the
README was made so).
"""
import os
import shutil
import subprocess
import time

import cv2
import numpy as np
import pytest

from isic_plugins.testing import free_port

CHROMIUM = os.environ.get('CHROMIUM') or shutil.which('chromium') or \
    shutil.which('chromium-browser')
#: The flags a root, network-less machine needs (no sandbox, no calls
#: home).
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
                 '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync']


def _wait_for(url: str, proc: subprocess.Popen, seconds: float) -> None:
    import urllib.request
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f'tools/demo.py exited: '
                               f'{proc.stderr.read()[-3000:]}')
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f'{url} did not answer in {seconds:.0f} s')


@pytest.fixture
def server(python, repo_root, exported_models):
    if CHROMIUM is None:
        pytest.skip('no Chromium installed (apt-get install chromium, or '
                    'set CHROMIUM=/path/to/chrome)')
    pytest.importorskip('playwright.sync_api',
                        reason='playwright is not installed')
    pytest.importorskip('gradio', reason='gradio is not installed')
    port = free_port()
    proc = subprocess.Popen(
        [python, 'tools/demo.py', '--seg', exported_models['seg_onnx'],
         '--cls', exported_models['cls_onnx'], '--port', str(port)],
        cwd=repo_root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, env=dict(os.environ, GRADIO_ANALYTICS_ENABLED='False'))
    url = f'http://127.0.0.1:{port}/'
    try:
        _wait_for(url, proc, 300)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_upload_shows_overlay_and_probabilities(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from isic_plugins.testing import render_sample
    img, _ = render_sample(np.random.default_rng(7), 7, 300, 400)
    image = str(tmp_path / 'ISIC_0000007.jpg')
    cv2.imwrite(image, img[..., ::-1])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=dict(width=1400, height=1000))
        page.goto(server, timeout=120_000)
        page.set_input_files('#upload input[type=file]', image)
        page.wait_for_selector('#status:has-text("segmentation")',
                               timeout=180_000)
        assert page.locator('#overlay img').count() == 1
        assert page.locator('#crop img').count() == 1
        table = page.locator('#probabilities').inner_text()
        assert 'melanoma' in table and 'cls' in table
        status = page.locator('#status').inner_text()
        assert 'ISIC_0000007.jpg' in status
        shot = os.environ.get('ISIC_DEMO_SCREENSHOT')
        if shot:
            page.screenshot(path=shot, full_page=True)
        browser.close()
