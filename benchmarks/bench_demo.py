"""The demo page under load: simultaneous requests, memory over many.

Starts ``tools/demo.py`` (ONNX Runtime models exported into a temporary
folder: the segmenter of ``--seg-config`` / ``--seg-checkpoint`` and the
3-class lesion-crop classifier, each with initialised weights where no
checkpoint is given) on a free loopback port and calls its ``/analyse``
API with ``gradio_client``:

1. **Eight simultaneous requests** (8 threads, one image each, TTA on for
   half of them), each answer compared with ``LesionDemo.analyse`` run in
   this process on the same file: the same probabilities (to 1e-6) and
   status line. Goal: all 8 correct.
2. **Memory over 100 requests** (sequential, the images in turn, bad files
   among them: an empty file and a text file, answered with a message):
   the server's resident memory after requests 10 and 100. Goal: growth
   below 10% of the level at request 10 (allocator noise, no leak).

Every request goes to 127.0.0.1 only, bounded in count and time.

    python benchmarks/bench_demo.py [--requests 100] [--json out.json]
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

import cv2
import numpy as np

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import REPO, machine_info, run_benchmark  # noqa: E402

from isic_plugins.testing import (  # noqa: E402
    free_port,
    save_initialised_checkpoint,
)

SEG_CONFIG = osp.join(REPO, 'configs', 'realdata',
                      'effnetlite0-skips_stage2-4e_isic2017_256px.py')
CLS_CONFIG = osp.join(REPO, 'configs', 'realdata',
                      'effnetlite0_multiclass-8e_isic2017-lesioncrop_224px.py')
GOAL_GROWTH = 0.10


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seg-config', default=SEG_CONFIG)
    parser.add_argument('--seg-checkpoint')
    parser.add_argument('--requests', type=int, default=100)
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def rss_mib(pid: int) -> float:
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return float(line.split()[1]) / 1024
    return float('nan')


def images(folder: str) -> List[str]:
    """Four synthetic dermoscopy images and two bad files."""
    from isic_plugins.testing import render_sample
    paths = []
    for i, (h, w) in enumerate([(300, 400), (512, 512), (240, 333),
                                (480, 640)]):
        img, _ = render_sample(np.random.default_rng(20 + i), i, h, w)
        path = osp.join(folder, f'ISIC_{i:07d}.jpg')
        cv2.imwrite(path, img[..., ::-1])
        paths.append(path)
    for name, data in (('empty.jpg', b''), ('notes.png', b'no pixels')):
        with open(osp.join(folder, name), 'wb') as f:
            f.write(data)
        paths.append(osp.join(folder, name))
    return paths


def probabilities(table) -> Dict[str, List[float]]:
    """Rows of the returned table by model name."""
    rows = table['data'] if isinstance(table, dict) else table
    return {r[0]: [float(v) for v in r[1:]] for r in rows}


def measure(args: argparse.Namespace) -> Dict[str, object]:
    from gradio_client import Client, handle_file

    from isic_plugins.demo import LesionDemo
    from isic_plugins.deploy import ONNXExporter
    with tempfile.TemporaryDirectory(prefix='bench_demo_') as tmp:
        seg_ckpt = args.seg_checkpoint or save_initialised_checkpoint(
            args.seg_config, osp.join(tmp, 'seg.pth'))
        cls_ckpt = save_initialised_checkpoint(CLS_CONFIG,
                                               osp.join(tmp, 'cls.pth'))
        seg_onnx, = ONNXExporter(args.seg_config, seg_ckpt).export(
            osp.join(tmp, 'seg.onnx'))
        cls_onnx, = ONNXExporter(CLS_CONFIG, cls_ckpt).export(
            osp.join(tmp, 'cls.onnx'))
        files = images(tmp)
        local = LesionDemo([seg_onnx], [[cls_onnx]])
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, 'tools/demo.py', '--seg', seg_onnx, '--cls',
             cls_onnx, '--port', str(port), '--examples', tmp],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, GRADIO_ANALYTICS_ENABLED='False'))
        try:
            url = f'http://127.0.0.1:{port}/'
            deadline = time.monotonic() + 600
            while True:
                try:
                    # generous timeouts: a loaded 2-core machine answers
                    # slowly, which is not what is measured here
                    client = Client(url, verbose=False,
                                    analytics_enabled=False,
                                    download_files=tmp,
                                    httpx_kwargs=dict(timeout=600))
                    break
                except Exception:  # noqa: BLE001  (not up yet)
                    if server.poll() is not None or \
                            time.monotonic() > deadline:
                        raise RuntimeError('tools/demo.py did not start')
                    time.sleep(2)

            def answer(job):
                out = job.result(timeout=900)
                return probabilities(out[2]) if out[2] else {}, out[3]

            def call(path: str, tta: bool):
                return answer(client.submit(handle_file(path), tta,
                                            api_name='/analyse'))

            jobs = [(files[i % 4], i % 2 == 1) for i in range(8)]
            start = time.perf_counter()
            # all eight submitted before any answer is read
            submitted = [client.submit(handle_file(path), tta,
                                       api_name='/analyse')
                         for path, tta in jobs]
            answers = [answer(job) for job in submitted]
            parallel_s = time.perf_counter() - start
            correct = 0
            for (path, tta), (probs, status) in zip(jobs, answers):
                _, _, rows, expected_status = local.analyse(path, tta)
                expected = probabilities(rows)
                same = set(probs) == set(expected) and all(
                    np.allclose(probs[k], expected[k], atol=1e-6)
                    for k in expected)
                correct += bool(same and osp.basename(path) in status)
            memory = {}
            bad_answers = 0
            for i in range(args.requests):
                path = files[i % len(files)]
                probs, status = call(path, False)
                if path.endswith(('empty.jpg', 'notes.png')):
                    bad_answers += 'Not analysed' in status
                if i + 1 in (10, args.requests):
                    memory[i + 1] = rss_mib(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    growth = (memory[args.requests] - memory[10]) / memory[10]
    rows = [
        dict(key='demo_parallel', device='cpu',
             figure=('demo page, 8 simultaneous /analyse requests '
                     '(loopback): correct answers'),
             project=correct, project_text=f'{correct} of 8 correct '
             f'({parallel_s:.1f} s in all)', reference=8,
             reference_text='8', ratio=correct / 8, goal='= 8',
             passed=correct == 8),
        dict(key='demo_memory', device='cpu',
             figure=(f'demo page, {args.requests} requests (bad files '
                     'among them): server memory after request 10 and '
                     f'{args.requests}, MiB'),
             project=memory[args.requests],
             project_text=f'{memory[args.requests]:.0f} MiB '
             f'({bad_answers} bad files answered with a message)',
             reference=memory[10], reference_text=f'{memory[10]:.0f} MiB',
             ratio=memory[args.requests] / memory[10],
             goal=f'<= {1 + GOAL_GROWTH:.2f}',
             passed=bool(growth <= GOAL_GROWTH)),
    ]
    return dict(benchmark='demo', device='cpu', machine=machine_info(),
                correct=correct, parallel_s=parallel_s, memory_mib=memory,
                rows=rows)


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    return run_benchmark(measure, parse_args, argv)


if __name__ == '__main__':
    main()
