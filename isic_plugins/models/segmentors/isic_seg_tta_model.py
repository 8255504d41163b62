"""Multi-scale + four-flip test-time augmentation (MResNet-Seg, Bi et al.)."""
from typing import Dict, List, Optional, Sequence, Tuple

import mmcv
import numpy as np
import torch
from mmengine.model import BaseTTAModel
from mmengine.structures import PixelData
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch import Tensor

#: Tensor dims (of an N x C x H x W batch) each flip reverses.
FLIP_DIMS: Dict[str, Tuple[int, ...]] = {
    'none': (),
    'horizontal': (3, ),
    'vertical': (2, ),
    'diagonal': (2, 3),
}


@MODELS.register_module()
class ISICSegTTAModel(BaseTTAModel):
    """Average class probabilities over scales x flips at original size.

    Bi et al. "resize the image into a number of scales; on each scale, flip
    left-right, upside-down and both; integrate the multi-scale outputs".
    For each image and each (scale, flip) view the network's logits are
    un-flipped, resized back to the ORIGINAL image size (bilinear, as mmseg's
    own post-processing does), turned into probabilities (softmax) and
    averaged with optional weights; the prediction is the arg-max of the
    average.

    The result is what an mmseg segmentor returns: ``pred_sem_seg`` and
    ``seg_logits``, here the log of the averaged probabilities (logits whose
    softmax is that average), or for a one-channel model the averaged
    lesion probability (mmseg's segmentors store the sigmoid there too).
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
            the image is rescaled to fit each. Defaults to three scales
            around the 500 px training size.
        flips (Sequence[str]): Views per scale, from 'none', 'horizontal'
            (left-right), 'vertical' (up-down), 'diagonal' (both).
            Defaults to all four.
        weights (Sequence[float], optional): One weight per scale.
            Defaults to equal weights.
        chunk_size (int): At most this many views per forward pass, to bound
            memory. Defaults to 8.
        data_preprocessor (dict, optional): Unused (the segmentor's own
            preprocessor normalises the views). Defaults to None.
    """

    def __init__(self,
                 module,
                 scales: Sequence[Tuple[int, int]] = ((400, 400), (500, 500),
                                                      (600, 600)),
                 flips: Sequence[str] = ('none', 'horizontal', 'vertical',
                                         'diagonal'),
                 weights: Optional[Sequence[float]] = None,
                 chunk_size: int = 8,
                 data_preprocessor: Optional[dict] = None) -> None:
        super().__init__(module=module, data_preprocessor=data_preprocessor)
        unknown = [f for f in flips if f not in FLIP_DIMS]
        if unknown:
            raise ValueError(f'unknown flips {unknown}; choose from '
                             f'{list(FLIP_DIMS)}')
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
            merged.append(self._finish(views[0], probs))
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
            probs = self.predict_probs([images[i] for i in indices])
            for i, p in zip(indices, probs):
                results[i] = self._finish(samples[i], p)
        return results

    @torch.no_grad()
    def predict_probs(self, images: List[Tensor]) -> Tensor:
        """Averaged class probabilities of same-size images, at their size.

        Args:
            images (list[Tensor]): ``C x H x W`` uint8 images (BGR, as
                loaded by ``LoadImageFromFile``), all the same size.

        Returns:
            Tensor: ``N x num_classes x H x W`` probabilities.
        """
        seg = self.module
        height, width = images[0].shape[1:]
        arrays = [img.permute(1, 2, 0).cpu().numpy() for img in images]
        total = None
        for scale, weight in zip(self.scales, self.weights):
            scaled = [
                torch.from_numpy(
                    np.ascontiguousarray(
                        mmcv.imrescale(a, scale, interpolation='bilinear',
                                       backend='cv2'))).permute(2, 0, 1)
                for a in arrays
            ]
            views = [(i, f) for i in range(len(images)) for f in self.flips]
            for start in range(0, len(views), self.chunk_size):
                chunk = views[start:start + self.chunk_size]
                batch = [
                    scaled[i].flip([d - 1 for d in FLIP_DIMS[f]])
                    if FLIP_DIMS[f] else scaled[i] for i, f in chunk
                ]
                logits = self._forward(batch)
                for k, (i, flip) in enumerate(chunk):
                    logit = logits[k:k + 1]
                    if FLIP_DIMS[flip]:
                        logit = logit.flip(FLIP_DIMS[flip])
                    logit = resize(logit, size=(height, width),
                                   mode='bilinear',
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

    def _finish(self, sample: SegDataSample, probs: Tensor) -> SegDataSample:
        """Attach the prediction and its logits, as a segmentor does."""
        if self.module.out_channels > 1:
            pred = probs.argmax(dim=0, keepdim=True)
            # log of the average: softmax(seg_logits) gives it back
            seg_logits = probs.clamp_min(torch.finfo(probs.dtype).tiny).log()
        else:
            pred = (probs > self.module.decode_head.threshold).to(probs)
            seg_logits = probs
        sample.set_data(dict(seg_logits=PixelData(data=seg_logits),
                             pred_sem_seg=PixelData(data=pred)))
        return sample
