"""Export a trained lesion segmenter or classifier to ONNX, and check it.

The graph holds the network alone: it takes ``N x 3 x H x W`` float32
images already normalised and returns logits at the input's size
(segmenter, dynamic batch, height and width) or the head's class
probabilities (classifier, dynamic batch). Everything around it, the test
pipeline, the data preprocessor and the TTA settings, is read from the
config and written into the file's model card
(:class:`~isic_plugins.apis.onnx_model_card.ONNXModelCard`), which the ONNX
Runtime backend follows. What the card cannot describe (a transform or a
model type it does not know) is refused at export, naming it, rather than
exported into a file that would predict something else.

Exported with the TorchScript exporter (``dynamo=False``): on this stack
it exports the models in seconds where ``torch.export`` takes minutes. The
EfficientNet-Lite package computes its TensorFlow "same" padding with
``math.ceil``, which that exporter freezes at the traced size; during the
export each such convolution computes the same padding with integer
arithmetic that stays symbolic (:class:`_TraceableSamePadding`).
:meth:`ONNXExporter.check` then compares ONNX Runtime with the PyTorch
model's own inference on inputs of other sizes than the traced one.
"""
import copy
import hashlib
import json
import os
import os.path as osp
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config, ConfigDict
from mmengine.runner import load_checkpoint

from ..apis.onnx_model_card import ONNXModelCard
from ..models.classifiers.isic_ensemble_classifier import MEMBERS
from ..utils.checkpoint_fit import (
    CheckpointMismatchError,
    check_checkpoint_fits,
)

#: Default ONNX opset: ONNX Runtime >= 1.14 runs it.
DEFAULT_OPSET = 17
#: Largest difference between ONNX Runtime and PyTorch that
#: :meth:`ONNXExporter.check` accepts (logits; probabilities of
#: classifiers).
DEFAULT_TOLERANCE = 1e-3
#: Test-pipeline transforms that change nothing the network sees.
_PASSIVE = ('LoadAnnotations', 'LoadISICAnnotations', 'PackSegInputs',
            'PackInputs')


class ExportError(ValueError):
    """A config or checkpoint that cannot be exported faithfully."""


