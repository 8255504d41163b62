"""ISIC 2017 Part 1 (lesion segmentation) dataset."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from .checked_dataset_mixin import CheckedDatasetMixin
from .data_problem import DataProblem
from .isic_layout import IMAGE_SUFFIX, MASK_SUFFIXES
from .layout_checks import listed, pair_masks, read_id_list, scan_image_folder


@DATASETS.register_module()
class ISIC2017SegmentationDataset(CheckedDatasetMixin, BaseSegDataset):
    """ISIC 2017 challenge Part 1 dataset: dermoscopy image + lesion mask.

    One split of the challenge layout (the folder names are in
    :mod:`isic_plugins.datasets.isic_layout`): ``data_prefix.img_path`` is
    the split's image folder (``isic_layout.image_dir(split)``) and
    ``data_prefix.seg_map_path`` its mask folder
    (``isic_layout.mask_dir(split)``)::

        data/ISIC2017
        ├── <image folder>
        │   ├── ISIC_0000000.jpg
        │   └── ...
        └── <mask folder>
            ├── ISIC_0000000_segmentation.png   (0 = skin, 255 = lesion)
            └── ...

    Masks hold 0/255 and are read as labels 0 (background) / 1 (lesion) by
    :class:`LoadISICAnnotations`, which binarises at > 128 as the ISIC scorer
    does. Both ``_segmentation.png`` (challenge release) and
    ``_Segmentation.png`` (ISIC 2016 and some archive exports) are accepted.

    Building the dataset checks the layout (see :class:`CheckedDatasetMixin`)
    and raises one error naming every image without mask, mask without
    image, duplicate image id and missing or empty folder. Without
    ``data_prefix.seg_map_path`` (a test set without ground truth) only the
    images are listed.

    With ``ann_file`` (an mmseg split file: one image id per line, relative
    to ``data_root`` unless absolute) only the images it lists are used, in
    id order; an id the folder lacks is an error naming the file. The
    real-data configs hold the full-frame images of the training set out
    this way (``configs/_base_/datasets/splits/``).

    Args:
        img_suffix (str): Image suffix. Defaults to '.jpg'.
        seg_map_suffix (str | Sequence[str]): Mask suffix(es) tried in order.
            Defaults to ('_segmentation.png', '_Segmentation.png').
        reduce_zero_label (bool): Fixed to False: 0 is the skin class.
        **kwargs: Passed to :class:`CheckedDatasetMixin` (``on_bad_sample``,
            ``max_bad_samples``) and :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = dict(
        classes=('background', 'lesion'),
        palette=[[0, 0, 0], [255, 255, 255]])

    def __init__(self,
                 img_suffix: str = IMAGE_SUFFIX,
                 seg_map_suffix: Sequence[str] = MASK_SUFFIXES,
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

    def _image_paths(self) -> Tuple[Dict[str, str], List[DataProblem]]:
        """``{image id: path}`` of this split's image folder, and problems."""
        return scan_image_folder(
            self.data_prefix.get('img_path', ''), self.img_suffix,
            self.data_root, self.backend_args)

    def make_data_info(self, image_id: str,
                       seg_map_path: Optional[str] = None) -> dict:
        """Data info of one image in the format mmseg transforms expect."""
        info = dict(
            img_path=osp.join(self.data_prefix['img_path'],
                              image_id + self.img_suffix),
            image_id=image_id,
            label_map=self.label_map,
            reduce_zero_label=self.reduce_zero_label,
            seg_fields=[])
        if seg_map_path is not None:
            info['seg_map_path'] = seg_map_path
        return info

    def _pair(self, image_paths: Dict[str, str],
              known_ids: Optional[Sequence[str]] = None
              ) -> Tuple[List[dict], List[DataProblem]]:
        """Data infos of ``image_paths`` with their masks, and problems.

        ``known_ids``: every id with an image in the folder, when
        ``image_paths`` holds only the split's (see ``pair_masks``).
        """
        ann_dir = self.data_prefix.get('seg_map_path', None)
        if not ann_dir:  # images only (e.g. a test set without masks)
            return [self.make_data_info(i) for i in sorted(image_paths)], []
        masks, problems = pair_masks(image_paths, ann_dir,
                                     self.seg_map_suffixes, self.data_root,
                                     self.backend_args, known_ids=known_ids)
        return [self.make_data_info(i, masks[i])
                for i in sorted(image_paths) if i in masks], problems

    def scan_data_list(self) -> Tuple[List[dict], List[DataProblem]]:
        """Pair every image with its mask; collect every problem.

        Returns:
            tuple[list[dict], list[DataProblem]]: One data info per image
            with a mask, sorted by image id, and the problems (images
            without mask, masks without image, duplicate ids, missing or
            empty folders).
        """
        image_paths, problems = self._image_paths()
        known_ids = None
        if self.ann_file:
            ids, more = read_id_list(self.ann_file, self.backend_args)
            problems += more
            if ids is None:
                return [], problems
            unknown = [i for i in ids if i not in image_paths]
            if unknown and image_paths:
                problems.append(DataProblem(
                    self.ann_file,
                    f'{len(unknown)} image id(s) of the split file are not in '
                    f"the image folder: {listed(unknown)}",
                    'use the split file written for this data set (tools/'
                    'make_fullframe_split.py), or drop ann_file'))
            wanted, known_ids = set(ids), list(image_paths)
            image_paths = {i: p for i, p in image_paths.items()
                           if i in wanted}
        data_list, more = self._pair(image_paths, known_ids)
        return data_list, problems + more
