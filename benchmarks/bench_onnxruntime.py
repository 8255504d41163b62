"""ONNX Runtime vs PyTorch: per-image latency, peak memory, agreement.

The models are exported first (``isic_plugins.deploy.ONNXExporter``, as
``tools/export_onnx.py``) into a temporary folder:

- the real-data EfficientNet-Lite0 segmenter of ``--seg-config`` /
  ``--seg-checkpoint`` (TTA: the config's 3 scales x 4 flips);
- the 3-class EfficientNet-Lite0 lesion-crop classifier of
  ``--cls-config`` / ``--cls-checkpoint``; where the checkpoint is missing
  (no trained classifier on this machine), its ImageNet-initialised model
  with a seeded random head, saved to the temporary folder, said so.

1. **Latency**, each side through its whole public call from the image
   file (decode, preprocessing, network, post-processing): PyTorch
   ``LesionSegmenter`` / ``LesionClassifier`` (the OpenMMLab pipelines)
   vs ``ORTLesionSegmenter`` / ``ORTLesionClassifier``, the same threads
   (``torch.get_num_threads()``, given to ONNX Runtime), alternated in
   rounds after a warm-up; figures are medians, ratios medians of
   per-round ratios. Rows: the segmenter single view on a 512x512 Test_v2
   image, the classifier on its lesion crop (the mask file that the
   segmenter wrote), and 12-view TTA on a 4288x2848 ISIC photo
   (``../shared/isic_sample/fullres``; a synthetic one where missing).
   Goal: ONNX Runtime >= 1.5x faster (ratio ORT / PyTorch <= 0.667).
2. **Peak memory** of ``tools/predict.py --tta`` on that photo, each
   backend in its own process (``ru_maxrss`` of the child).
3. **Agreement** on the first ``--num-real`` Test_v2 images of
   ``../shared/isic2017_real``: mask pixel agreement (worst image) and mean
   Jaccard against the ground truth of both backends, single view and TTA
   (goals: >= 99.9%, Jaccard equal to 1e-3), and the largest difference of
   the classifier's probabilities (goal <= 1e-4), both given the PyTorch
   mask.

    python benchmarks/bench_onnxruntime.py [--num-real 50] [--repeats 3]
        [--seg-config C --seg-checkpoint K] [--json out.json]

Run beside other work, absolute times drift with the load; ratios of the
two sides measured side by side stay meaningful.
"""
import argparse
import glob
import os
import os.path as osp
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np
import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchutils import (  # noqa: E402
    REPO,
    alternate,
    fmt,
    fullres_jpegs,
    machine_info,
    median,
    paired_ratio,
    run_benchmark,
    time_call,
)

from isic_plugins.testing import save_initialised_checkpoint  # noqa: E402

SEG_CONFIG = osp.join(REPO, 'configs', 'fullframe',
                      'effnetlite0-skips_stage2-4e_crops_256px.py')
SEG_CHECKPOINT = osp.join(REPO, 'work_dirs', 'realdata',
                          'ff_lite0_ham_stage2', 'epoch_4.pth')
CLS_CONFIG = osp.join(REPO, 'configs', 'realdata',
                      'effnetlite0_multiclass-8e_isic2017-lesioncrop_224px.py')
CLS_CHECKPOINT = osp.join(REPO, 'work_dirs', 'realdata',
                          'cls_effnetlite0_multiclass_crop', 'epoch_8.pth')
REAL_ROOT = osp.join(REPO, '..', 'shared', 'isic2017_real')
#: Goals of the issue: ORT / PyTorch time; pixel agreement; Jaccard;
#: probabilities.
GOAL_RATIO, GOAL_AGREEMENT, GOAL_JACCARD, GOAL_PROB = (1 / 1.5, 0.999,
                                                       1e-3, 1e-4)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seg-config', default=SEG_CONFIG)
    parser.add_argument('--seg-checkpoint', default=SEG_CHECKPOINT)
    parser.add_argument('--cls-config', default=CLS_CONFIG)
    parser.add_argument('--cls-checkpoint', default=CLS_CHECKPOINT)
    parser.add_argument('--real-root', default=REAL_ROOT)
    parser.add_argument('--num-real', type=int, default=50,
                        help='Test_v2 images for the agreement (0: none)')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--no-memory', action='store_true',
                        help='skip the predict.py peak-memory runs')
    parser.add_argument('--json', help='also write the results here')
    return parser.parse_args(argv)


