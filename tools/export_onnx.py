"""Export a trained segmenter or classifier to ONNX, then check it.

    python tools/export_onnx.py CONFIG CHECKPOINT OUT.onnx [--opset 17]
        [--tolerance 1e-3]

Writes ``OUT.onnx`` (an ``ISICEnsembleClassifier`` config: one file per
member, ``OUT_<member>.onnx``) with the preprocessing, the TTA settings,
the class names and where the weights came from in its metadata, then runs
ONNX Runtime and PyTorch on the same inputs and prints the largest
difference; exits 1 if it is above the tolerance. The file is what
``tools/predict.py --backend onnxruntime`` and ``tools/demo.py`` take.
"""
import argparse
import sys

from isic_plugins.deploy import (
    DEFAULT_OPSET,
    DEFAULT_TOLERANCE,
    ExportError,
    ONNXExporter,
)
from isic_plugins.utils import CheckpointMismatchError


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('out', help='output .onnx file')
    parser.add_argument('--opset', type=int, default=DEFAULT_OPSET)
    parser.add_argument('--tolerance', type=float, default=DEFAULT_TOLERANCE,
                        help='largest ONNX Runtime - PyTorch difference '
                        f'accepted (default {DEFAULT_TOLERANCE:g})')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if not args.out.endswith('.onnx'):
        raise SystemExit(f'error: {args.out}: the output must end in .onnx')
    try:
        exporter = ONNXExporter(args.config, args.checkpoint, args.opset)
        paths = exporter.export(args.out)
        diffs = exporter.check(paths, args.out, args.tolerance)
    except (ExportError, CheckpointMismatchError, FileNotFoundError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    cards = {path: card for path, (_, card) in exporter.graphs(
        args.out).items()}
    for path, diff in diffs.items():
        card = cards[path]
        print(f'{path}: {card.describe()}; opset {card.opset}; largest '
              f'ONNX Runtime - PyTorch difference {diff:.2g} (tolerance '
              f'{args.tolerance:g})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
