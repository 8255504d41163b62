"""Multi-scale + four-flip test-time augmentation (MResNet-Seg, Bi et al.)."""
import math
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import mmcv
import numpy as np
import torch
from mmengine.model import BaseTTAModel
from mmengine.structures import PixelData
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch import Tensor

from ...seg_tta_views import FLIP_AXES, FLIPS, MERGES, view_chunks
from ...seg_tta_views import working_size as tta_working_size
from .largest_component import largest_component

#: Tensor dims (of an N x C x H x W batch) each flip reverses.
FLIP_DIMS: Dict[str, Tuple[int, ...]] = {
    flip: tuple(axis + 2 for axis in axes)
    for flip, axes in FLIP_AXES.items()
}


@MODELS.register_module()
class ISICSegTTAModel(BaseTTAModel):
    """Average class probabilities over scales x flips, output at original
    size.

    Bi et al. "resize the image into a number of scales; on each scale, flip
    left-right, upside-down and both; integrate the multi-scale outputs".
    For each image and each (scale, flip) view the network's logits are
    un-flipped, resized (bilinear, as mmseg's own post-processing does),
    turned into probabilities (softmax) and averaged with optional weights;
    the prediction is the arg-max of the average, at the ORIGINAL image
    size. Where the views are averaged is ``merge``:

    - ``'working'`` (default): at the largest view's size (the network's
      working resolution); the average is then resized to the original size
      ONCE, through its log (:meth:`upsample_seg_logits`). On a 4288x2848 photo
      this costs one full-size resize instead of one per view, and its
      masks agree with ``'per_view'`` on more than 99.9% of the pixels
      (``benchmarks/bench_tta_fullres.py``).
    - ``'per_view'``: each view resized to the original size and averaged
      there: the exact merge, at one full-size resize and softmax per view.

    Where no view is smaller than the image the two are the same.

    The result is what an mmseg segmentor returns: ``pred_sem_seg`` (for
    two classes as uint8) and ``seg_logits``, here logits whose softmax is
    the averaged probabilities (their log, or for two classes resized to
    the original size ``[0, log-odds]``), or for a one-channel model the
    averaged lesion probability (mmseg's segmentors store the sigmoid there
    too).
    Probability maps are written by the metric
    (``ISICSegmentationMetric(prob_out=...)``), not by the model.

    Unlike mmseg's ``SegTTAModel``, which runs each view through the model
    on its own and cannot undo the diagonal ("both") flip, the flips of one
    scale go through the network as one batch (with the same scale of other
    images of the same size in the batch), ``chunk_size`` views at a time.

    The test pipeline must keep the original image (no ``Resize``): the
    scales are applied here with the same ``mmcv.imrescale`` call as mmseg's
    ``Resize(keep_ratio=True)``, so one scale and no flip reproduces plain
    inference exactly.

    Args:
        module (dict | nn.Module): The segmentor.
        scales (Sequence[tuple[int, int]]): ``Resize`` scales (keep ratio):
            the image is rescaled to fit each. They belong to the training
            resolution, so there is no default: a config's dataset piece
            defines them as ``tta_scales`` (``configs/_base_/datasets/``).
        flips (Sequence[str]): Views per scale, from 'none', 'horizontal'
            (left-right), 'vertical' (up-down), 'diagonal' (both).
            Defaults to all four.
        weights (Sequence[float], optional): One weight per scale.
            Defaults to equal weights.
        chunk_size (int): At most this many views per forward pass, to bound
            memory. Defaults to 8.
        merge (str): Where the views are averaged: ``'working'`` (at the
            largest view's size, then resized once) or ``'per_view'`` (each
            view at the original size; exact, slower). Defaults to
            ``'working'``.
        threshold (float): Two classes: a pixel is lesion where its averaged
            lesion probability exceeds this (0.5: the arg-max). A lower
            value trades specificity for sensitivity, e.g. where the pale
            rim of large lesions is lost. Defaults to 0.5.
        largest_component (bool): Two classes: keep only the largest
            connected lesion region of each mask (one lesion per image; the
            others a model marks on full frames are rulers, hairs, vignette
            corners). ``seg_logits`` stay as they are. Defaults to False.
        data_preprocessor (dict, optional): Unused (the segmentor's own
            preprocessor normalises the views). Defaults to None.
    """

    def __init__(self,
                 module,
                 scales: Sequence[Tuple[int, int]],
                 flips: Sequence[str] = FLIPS,
                 weights: Optional[Sequence[float]] = None,
                 chunk_size: int = 8,
                 merge: str = 'working',
                 threshold: float = 0.5,
                 largest_component: bool = False,
                 data_preprocessor: Optional[dict] = None) -> None:
        super().__init__(module=module, data_preprocessor=data_preprocessor)
        unknown = [f for f in flips if f not in FLIP_DIMS]
        if unknown:
            raise ValueError(f'unknown flips {unknown}; choose from '
                             f'{list(FLIP_DIMS)}')
        if merge not in MERGES:
            raise ValueError(f'unknown merge {merge!r}; choose from '
                             f'{list(MERGES)}')
        if not scales or not flips:
            raise ValueError('need at least one scale and one flip')
        if weights is not None and len(weights) != len(scales):
            raise ValueError(
                f'{len(weights)} weights for {len(scales)} scales')
        self.scales = [tuple(s) if isinstance(s, (list, tuple)) else s
                       for s in scales]
        self.flips = list(flips)
        self.weights = list(weights) if weights is not None else \
            [1.0] * len(self.scales)
        self.chunk_size = max(1, int(chunk_size))
        self.merge = merge
        if not 0.0 < threshold < 1.0:
            raise ValueError(f'threshold must be in (0, 1), got {threshold}')
        self.threshold = float(threshold)
        self.largest_component = bool(largest_component)
        # the lesion class wins where log p1 - log p0 > log(t / (1 - t))
        self._log_odds = math.log(threshold / (1.0 - threshold))

    # -- mmengine TestTimeAug path (views built by the pipeline) -------------
    def merge_preds(self, data_samples_list: List[List[SegDataSample]]
                    ) -> List[SegDataSample]:
        """Average probabilities of views made by a ``TestTimeAug`` pipeline.

        Only used when the test pipeline itself makes the views (mmseg's way);
        the model has then already undone each view's flip.
        """
        merged = []
        for views in data_samples_list:
            probs = sum(self._to_probs(v.seg_logits.data) for v in views) / \
                len(views)
            merged.append(self._finish(views[0], self._from_probs(probs)))
        return merged

    # -- batched path ------------------------------------------------------
    def test_step(self, data):
        """Predict a batch from a plain (non-augmenting) test pipeline."""
        if isinstance(data, (list, tuple)) or isinstance(
                data['inputs'][0], (list, tuple)):
            return super().test_step(data)  # views made by TestTimeAug
        images: List[Tensor] = data['inputs']
        samples: List[SegDataSample] = data['data_samples']
        groups: Dict[tuple, List[int]] = {}
        for i, img in enumerate(images):
            groups.setdefault(tuple(img.shape), []).append(i)
        results: List[Optional[SegDataSample]] = [None] * len(images)
        for indices in groups.values():
            scores, zero_first = self._predict([images[i] for i in indices])
            for i, score in zip(indices, scores):
                results[i] = self._finish(samples[i], score, zero_first)
        return results

    @torch.no_grad()
    def predict_seg_logits(self, images: List[Tensor]) -> Tensor:
        """``seg_logits`` of same-size images, at their size.

        With ``merge='working'`` the views are averaged at
        :meth:`working_size` and the average is brought to the images' size
        once (:meth:`upsample_seg_logits`); with ``merge='per_view'`` each
        view is resized to the images' size and averaged there.

        Args:
            images (list[Tensor]): ``C x H x W`` uint8 images (BGR, as
                loaded by ``LoadImageFromFile``), all the same size.

        Returns:
            Tensor: ``N x num_classes x H x W``: logits whose softmax is
            the averaged probabilities (their log; two classes brought to
            a larger size: ``[0, log-odds]``, :meth:`upsample_seg_logits`),
            or for a one-channel model the averaged lesion probability
            (what ``seg_logits`` holds).
        """
        return self._predict(images)[0]

    @torch.no_grad()
    def _predict(self, images: List[Tensor]) -> Tuple[Tensor, bool]:
        """:meth:`predict_seg_logits`, and whether its channel 0 is all
        zeros (two classes brought to the images' size: ``[0, log-odds]``),
        so that the mask needs channel 1 alone."""
        height, width = images[0].shape[1:]
        size = (height, width) if self.merge == 'per_view' else \
            self.working_size(height, width)
        probs = self._merge_views(images, size)
        if size == (height, width):
            return self._from_probs(probs), False
        return (self.upsample_seg_logits(probs, (height, width)),
                self.module.out_channels == 2)

    def predict_probs(self, images: List[Tensor]) -> Tensor:
        """Averaged class probabilities of same-size images, at their size.

        Args:
            images (list[Tensor]): As :meth:`predict_seg_logits`.

        Returns:
            Tensor: ``N x num_classes x H x W`` probabilities (one channel:
            the lesion probability).
        """
        return self._to_probs(self.predict_seg_logits(images))

    def working_size(self, height: int, width: int) -> Tuple[int, int]:
        """``(h, w)`` at which ``merge='working'`` averages the views.

        The largest view's size (the scales rescale the image as
        ``mmcv.imrescale`` does), or the image's own size where no view is
        smaller than the image (the merge is then the per-view one).
        """
        return tta_working_size(height, width, self.scales)

    def upsample_seg_logits(self, probs: Tensor,
                            size: Tuple[int, int]) -> Tensor:
        """``seg_logits`` at ``size`` of probabilities at a smaller size.

        The log-probabilities (for one channel, the log-odds) are resized
        bilinearly, as mmseg's post-processing resizes a segmentor's logits,
        and normalised again (``log_softmax``; one channel: ``sigmoid``).
        For one view this is exactly the per-view merge: the log-
        probabilities differ from the logits by a per-pixel shift, which
        the resize carries along and the normalisation removes.

        Two classes take a shortcut to the same result: only the log-odds
        ``d = log p1 - log p0`` is resized (resizing is linear, so it is the
        difference of the resized log-probabilities), with OpenCV where the
        segmentor does not align corners (its bilinear resize samples the
        same half-pixel grid as torch's), into the second channel of
        ``[0, d]``: logits whose softmax is that of the normalised two
        channels. One full-size channel instead of two and no full-size
        ``log_softmax``.

        Args:
            probs (Tensor): ``N x C x h x w`` probabilities.
            size (tuple[int, int]): ``(H, W)``.

        Returns:
            Tensor: ``N x C x H x W``, as :meth:`predict_seg_logits`.
        """
        align = self.module.align_corners
        if self.module.out_channels == 2:
            logp = self._from_probs(probs)
            odds = (logp[:, 1:] - logp[:, :1]).float()
            shape = (odds.shape[0], 2) + tuple(size)
            if odds.device.type == 'cpu':
                # calloc'd: a full-size block comes as fresh pages that read
                # as zero, so channel 0 costs nothing (~12 ms of page
                # faults and writes on a 4288x2848 photo saved) and channel
                # 1 is written whole below
                out = torch.from_numpy(np.zeros(shape, dtype=np.float32))
            else:
                out = odds.new_zeros(shape)
            for i in range(odds.shape[0]):
                if align or odds.device.type != 'cpu':
                    out[i, 1] = resize(odds[i:i + 1], size=size,
                                       mode='bilinear', align_corners=align,
                                       warning=False)[0, 0]
                else:  # written in place into the output
                    cv2.resize(odds[i, 0].numpy(), (size[1], size[0]),
                               dst=out[i, 1].numpy(),
                               interpolation=cv2.INTER_LINEAR)
            return out
        if self.module.out_channels > 1:
            logits = self._from_probs(probs)
        else:
            logits = torch.logit(probs, eps=torch.finfo(probs.dtype).eps)
        logits = resize(logits, size=size, mode='bilinear',
                        align_corners=align, warning=False)
        if self.module.out_channels > 1:
            return logits.log_softmax(dim=1)
        return logits.sigmoid()

    def _merge_views(self, images: List[Tensor],
                     size: Tuple[int, int]) -> Tensor:
        """Weighted average of the views' probabilities, each view's logits
        un-flipped and resized to ``size`` ``(h, w)``: ``N x C x h x w``."""
        seg = self.module
        # each colour plane on its own: the same pixels as rescaling the
        # H x W x C image (bilinear works per channel), without its ~0.1 s
        # transposed copy of a 4288x2848 photo
        planes = [img.cpu().numpy() for img in images]
        total = None
        for scale, weight in zip(self.scales, self.weights):
            scaled = [
                torch.from_numpy(
                    np.stack([
                        mmcv.imrescale(p, scale, interpolation='bilinear',
                                       backend='cv2') for p in chw
                    ])) for chw in planes
            ]
            for chunk in view_chunks(len(images), self.flips,
                                     self.chunk_size):
                batch = [
                    scaled[i].flip([d - 1 for d in FLIP_DIMS[f]])
                    if FLIP_DIMS[f] else scaled[i] for i, f in chunk
                ]
                logits = self._forward(batch)
                for k, (i, flip) in enumerate(chunk):
                    logit = logits[k:k + 1]
                    if FLIP_DIMS[flip]:
                        logit = logit.flip(FLIP_DIMS[flip])
                    if tuple(logit.shape[2:]) != tuple(size):
                        logit = resize(logit, size=size, mode='bilinear',
                                       align_corners=seg.align_corners,
                                       warning=False)
                    prob = self._network_probs(logit) * weight
                    if total is None:
                        total = torch.zeros(
                            (len(images), ) + tuple(prob.shape[1:]),
                            dtype=prob.dtype, device=prob.device)
                    total[i] += prob[0]
        return total / (sum(self.weights) * len(self.flips))

    def _forward(self, batch: List[Tensor]) -> Tensor:
        """Logits of same-size uint8 views, cropped to the views' size."""
        seg = self.module
        h, w = batch[0].shape[1:]
        samples = [SegDataSample() for _ in batch]
        data = seg.data_preprocessor(
            dict(inputs=batch, data_samples=samples), False)
        inputs = data['inputs']
        metas = [
            dict(img_shape=(h, w), ori_shape=(h, w),
                 pad_shape=tuple(inputs.shape[2:]),
                 padding_size=s.metainfo.get('padding_size', [0, 0, 0, 0]))
            for s in data['data_samples']
        ]
        logits = seg.inference(inputs, metas)
        left, right, top, bottom = metas[0]['padding_size']
        return logits[:, :, top:logits.shape[2] - bottom,
                      left:logits.shape[3] - right]

    def _network_probs(self, logits: Tensor) -> Tensor:
        """Probabilities of the network's raw ``N x C x H x W`` output."""
        if self.module.out_channels > 1:
            return logits.softmax(dim=1)
        return logits.sigmoid()

    def _to_probs(self, seg_logits: Tensor) -> Tensor:
        """Probabilities of ``seg_logits`` as a segmentor returns them.

        Args:
            seg_logits (Tensor): ``[N x] C x H x W``: logits over classes,
                or, for one channel, the sigmoid probability (mmseg applies
                the sigmoid in its post-processing).
        """
        if self.module.out_channels > 1:
            return seg_logits.softmax(dim=-3)
        return seg_logits

    def _from_probs(self, probs: Tensor) -> Tensor:
        """``seg_logits`` of probabilities (inverse of :meth:`_to_probs`):
        their log (softmax gives them back), or one channel as it is."""
        if self.module.out_channels > 1:
            return probs.clamp_min(torch.finfo(probs.dtype).tiny).log()
        return probs

    def _finish(self, sample: SegDataSample, seg_logits: Tensor,
                zero_first: bool = False) -> SegDataSample:
        """Attach ``seg_logits`` and their prediction, as a segmentor does.

        Args:
            sample (SegDataSample): Gets ``seg_logits`` and
                ``pred_sem_seg``.
            seg_logits (Tensor): ``C x H x W``, as
                :meth:`predict_seg_logits` returns them.
            zero_first (bool): Two channels whose first is all zeros
                (``[0, log-odds]``): the mask is read off the second alone.
        """
        if self.module.out_channels == 2:
            # the arg-max (ties to class 0), without torch's slow arg-max
            # over a leading dimension (~1.4 s on a 4288x2848 image), as
            # uint8 (a view of the comparison's bool): the int64 mask of a
            # 4288x2848 photo is 98 MB of fresh memory for 0s and 1s
            other = 0 if zero_first else seg_logits[:1]
            if self._log_odds:
                other = other + self._log_odds
            pred = (seg_logits[1:] > other).view(torch.uint8)
            if self.largest_component:
                pred = torch.from_numpy(largest_component(
                    pred[0].cpu().numpy()))[None].to(pred.device)
        elif self.module.out_channels > 2:
            pred = seg_logits.max(dim=0, keepdim=True).indices
        else:
            pred = (seg_logits >
                    self.module.decode_head.threshold).to(seg_logits)
        sample.set_data(dict(seg_logits=PixelData(data=seg_logits),
                             pred_sem_seg=PixelData(data=pred)))
        return sample
