"""A local web page to look at the lesion models' predictions (Gradio).

    python tools/demo.py --seg SEG.onnx [--cls CLS.onnx] \\
        [--cls ENS_multiclass.onnx ENS_melanoma.onnx \\
               ENS_seborrheic_keratosis.onnx] [--port 7860]
    python tools/demo.py --seg SEG_CONFIG SEG.pth [--cls CLS_CONFIG CLS.pth]

``.onnx`` files (``tools/export_onnx.py``) run with ONNX Runtime, a config
and a checkpoint with PyTorch. Serves on the loopback interface only
(127.0.0.1); the example images are the first few of
``../shared/isic_sample/images`` where that folder exists.
"""
import argparse
import os.path as osp

from isic_plugins.demo import LesionDemo, sample_examples

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
EXAMPLES = osp.join(REPO, '..', 'shared', 'isic_sample', 'images')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seg', nargs='+', required=True,
                        metavar='FILE', help='SEG.onnx, or CONFIG CHECKPOINT')
    parser.add_argument('--cls', nargs='+', action='append', default=[],
                        metavar='FILE',
                        help='a classifier: CLS.onnx, the three member '
                        '.onnx files of an ensemble, or CONFIG CHECKPOINT '
                        '(repeat for several)')
    parser.add_argument('--port', type=int, default=7860)
    parser.add_argument('--threads', type=int,
                        help='ONNX Runtime threads')
    parser.add_argument('--examples', default=EXAMPLES,
                        help='folder of example images (default '
                        '../shared/isic_sample/images, if present)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    demo = LesionDemo(args.seg, args.cls, threads=args.threads)
    page = demo.build(sample_examples(args.examples))
    page.queue(max_size=64).launch(
        server_name='127.0.0.1', server_port=args.port, share=False,
        show_error=True)


if __name__ == '__main__':
    main()
