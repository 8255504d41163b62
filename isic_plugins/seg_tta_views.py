"""The views of the segmentation TTA (scales x flips): the one place that
defines them.

:class:`~isic_plugins.models.segmentors.ISICSegTTAModel` (PyTorch) and
:class:`~isic_plugins.apis.ORTLesionSegmenter` (ONNX Runtime) both read
their flips, the size each scale rescales an image to, the size where the
views are averaged and the order in which the views go through the
network from here. This module imports neither torch nor the OpenMMLab
stack, so that the ONNX Runtime path can use it in a light install.
"""
from typing import Dict, Iterator, List, Sequence, Tuple

#: The flips of each scale, in the order the views are made.
FLIPS: Tuple[str, ...] = ('none', 'horizontal', 'vertical', 'diagonal')

#: Axes of an ``H x W`` map (or an ``H x W x C`` image) each flip reverses;
#: a tensor's dims are these plus its leading dims.
FLIP_AXES: Dict[str, Tuple[int, ...]] = {
    'none': (),
    'horizontal': (1, ),
    'vertical': (0, ),
    'diagonal': (0, 1),
}

#: Where the views are averaged: at the largest view's size, or each view
#: at the image's size.
MERGES: Tuple[str, ...] = ('working', 'per_view')


def rescale_size(width: int, height: int,
                 scale: Sequence[int]) -> Tuple[int, int]:
    """``(w, h)`` of an image rescaled to fit ``scale`` keeping its ratio,
    as ``mmcv.rescale_size`` (and mmseg's ``Resize(keep_ratio=True)``):
    longer side <= max(scale), shorter side <= min(scale)."""
    factor = min(max(scale) / max(height, width),
                 min(scale) / min(height, width))
    return int(width * float(factor) + 0.5), int(height * float(factor) + 0.5)


def working_size(height: int, width: int, scales: Sequence[Sequence[int]],
                 merge: str = 'working') -> Tuple[int, int]:
    """``(h, w)`` at which the views of an ``height x width`` image are
    averaged.

    Args:
        height (int): The image's height.
        width (int): The image's width.
        scales (Sequence[Sequence[int]]): The TTA scales.
        merge (str): ``'working'``: the largest view's size, or the image's
            own where no view is smaller than the image; ``'per_view'``:
            the image's size. Defaults to 'working'.

    Returns:
        tuple[int, int]: ``(h, w)``.
    """
    if merge == 'per_view':
        return height, width
    sizes = [rescale_size(width, height, s) for s in scales]
    w, h = max(sizes, key=lambda s: s[0] * s[1])
    if w * h >= width * height:
        return height, width
    return h, w


def view_chunks(num_images: int, flips: Sequence[str],
                chunk_size: int) -> Iterator[List[Tuple[int, str]]]:
    """The ``(image index, flip)`` views of one scale, ``chunk_size`` at a
    time: each chunk is one batch through the network.

    Args:
        num_images (int): Same-size images rescaled to the scale.
        flips (Sequence[str]): The flips, from :data:`FLIPS`.
        chunk_size (int): At most this many views per batch.

    Yields:
        list[tuple[int, str]]: The views of one batch.
    """
    views = [(i, f) for i in range(num_images) for f in flips]
    step = max(1, int(chunk_size))
    for start in range(0, len(views), step):
        yield views[start:start + step]
