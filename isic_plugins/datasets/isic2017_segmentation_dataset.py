"""ISIC 2017 Part 1 (lesion segmentation) dataset."""
import os.path as osp
from typing import List, Optional, Sequence

import mmengine.fileio as fileio
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS


@DATASETS.register_module()
class ISIC2017SegmentationDataset(BaseSegDataset):
    """ISIC 2017 challenge Part 1 dataset: dermoscopy image + lesion mask.

    The challenge layout (the same for ``Validation`` and ``Test_v2``)::

        data/ISIC2017
        ├── ISIC-2017_Training_Data
        │   ├── ISIC_0000000.jpg
        │   └── ...
        └── ISIC-2017_Training_Part1_GroundTruth
            ├── ISIC_0000000_segmentation.png   (0 = skin, 255 = lesion)
            └── ...

    Masks hold 0/255 and are read as labels 0 (background) / 1 (lesion) by
    :class:`LoadISICAnnotations`, which binarises at > 128 as the ISIC scorer
    does. Both ``_segmentation.png`` (challenge release) and
    ``_Segmentation.png`` (ISIC 2016 and some archive exports) are accepted.

    Args:
        img_suffix (str): Image suffix. Defaults to '.jpg'.
        seg_map_suffix (str | Sequence[str]): Mask suffix(es) tried in order.
            Defaults to ('_segmentation.png', '_Segmentation.png').
        reduce_zero_label (bool): Fixed to False: 0 is the skin class.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = dict(
        classes=('background', 'lesion'),
        palette=[[0, 0, 0], [255, 255, 255]])

    def __init__(self,
                 img_suffix: str = '.jpg',
                 seg_map_suffix: Sequence[str] = ('_segmentation.png',
                                                  '_Segmentation.png'),
                 reduce_zero_label: bool = False,
                 **kwargs) -> None:
        if isinstance(seg_map_suffix, str):
            seg_map_suffix = (seg_map_suffix, )
        self.seg_map_suffixes = tuple(seg_map_suffix)
        super().__init__(
            img_suffix=img_suffix,
            seg_map_suffix=self.seg_map_suffixes[0],
            reduce_zero_label=reduce_zero_label,
            **kwargs)

    def _image_ids(self) -> List[str]:
        """Image ids (file names without suffix) of this split, sorted."""
        img_dir = self.data_prefix.get('img_path', '')
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: image folder {img_dir!r} does not '
                'exist. Check data_root/data_prefix in the config, e.g. '
                "--cfg-options train_dataloader.dataset.data_root=/path/to/ISIC2017")
        return sorted(
            name[:-len(self.img_suffix)]
            for name in fileio.list_dir_or_file(
                img_dir, list_dir=False, suffix=self.img_suffix,
                backend_args=self.backend_args))

    def _find_seg_map(self, image_id: str) -> Optional[str]:
        """Path of ``image_id``'s mask, trying each accepted suffix."""
        ann_dir = self.data_prefix.get('seg_map_path', None)
        if not ann_dir:
            return None
        for suffix in self.seg_map_suffixes:
            path = osp.join(ann_dir, image_id + suffix)
            if osp.isfile(path):
                return path
        return None

    def make_data_info(self, image_id: str) -> dict:
        """Data info of one image in the format mmseg transforms expect."""
        info = dict(
            img_path=osp.join(self.data_prefix['img_path'],
                              image_id + self.img_suffix),
            image_id=image_id,
            label_map=self.label_map,
            reduce_zero_label=self.reduce_zero_label,
            seg_fields=[])
        seg_map = self._find_seg_map(image_id)
        if seg_map is not None:
            info['seg_map_path'] = seg_map
        return info

    def load_data_list(self) -> List[dict]:
        """Pair every image with its mask; report all missing masks at once.

        Returns:
            list[dict]: One data info per image, sorted by image id.
        """
        data_list = [self.make_data_info(i) for i in self._image_ids()]
        if self.data_prefix.get('seg_map_path'):
            missing = [d['img_path'] for d in data_list
                       if 'seg_map_path' not in d]
            if missing:
                shown = '\n  '.join(missing[:20])
                more = f'\n  ... and {len(missing) - 20} more' \
                    if len(missing) > 20 else ''
                raise FileNotFoundError(
                    f'{len(missing)} image(s) have no mask named '
                    f'<id>{"|".join(self.seg_map_suffixes)} in '
                    f'{self.data_prefix["seg_map_path"]}:\n  {shown}{more}\n'
                    'Add the masks, remove those images, or run '
                    'tools/check_dataset.py for a full report.')
        return data_list
