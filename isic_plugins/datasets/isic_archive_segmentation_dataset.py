"""Extra training images of the paper's stage 1: the ISIC archive."""
import os.path as osp
from typing import List, Sequence

import pandas as pd
from mmengine.logging import print_log
from mmseg.registry import DATASETS

from .isic2017_segmentation_dataset import ISIC2017SegmentationDataset


@DATASETS.register_module()
class ISICArchiveSegmentationDataset(ISIC2017SegmentationDataset):
    """ISIC archive images with expert-annotated lesion segmentations.

    Bi et al. add about 8,000 archive images whose segmentations were made
    by experts to the 2,000 challenge images in stage 1. The archive export
    is expected as an image folder, a mask folder (same naming as the
    challenge) and a metadata CSV with one row per image::

        data/ISIC_archive
        ├── images/ISIC_XXXXXXX.jpg
        ├── masks/ISIC_XXXXXXX_segmentation.png
        └── metadata.csv      (isic_id, segmentation_skill, ...)

    Only rows whose ``filter_column`` holds one of ``accepted_values``
    (compared case-insensitively) are kept; images without such a row, or
    without a mask, are dropped and counted in the log.

    Args:
        metadata_file (str): Metadata CSV, relative to ``data_root`` unless
            absolute. Defaults to 'metadata.csv'.
        id_column (str): Column with the image id. Defaults to 'isic_id'.
        filter_column (str): Column that says who made the segmentation.
            Defaults to 'segmentation_skill' (the ISIC archive API's
            ``skill`` of the segmentation's creator).
        accepted_values (Sequence[str]): Values of ``filter_column`` to keep.
            Defaults to ('expert', ).
        **kwargs: Passed to :class:`ISIC2017SegmentationDataset`.
    """

    def __init__(self,
                 metadata_file: str = 'metadata.csv',
                 id_column: str = 'isic_id',
                 filter_column: str = 'segmentation_skill',
                 accepted_values: Sequence[str] = ('expert', ),
                 **kwargs) -> None:
        self.metadata_file = metadata_file
        self.id_column = id_column
        self.filter_column = filter_column
        self.accepted_values = tuple(str(v).lower() for v in accepted_values)
        super().__init__(**kwargs)

    def _accepted_ids(self) -> set:
        path = self.metadata_file
        if self.data_root and not osp.isabs(path):
            path = osp.join(self.data_root, path)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'archive metadata CSV {path!r} not found: set '
                '`metadata_file` of ISICArchiveSegmentationDataset.')
        meta = pd.read_csv(path, dtype=str)
        missing = [c for c in (self.id_column, self.filter_column)
                   if c not in meta.columns]
        if missing:
            raise ValueError(
                f'{path}: missing column(s) {missing}; it has '
                f'{list(meta.columns)}. Set `id_column`/`filter_column` of '
                'ISICArchiveSegmentationDataset to the names your export uses.')
        keep = meta[self.filter_column].fillna('').str.strip().str.lower() \
            .isin(self.accepted_values)
        return set(meta.loc[keep, self.id_column].str.strip())

    def load_data_list(self) -> List[dict]:
        """Archive images whose segmentation passes the filter.

        Returns:
            list[dict]: Data infos, sorted by image id.
        """
        accepted = self._accepted_ids()
        ids = self._image_ids()
        data_list, no_mask = [], 0
        for image_id in ids:
            if image_id not in accepted:
                continue
            info = self.make_data_info(image_id)
            if 'seg_map_path' not in info:
                no_mask += 1
                continue
            data_list.append(info)
        print_log(
            f'ISIC archive: kept {len(data_list)} of {len(ids)} images '
            f'({len(ids) - len(data_list) - no_mask} not accepted by '
            f'{self.filter_column} in {self.accepted_values}, '
            f'{no_mask} without a mask)', logger='current')
        return data_list