def export(config: str, checkpoint: str, out: str) -> Tuple[str, float]:
    """Export ``config`` + ``checkpoint``; the file and its checked
    largest difference to PyTorch."""
    from isic_plugins.deploy import ONNXExporter
    exporter = ONNXExporter(config, checkpoint)
    paths = exporter.export(out)
    return paths[0], exporter.check(paths, out)[paths[0]]


def peak_rss_mib(cmd: List[str]) -> float:
    """Peak resident memory of ``cmd`` run in a process of its own, MiB."""
    probe = ('import resource, subprocess, sys; '
             'r = subprocess.run(sys.argv[1:], capture_output=True); '
             'sys.stderr.write(r.stderr.decode()[-2000:]) if r.returncode '
             'else None; '
             'print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss '
             'if r.returncode == 0 else -1)')
    out = subprocess.run([sys.executable, '-c', probe, *cmd], cwd=REPO,
                         capture_output=True, text=True)
    kib = float(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() \
        else -1.0
    if kib < 0:
        raise RuntimeError(f'{cmd} failed:\n{out.stderr[-2000:]}')
    return kib / 1024


def real_pairs(root: str, count: int) -> List[Tuple[str, str]]:
    """The first ``count`` Test_v2 images with their masks."""
    images = sorted(glob.glob(osp.join(root, 'ISIC-2017_Test_v2_Data',
                                       '*.jpg')))[:count]
    gt_dir = osp.join(root, 'ISIC-2017_Test_v2_Part1_GroundTruth')
    return [(p, osp.join(gt_dir, osp.basename(p)[:-4] +
                         '_segmentation.png')) for p in images]


def agreement(seg: Dict[str, object], cls: Dict[str, object],
              pairs: List[Tuple[str, str]], tmp: str) -> Dict[str, object]:
    """Masks and probabilities of both backends on ``pairs``."""
    from isic_plugins.evaluation.isic_segmentation_metric import (
        per_image_scores,
    )
    from isic_plugins.isic_layout import image_id_of, write_submission_mask
    out: Dict[str, object] = dict(images=len(pairs))
    mask_dir = osp.join(tmp, 'agreement_masks')
    os.makedirs(mask_dir, exist_ok=True)
    prob_diff = []
    for view in ('single', 'tta'):
        agree, jac = [], {'pytorch': [], 'onnxruntime': []}
        for image, gt_path in pairs:
            gt = cv2.imread(gt_path, cv2.IMREAD_GRAYSCALE) > 127
            masks = {b: seg[f'{b}_{view}'](image)['mask'] > 0
                     for b in ('pytorch', 'onnxruntime')}
            agree.append(float((masks['pytorch'] ==
                                masks['onnxruntime']).mean()))
            for b, m in masks.items():
                jac[b].append(per_image_scores(m, gt)['jaccard'])
            if view == 'single':
                mask_path = write_submission_mask(
                    masks['pytorch'], mask_dir, image_id_of(image))
                p = cls['pytorch'](image, lesion_mask_path=mask_path)
                q = cls['onnxruntime'](image, lesion_mask=cv2.imread(
                    mask_path, cv2.IMREAD_GRAYSCALE))
                prob_diff.append(max(abs(p[k] - q[k]) for k in p))
        out[view] = dict(
            agreement_min=min(agree), agreement_mean=float(np.mean(agree)),
            jaccard={b: float(np.mean(v)) for b, v in jac.items()},
            jaccard_diff=abs(float(np.mean(jac['pytorch'])) -
                             float(np.mean(jac['onnxruntime']))))
    out['prob_diff_max'] = max(prob_diff)
    return out


def measure(args: argparse.Namespace) -> Dict[str, object]:
    from isic_plugins.apis import (
        LesionClassifier,
        LesionSegmenter,
        ORTLesionClassifier,
        ORTLesionSegmenter,
    )
    threads = torch.get_num_threads()
    rows: List[Dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix='bench_ort_') as tmp:
        notes = {}
        seg_ckpt, cls_ckpt = args.seg_checkpoint, args.cls_checkpoint
        if not osp.isfile(seg_ckpt):
            seg_ckpt = save_initialised_checkpoint(args.seg_config,
                                         osp.join(tmp, 'seg.pth'))
            notes['seg'] = 'random weights (no trained checkpoint)'
        if not osp.isfile(cls_ckpt):
            cls_ckpt = save_initialised_checkpoint(args.cls_config,
                                         osp.join(tmp, 'cls.pth'))
            notes['cls'] = 'ImageNet encoder, random head (untrained)'
        seg_onnx, seg_diff = export(args.seg_config, seg_ckpt,
                                    osp.join(tmp, 'seg.onnx'))
        cls_onnx, cls_diff = export(args.cls_config, cls_ckpt,
                                    osp.join(tmp, 'cls.onnx'))
        seg = {'pytorch_single': LesionSegmenter(args.seg_config, seg_ckpt),
               'pytorch_tta': LesionSegmenter(args.seg_config, seg_ckpt,
                                              tta=True),
               'onnxruntime_single': ORTLesionSegmenter(seg_onnx,
                                                        threads=threads),
               'onnxruntime_tta': ORTLesionSegmenter(seg_onnx, tta=True,
                                                     threads=threads)}
        cls = {'pytorch': LesionClassifier(args.cls_config, cls_ckpt),
               'onnxruntime': ORTLesionClassifier(cls_onnx,
                                                  threads=threads)}
        pairs = real_pairs(args.real_root, max(args.num_real, 1))
        image512 = pairs[0][0] if pairs else fullres_jpegs(
            osp.join(tmp, 'small'), 1)['paths'][0]
        mask512 = osp.join(tmp, 'mask512.png')
        cv2.imwrite(mask512, seg['pytorch_single'](image512)['mask'])
        photos = fullres_jpegs(osp.join(tmp, 'fullres'), 1)
        photo = photos['paths'][0]
        fns = {
            'seg_pytorch': lambda: seg['pytorch_single'](image512),
            'seg_onnxruntime': lambda: seg['onnxruntime_single'](image512),
            'cls_pytorch': lambda: cls['pytorch'](
                image512, lesion_mask_path=mask512),
            'cls_onnxruntime': lambda: cls['onnxruntime'](
                image512, lesion_mask=cv2.imread(mask512,
                                                 cv2.IMREAD_GRAYSCALE)),
            'tta_pytorch': lambda: seg['pytorch_tta'](photo),
            'tta_onnxruntime': lambda: seg['onnxruntime_tta'](photo),
        }
        with torch.no_grad():
            runs = alternate({k: (lambda fn=fn: time_call(fn))
                              for k, fn in fns.items()},
                             repeats=args.repeats)
        seconds = {k: median(v) for k, v in runs.items()}
        size = cv2.imread(image512).shape[:2]
        labels = {
            'seg': (f'Lite0 segmenter, single view, {size[1]}x{size[0]} '
                    'Test_v2 image'),
            'cls': ('Lite0 3-class lesion-crop classifier, '
                    f'{size[1]}x{size[0]} image'),
            'tta': ('Lite0 segmenter, 12-view TTA, 4288x2848 photo'),
        }
        for key, label in labels.items():
            ratio = paired_ratio(runs[f'{key}_onnxruntime'],
                                 runs[f'{key}_pytorch'])
            rows.append(dict(
                key=f'onnxruntime_{key}', device='cpu',
                figure=(f'{label}: ONNX Runtime vs PyTorch, s per image '
                        f'({threads} threads each)'),
                project=seconds[f'{key}_onnxruntime'],
                project_text=(f'{fmt(seconds[f"{key}_onnxruntime"])} s '
                              f'(ONNX Runtime, {1 / ratio:.2f}x faster)'),
                reference=seconds[f'{key}_pytorch'],
                reference_text=f'{fmt(seconds[f"{key}_pytorch"])} s '
                '(PyTorch + OpenMMLab)',
                ratio=ratio, goal='<= 0.667 (1.5x faster)',
                passed=bool(ratio <= GOAL_RATIO)))
        memory = {}
        if not args.no_memory:
            folder = osp.dirname(photo)
            for backend, model in (('pytorch', seg_ckpt),
                                   ('onnxruntime', seg_onnx)):
                cmd = [sys.executable, 'tools/predict.py', folder,
                       '--backend', backend, '--seg-checkpoint', model,
                       '--tta', '--masks-only', '--out',
                       osp.join(tmp, f'predict_{backend}')]
                if backend == 'pytorch':
                    cmd += ['--seg-config', args.seg_config]
                memory[backend] = peak_rss_mib(cmd)
            rows.append(dict(
                key='onnxruntime_peak_memory', device='cpu',
                figure=('tools/predict.py --tta on a 4288x2848 photo: peak '
                        'resident memory, MiB'),
                project=memory['onnxruntime'],
                project_text=f'{fmt(memory["onnxruntime"])} MiB '
                '(--backend onnxruntime)',
                reference=memory['pytorch'],
                reference_text=f'{fmt(memory["pytorch"])} MiB (pytorch)',
                ratio=memory['onnxruntime'] / memory['pytorch'], goal=None,
                passed=None))
        agree = None
        if args.num_real > 0 and pairs:
            agree = agreement(seg, cls, pairs, tmp)
            for view, text in (('single', 'single view'),
                               ('tta', '12-view TTA')):
                a = agree[view]
                rows.append(dict(
                    key=f'onnxruntime_agreement_{view}', device='cpu',
                    figure=(f'ONNX Runtime vs PyTorch masks, {text}, '
                            f'{agree["images"]} Test_v2 images: pixel '
                            'agreement (worst image); mean Jaccard'),
                    project=a['agreement_min'],
                    project_text=(f'{a["agreement_min"]:.5f}; Jaccard '
                                  f'{a["jaccard"]["onnxruntime"]:.4f}'),
                    reference=1.0,
                    reference_text=(f'1 (identical); Jaccard '
                                    f'{a["jaccard"]["pytorch"]:.4f}'),
                    ratio=a['agreement_min'],
                    goal='>= 0.999, Jaccard +-0.001',
                    passed=bool(a['agreement_min'] >= GOAL_AGREEMENT
                                and a['jaccard_diff'] <= GOAL_JACCARD)))
            rows.append(dict(
                key='onnxruntime_probabilities', device='cpu',
                figure=('ONNX Runtime vs PyTorch classifier probabilities, '
                        f'{agree["images"]} Test_v2 lesion crops: largest '
                        'difference'),
                project=agree['prob_diff_max'],
                project_text=f'{agree["prob_diff_max"]:.2g}',
                reference=0.0, reference_text='0', ratio=float('nan'),
                goal='<= 1e-4',
                passed=bool(agree['prob_diff_max'] <= GOAL_PROB)))
    return dict(benchmark='onnxruntime', device='cpu',
                machine=machine_info(), threads=threads,
                photo=photos['source'], notes=notes,
                export_max_diff=dict(seg=seg_diff, cls=cls_diff),
                runs=runs, seconds=seconds, peak_mib=memory,
                agreement=agree, rows=rows)


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    return run_benchmark(measure, parse_args, argv)


if __name__ == '__main__':
    main()
