"""An exported lesion model opened with ONNX Runtime, with its card."""
import os
import os.path as osp
from typing import Optional

import numpy as np

from .onnx_model_card import ModelFileError, ONNXModelCard


def _onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:
        raise ImportError(
            'the ONNX Runtime backend needs onnxruntime: pip install '
            "'isic_plugins[onnx]' (or pip install onnxruntime)") from exc
    return onnxruntime


def _session(path: str, options=None):
    """An ONNX Runtime CPU session of ``path``; a file that is missing or
    that ONNX Runtime cannot load is refused, naming it."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such ONNX model file')
    ort = _onnxruntime()
    try:
        return ort.InferenceSession(path, sess_options=options,
                                    providers=['CPUExecutionProvider'])
    except Exception as exc:  # noqa: BLE001  (ORT raises its own types)
        raise ModelFileError(
            f'{path}: not an ONNX model that ONNX Runtime can load '
            f'({type(exc).__name__}: {str(exc)[:200]})') from exc


class ORTModel:
    """An ``.onnx`` file of ``tools/export_onnx.py``, ready to run.

    Args:
        path (str): The file.
        kind (str): The kind of model the caller needs ('segmenter' or
            'classifier'): a file of the other kind is refused, naming both.
        threads (int, optional): ONNX Runtime's intra-op threads; None:
            ``OMP_NUM_THREADS`` if set, else ONNX Runtime's default (one
            per physical core).

    Raises:
        FileNotFoundError: No such file.
        ModelFileError: Not an ONNX model, no model card, or the wrong
            kind.
    """

    def __init__(self, path: str, kind: str,
                 threads: Optional[int] = None) -> None:
        options = _onnxruntime().SessionOptions()
        if threads is None and os.environ.get('OMP_NUM_THREADS', '').isdigit():
            threads = int(os.environ['OMP_NUM_THREADS'])
        if threads:
            options.intra_op_num_threads = int(threads)
            options.inter_op_num_threads = 1
        self.session = _session(path, options)
        meta = self.session.get_modelmeta().custom_metadata_map
        self.card = ONNXModelCard.from_metadata(meta, path)
        if self.card.kind != kind:
            raise ModelFileError(
                f'{path} holds a {self.card.describe()}, but a {kind} is '
                'needed here')
        self.path = path
        self.input_name = self.session.get_inputs()[0].name

    @staticmethod
    def read_card(path: str) -> ONNXModelCard:
        """The model card of an ``.onnx`` file, whatever its kind."""
        return ONNXModelCard.from_metadata(
            _session(path).get_modelmeta().custom_metadata_map, path)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """The graph's output for a normalised ``N x 3 x H x W`` batch."""
        return self.session.run(None, {self.input_name: batch})[0]

    def normalise(self, image: np.ndarray) -> np.ndarray:
        """``3 x H x W`` float32 network input of an ``H x W x 3`` BGR uint8
        image: channel order, then ``(x - mean) / std``, the operations of
        mmseg's and mmpretrain's data preprocessors in their order."""
        chw = image.transpose(2, 0, 1)
        if self.card.channel_order == 'rgb':
            chw = chw[::-1]
        mean = np.asarray(self.card.mean, np.float32).reshape(3, 1, 1)
        std = np.asarray(self.card.std, np.float32).reshape(3, 1, 1)
        return (chw.astype(np.float32) - mean) / std
