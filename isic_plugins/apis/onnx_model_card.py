"""What an exported ``.onnx`` lesion model needs besides its graph.

``tools/export_onnx.py`` writes an :class:`ONNXModelCard` into the file's
``metadata_props`` (one JSON string under :data:`CARD_KEY`, the opset and
the normalisation also under their own keys for other ONNX tools), and the
ONNX Runtime backend reads it back: the file is then all that a prediction
needs, without the config or the OpenMMLab stack.

This module imports nothing beyond the standard library.
"""
import dataclasses
import json
from typing import Any, Dict, List, Optional

#: The ``metadata_props`` key holding the card as JSON.
CARD_KEY = 'isic_plugins.model_card'
#: Version of the card's layout; a reader refuses a newer one.
CARD_VERSION = 1
KINDS = ('segmenter', 'classifier')
#: What a classifier's scores mean, as in ``ISIC2017ClassificationDataset``.
TASKS = ('multiclass', 'melanoma', 'seborrheic_keratosis')


class ModelFileError(ValueError):
    """An ``.onnx`` file that cannot serve as the lesion model asked for."""


@dataclasses.dataclass
class ONNXModelCard:
    """Preprocessing, post-processing and provenance of an exported model.

    The graph takes ``N x 3 x H x W`` float32 images already normalised as
    ``(x - mean) / std`` in ``channel_order`` and returns logits
    (segmenter: ``N x C x H x W`` at the input's size; classifier:
    ``N x C``).

    Args:
        kind (str): 'segmenter' or 'classifier'.
        mean (list[float]): Per-channel mean, in ``channel_order``.
        std (list[float]): Per-channel standard deviation.
        channel_order (str): 'rgb' or 'bgr': the graph's input channels.
        color_type (str): How the test pipeline decodes a file
            (``LoadImageFromFile``'s ``color_type``: 'color' applies the
            EXIF orientation, 'color_ignore_orientation' does not).
        opset (int): ONNX opset of the graph.
        classes (list[str]): Class names, in output order.
        source_config (str): The config the model was built from.
        source_checkpoint (str): The checkpoint its weights came from.
        model_digest (str): SHA-256 of the config's ``model`` section
            (:func:`isic_plugins.deploy.onnx_exporter.model_digest`): which
            model this is, to refuse a file given with another config.
        weights_digest (str): SHA-256 of the exported weights.
        size_divisor (int): Segmenter: inputs padded (bottom, right) to a
            multiple of this. Defaults to 1.
        pad_size (list[int], optional): Segmenter: inputs padded to at
            least ``(h, w)`` instead (``SegDataPreProcessor(size=...)``).
        pad_val (float): Padding value, after normalisation. Defaults to 0.
        align_corners (bool): Segmenter: the logits' bilinear resizes.
            Defaults to False.
        test_scale (list[int], optional): Segmenter: the test pipeline's
            ``Resize`` scale (w, h) for a single view; None: the image as
            it is.
        test_keep_ratio (bool): That ``Resize``'s ``keep_ratio``.
            Defaults to True.
        tta (dict, optional): Segmenter: ``ISICSegTTAModel``'s ``scales``,
            ``flips``, ``weights``, ``chunk_size``, ``merge`` and
            ``threshold``; None where the config has no ``tta_model``.
        resize_edge (dict, optional): Classifier: ``ResizeEdge``'s
            ``scale`` and ``edge``.
        center_crop (list[int], optional): Classifier: ``CenterCrop``'s
            ``(width, height)``.
        lesion_crop (dict, optional): Classifier: ``LesionCrop``'s
            ``margin`` and ``min_fraction``; None for whole images.
        task (str): Classifier: 'multiclass' or the binary task.
            Defaults to 'multiclass'.
        ensemble (dict, optional): Classifier, member of an
            ``ISICEnsembleClassifier``: ``member``, ``multiclass_weight``,
            ``binary_weight`` and ``ensemble_digest`` (the members of one
            ensemble share it).
        version (int): Card layout version. Defaults to
            :data:`CARD_VERSION`.
    """

    kind: str
    mean: List[float]
    std: List[float]
    channel_order: str
    color_type: str
    opset: int
    classes: List[str]
    source_config: str
    source_checkpoint: str
    model_digest: str
    weights_digest: str
    size_divisor: int = 1
    pad_size: Optional[List[int]] = None
    pad_val: float = 0.0
    align_corners: bool = False
    test_scale: Optional[List[int]] = None
    test_keep_ratio: bool = True
    tta: Optional[Dict[str, Any]] = None
    resize_edge: Optional[Dict[str, Any]] = None
    center_crop: Optional[List[int]] = None
    lesion_crop: Optional[Dict[str, Any]] = None
    task: str = 'multiclass'
    ensemble: Optional[Dict[str, Any]] = None
    version: int = CARD_VERSION

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ModelFileError(f'unknown model kind {self.kind!r}; '
                                 f'expected one of {KINDS}')
        if self.task not in TASKS:
            raise ModelFileError(f'unknown task {self.task!r}; expected '
                                 f'one of {TASKS}')

    def metadata(self) -> Dict[str, str]:
        """``metadata_props`` entries: the card, and the opset and the
        normalisation under keys of their own."""
        return {
            CARD_KEY: json.dumps(dataclasses.asdict(self), sort_keys=True),
            'opset': str(self.opset),
            'normalization': json.dumps(dict(
                mean=self.mean, std=self.std,
                channel_order=self.channel_order)),
            'model_kind': self.kind,
            'class_names': json.dumps(self.classes),
        }

    @classmethod
    def from_metadata(cls, metadata: Dict[str, str],
                      path: str) -> 'ONNXModelCard':
        """The card of a file's ``metadata_props``.

        Args:
            metadata (dict[str, str]): The file's metadata.
            path (str): The file, for messages.

        Raises:
            ModelFileError: The file has no card (not exported by
                ``tools/export_onnx.py``), or one this version cannot read.
        """
        if CARD_KEY not in metadata:
            raise ModelFileError(
                f'{path}: this ONNX file has no isic_plugins model card '
                f'(metadata key {CARD_KEY!r}), so its preprocessing is '
                'unknown; export the model with tools/export_onnx.py '
                'CONFIG CHECKPOINT OUT.onnx')
        try:
            fields = json.loads(metadata[CARD_KEY])
        except ValueError as exc:
            raise ModelFileError(f'{path}: unreadable model card: '
                                 f'{exc}') from exc
        if fields.get('version', 0) > CARD_VERSION:
            raise ModelFileError(
                f'{path}: model card version {fields.get("version")} is '
                f'newer than this isic_plugins reads ({CARD_VERSION}); '
                'update isic_plugins or export the model again')
        names = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in fields.items() if k in names})
        except TypeError as exc:
            raise ModelFileError(f'{path}: incomplete model card: '
                                 f'{exc}') from exc

    def describe(self) -> str:
        """One line naming what the file holds and where it came from."""
        what = self.kind if self.kind == 'segmenter' else \
            f'{self.task} classifier'
        if self.ensemble:
            what += f' (ensemble member {self.ensemble["member"]!r})'
        return (f'{what} exported from {self.source_config} with '
                f'{self.source_checkpoint}')