def model_digest(model_cfg: dict) -> str:
    """SHA-256 of a config's ``model`` section, what identifies the model.

    Weight initialisation (``init_cfg``, ``weights``, ``pretrained``) is
    left out: it does not change a trained model.
    """
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in sorted(value.items())
                    if k not in ('init_cfg', 'weights', 'pretrained')}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value
    text = json.dumps(strip(ConfigDict(model_cfg).to_dict()),
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def weights_digest(module: nn.Module) -> str:
    """SHA-256 of a module's state dict (names, shapes and values)."""
    sha = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        sha.update(name.encode())
        sha.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return sha.hexdigest()


class _TraceableSamePadding(nn.Conv2d):
    """EfficientNet-Lite's ``Conv2dDynamicSamePadding`` with the same
    padding computed by integer arithmetic (``ceil(i / s)`` as ``(i + s -
    1) // s``), which the TorchScript exporter keeps symbolic."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ih, iw = x.shape[-2:]
        kh, kw = self.weight.shape[-2:]
        (sh, sw), (dh, dw) = self.stride, self.dilation
        ph = ((ih + sh - 1) // sh - 1) * sh + (kh - 1) * dh + 1 - ih
        pw = ((iw + sw - 1) // sw - 1) * sw + (kw - 1) * dw + 1 - iw
        x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)


def _traceable(module: nn.Module) -> List[Tuple[nn.Module, type]]:
    """Switch every dynamic-same-padding convolution of ``module`` to
    :class:`_TraceableSamePadding`; the switched modules and their
    classes, to switch back."""
    switched = []
    for sub in module.modules():
        if type(sub).__name__ == 'Conv2dDynamicSamePadding':
            switched.append((sub, type(sub)))
            sub.__class__ = _TraceableSamePadding
    return switched


class _SegmenterGraph(nn.Module):
    """An mmseg ``EncoderDecoder``'s ``encode_decode``: logits resized to
    the (padded) input size, as ``decode_head.predict`` does."""

    def __init__(self, segmentor: nn.Module) -> None:
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        seg = self.segmentor
        logits = seg.decode_head.forward(seg.extract_feat(inputs))
        return F.interpolate(logits, size=inputs.shape[2:], mode='bilinear',
                             align_corners=seg.decode_head.align_corners)


class _ClassifierGraph(nn.Module):
    """An mmpretrain ``ImageClassifier``'s ``predict`` scores: the head's
    logits and its softmax (``ClsHead._get_predictions``)."""

    def __init__(self, classifier: nn.Module) -> None:
        super().__init__()
        self.classifier = classifier

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        model = self.classifier
        return F.softmax(model.head(model.extract_feat(inputs)), dim=1)


class ONNXExporter:
    """Export the model of a config and a checkpoint to ONNX.

    Example::

        exporter = ONNXExporter('configs/realdata/seg_...py', 'epoch_4.pth')
        paths = exporter.export('lite0_seg.onnx')
        exporter.check(paths)    # largest difference to PyTorch, per file

    An ensemble (``ISICEnsembleClassifier``) becomes one file per member,
    ``OUT_<member>.onnx``, whose cards name the ensemble's weights.

    Args:
        config (str): The model's config.
        checkpoint (str): Its trained weights.
        opset (int): ONNX opset. Defaults to :data:`DEFAULT_OPSET`.

    Raises:
        ExportError: A pipeline, preprocessor or model the ONNX Runtime
            backend cannot reproduce.
        isic_plugins.utils.CheckpointMismatchError: The checkpoint does not
            fit the config's model (the message names both).
    """

    def __init__(self, config: str, checkpoint: str,
                 opset: int = DEFAULT_OPSET) -> None:
        import isic_plugins  # noqa: F401  (registers the plugins)
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint!r} not found')
        self.config, self.checkpoint, self.opset = config, checkpoint, opset
        self.cfg = Config.fromfile(config)
        scope = self.cfg.get('default_scope', 'mmseg')
        self.kind = 'segmenter' if scope == 'mmseg' else 'classifier'
        self.model = self._build()

    # -- building -----------------------------------------------------------
    def _build(self) -> nn.Module:
        from mmengine.registry import init_default_scope
        cfg = self.cfg
        init_default_scope(cfg.get('default_scope', 'mmseg'))
        model_cfg = copy.deepcopy(cfg.model)
        if cfg.get('data_preprocessor') is not None:
            model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
        if model_cfg.get('type') != 'ISICEnsembleClassifier':
            backbone = model_cfg.get('backbone', {})
            backbone.pop('init_cfg', None)
            if 'weights' in backbone:
                backbone['weights'] = None  # the checkpoint has them all
        if self.kind == 'segmenter':
            from mmseg.registry import MODELS
        else:
            from mmpretrain.registry import MODELS
        model = MODELS.build(model_cfg)
        try:
            # every parameter from the checkpoint: none left random
            check_checkpoint_fits(model, self.checkpoint,
                                  require_all_keys=True)
        except CheckpointMismatchError as exc:
            raise CheckpointMismatchError(
                f'{self.checkpoint} is not a checkpoint of {self.config}: '
                f'{exc}') from None
        load_checkpoint(model, self.checkpoint, map_location='cpu',
                        logger='silent')
        return model.eval()

    # -- cards --------------------------------------------------------------
    def _base_card(self, module: nn.Module, preprocessor: nn.Module,
                   **fields) -> ONNXModelCard:
        mean = preprocessor.mean.flatten().tolist()
        std = preprocessor.std.flatten().tolist()
        to_rgb = bool(getattr(preprocessor, 'channel_conversion', False)
                      or getattr(preprocessor, 'to_rgb', False))
        return ONNXModelCard(
            opset=self.opset, mean=mean, std=std,
            channel_order='rgb' if to_rgb else 'bgr',
            source_config=self.config, source_checkpoint=self.checkpoint,
            model_digest=model_digest(self.cfg.model),
            weights_digest=weights_digest(module), **fields)

    @staticmethod
    def _color_type(pipeline: Sequence[dict], where: str) -> str:
        load = [t for t in pipeline if t['type'] == 'LoadImageFromFile']
        if not load:
            raise ExportError(f'{where} has no LoadImageFromFile')
        return load[0].get('color_type', 'color')

    def _segmenter_card(self) -> ONNXModelCard:
        cfg, seg = self.cfg, self.model
        if type(seg).__name__ != 'EncoderDecoder':
            raise ExportError(
                f'{self.config}: {type(seg).__name__} models are not '
                'exported; the ONNX Runtime backend runs EncoderDecoder '
                'segmenters')
        head = seg.decode_head
        if seg.out_channels != 2:
            raise ExportError(
                f'{self.config}: {seg.out_channels} output channels; the '
                'ONNX Runtime backend runs two-class (skin, lesion) models')
        if head.align_corners:
            raise ExportError(
                f'{self.config}: align_corners=True resizes are not '
                'reproduced by the ONNX Runtime backend (OpenCV)')
        if cfg.model.get('test_cfg', {}).get('mode', 'whole') != 'whole':
            raise ExportError(f'{self.config}: only whole-image inference '
                              "(test_cfg.mode='whole') is exported")
        pipeline = cfg.test_dataloader.dataset.pipeline
        where = f'{self.config} test pipeline'
        test_scale, keep_ratio = None, True
        for t in pipeline:
            if t['type'] == 'Resize':
                test_scale = list(t['scale'])
                keep_ratio = t.get('keep_ratio', False)
            elif t['type'] not in _PASSIVE + ('LoadImageFromFile', ):
                raise ExportError(f'{where}: {t["type"]} is not reproduced '
                                  'by the ONNX Runtime backend')
        tta = None
        if cfg.get('tta_model') is not None:
            tta_cfg = cfg.tta_model
            if tta_cfg.get('type') != 'ISICSegTTAModel':
                raise ExportError(f'{self.config}: tta_model '
                                  f'{tta_cfg.get("type")} is not exported '
                                  '(ISICSegTTAModel is)')
            from mmseg.registry import MODELS
            built = MODELS.build(dict(copy.deepcopy(tta_cfg), module=seg))
            for t in cfg.get('tta_pipeline', pipeline):
                if t['type'] not in _PASSIVE + ('LoadImageFromFile', ):
                    raise ExportError(
                        f'{self.config} tta_pipeline: {t["type"]} is not '
                        'reproduced by the ONNX Runtime backend')
            tta = dict(scales=[list(s) for s in built.scales],
                       flips=list(built.flips), weights=list(built.weights),
                       chunk_size=built.chunk_size, merge=built.merge,
                       threshold=built.threshold)
        pre = seg.data_preprocessor
        test_cfg = pre.test_cfg or {}
        return self._base_card(
            seg, pre, kind='segmenter',
            color_type=self._color_type(pipeline, where),
            classes=list(self._classes()),
            size_divisor=int(test_cfg.get('size_divisor') or 1),
            pad_size=list(test_cfg['size']) if test_cfg.get('size') else
            None,
            pad_val=float(pre.pad_val), align_corners=False,
            test_scale=test_scale, test_keep_ratio=bool(keep_ratio),
            tta=tta)

    def _classes(self) -> Sequence[str]:
        dataset = self.cfg.test_dataloader.dataset
        if self.kind == 'segmenter':
            return ('skin', 'lesion')
        task = dataset.get('task', 'multiclass')
        return ('melanoma', 'seborrheic_keratosis', 'nevus') \
            if task == 'multiclass' else ('other', task)

    def _classifier_card(self, member: nn.Module,
                         ensemble: Optional[dict]) -> ONNXModelCard:
        dataset = self.cfg.test_dataloader.dataset
        where = f'{self.config} test pipeline'
        resize, crop, lesion = None, None, None
        for t in dataset.pipeline:
            if t['type'] == 'ResizeEdge':
                if t.get('interpolation', 'bilinear') != 'bilinear' or \
                        t.get('backend', 'cv2') != 'cv2':
                    raise ExportError(f'{where}: ResizeEdge must be cv2 '
                                      'bilinear')
                resize = dict(scale=int(t['scale']),
                              edge=t.get('edge', 'short'))
            elif t['type'] == 'CenterCrop':
                size = t['crop_size']
                crop = [size, size] if isinstance(size, int) else list(size)
                if t.get('auto_pad', False):
                    raise ExportError(f'{where}: CenterCrop(auto_pad=True) '
                                      'is not reproduced')
            elif t['type'] == 'LesionCrop':
                lesion = dict(margin=float(t.get('margin', 0.1)),
                              min_fraction=float(t.get('min_fraction',
                                                       0.001)))
            elif t['type'] not in _PASSIVE + ('LoadImageFromFile', ):
                raise ExportError(f'{where}: {t["type"]} is not reproduced '
                                  'by the ONNX Runtime backend')
        if ensemble:
            task = ensemble['member']
            classes = ('melanoma', 'seborrheic_keratosis', 'nevus') \
                if task == 'multiclass' else ('other', task)
        else:
            task = dataset.get('task', 'multiclass')
            classes = self._classes()
        return self._base_card(
            member, self.model.data_preprocessor, kind='classifier',
            color_type=self._color_type(dataset.pipeline, where),
            classes=list(classes), task=task, resize_edge=resize,
            center_crop=crop, lesion_crop=lesion, ensemble=ensemble)

    # -- export -------------------------------------------------------------
    def graphs(self, out: str) -> Dict[str, Tuple[nn.Module, ONNXModelCard]]:
        """What :meth:`export` writes: ``{path: (graph module, card)}``."""
        if self.kind == 'segmenter':
            return {out: (_SegmenterGraph(self.model),
                          self._segmenter_card())}
        if type(self.model).__name__ != 'ISICEnsembleClassifier':
            return {out: (_ClassifierGraph(self.model),
                          self._classifier_card(self.model, None))}
        stem = out[:-5] if out.endswith('.onnx') else out
        digest = weights_digest(self.model)
        files = {}
        for name in MEMBERS:
            member = getattr(self.model, name)
            ensemble = dict(member=name,
                            multiclass_weight=self.model.multiclass_weight,
                            binary_weight=self.model.binary_weight,
                            ensemble_digest=digest)
            files[f'{stem}_{name}.onnx'] = (
                _ClassifierGraph(member),
                self._classifier_card(member, ensemble))
        return files

    def example_input(self, card: ONNXModelCard,
                      batch: int = 1) -> torch.Tensor:
        """A normalised input of the size the model works at."""
        if card.kind == 'classifier':
            w, h = card.center_crop or [224, 224]
            return torch.randn(batch, 3, h, w)
        if card.pad_size:
            h, w = card.pad_size
        else:
            side = min(card.test_scale) if card.test_scale else 256
            div = max(card.size_divisor, 32)
            h = -(-side // div) * div
            w = -(-(side * 4 // 3) // div) * div
        return torch.randn(batch, 3, h, w)

    def export(self, out: str) -> List[str]:
        """Write the ``.onnx`` file(s), each with its model card.

        Args:
            out (str): Output file (``.onnx``); an ensemble writes
                ``<out without .onnx>_<member>.onnx``.

        Returns:
            list[str]: The files written.
        """
        import onnx
        written = []
        for path, (graph, card) in self.graphs(out).items():
            graph.eval()
            dynamic = {0: 'batch'}
            if card.kind == 'segmenter':
                dynamic = {0: 'batch', 2: 'height', 3: 'width'}
            switched = _traceable(graph)
            try:
                with torch.no_grad(), warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    tmp = f'{path}.tmp{os.getpid()}'
                    torch.onnx.export(
                        graph, (self.example_input(card), ), tmp,
                        input_names=['input'],
                        output_names=['logits' if card.kind == 'segmenter'
                                      else 'scores'],
                        dynamic_axes=dict(input=dynamic,
                                          **{('logits' if card.kind ==
                                              'segmenter' else 'scores'):
                                             dynamic}),
                        opset_version=self.opset, dynamo=False)
            finally:
                for module, cls in switched:
                    module.__class__ = cls
            model = onnx.load(tmp)
            for key, value in card.metadata().items():
                entry = model.metadata_props.add()
                entry.key, entry.value = key, value
            model.producer_name = 'isic_plugins'
            onnx.save(model, tmp)
            os.replace(tmp, path)
            written.append(path)
        return written

    # -- check --------------------------------------------------------------
    def check(self, paths: Sequence[str], out: Optional[str] = None,
              tolerance: float = DEFAULT_TOLERANCE) -> Dict[str, float]:
        """Largest absolute difference between ONNX Runtime and PyTorch.

        Each file runs on inputs of two sizes (and batch sizes) other than
        the traced one, beside the PyTorch model's own inference
        (``EncoderDecoder.inference``; ``predict``'s scores).

        Args:
            paths (list[str]): Files :meth:`export` wrote.
            out (str, optional): The ``out`` given to :meth:`export`
                (finds each file's graph). Defaults to ``paths[0]``.
            tolerance (float): Largest difference accepted. Defaults to
                :data:`DEFAULT_TOLERANCE`.

        Returns:
            dict[str, float]: File -> largest difference.

        Raises:
            ExportError: A difference above ``tolerance``.
        """
        import onnxruntime as ort
        graphs = self.graphs(out or paths[0])
        diffs = {}
        for path in paths:
            graph, card = graphs[path]
            session = ort.InferenceSession(
                path, providers=['CPUExecutionProvider'])
            worst = 0.0
            # other sizes than the traced one, odd ones among them (an
            # image rescaled to 337x224 is not padded without a divisor)
            for batch, grow in ((2, (32, 64)), (3, (17, 45))):
                x = self.example_input(card, batch)
                if card.kind == 'segmenter' and not card.pad_size:
                    x = torch.randn(batch, 3, x.shape[2] + grow[0],
                                    x.shape[3] + grow[1])
                expected = self._reference(graph, card, x)
                got = session.run(None, {'input': x.numpy()})[0]
                if got.shape != expected.shape:
                    raise ExportError(
                        f'{path}: ONNX output {got.shape} for input '
                        f'{tuple(x.shape)}, PyTorch {expected.shape}')
                worst = max(worst, float(np.abs(got - expected).max()))
            diffs[path] = worst
            if not worst <= tolerance:
                raise ExportError(
                    f'{path}: ONNX Runtime and PyTorch differ by up to '
                    f'{worst:.3g} (tolerance {tolerance:g}); the export of '
                    f'{self.config} is not faithful')
        return diffs

    @torch.no_grad()
    def _reference(self, graph: nn.Module, card: ONNXModelCard,
                   x: torch.Tensor) -> np.ndarray:
        """What the PyTorch model computes for the normalised batch ``x``."""
        if card.kind == 'segmenter':
            h, w = x.shape[2:]
            metas = [dict(img_shape=(h, w), ori_shape=(h, w),
                          pad_shape=(h, w), padding_size=[0, 0, 0, 0])
                     for _ in range(x.shape[0])]
            return self.model.inference(x, metas).numpy()
        samples = graph.classifier.predict(x)
        return torch.stack([s.pred_score for s in samples]).numpy()

