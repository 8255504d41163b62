"""Extra training images of the paper's stage 1: the ISIC archive."""
import os.path as osp
from typing import List, Optional, Sequence, Tuple

from mmengine.logging import print_log
from mmseg.registry import DATASETS

from .data_problem import DataProblem
from .isic2017_segmentation_dataset import ISIC2017SegmentationDataset
from .isic_layout import ARCHIVE_METADATA
from .layout_checks import missing_columns, pair_masks, read_csv


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
    without a mask, are dropped and counted in the log. A missing metadata
    file or column, masks without an image and duplicate ids are errors
    raised when the dataset is built (all at once).

    With ``metadata_file=None`` every image with a mask is kept: a release
    whose masks are all expert-made and that has no metadata, such as the
    ISIC 2018 Task 1 masks (``python tools/download_isic.py isic2018_task1
    data/ISIC_archive`` lays them out as ``images/`` and ``masks/``).

    Args:
        metadata_file (str, optional): Metadata CSV, relative to
            ``data_root`` unless absolute; None for none (keep every image
            with a mask). Defaults to 'metadata.csv'.
        id_column (str): Column with the image id. Defaults to 'isic_id'.
        filter_column (str): Column that says who made the segmentation.
            Defaults to 'segmentation_skill' (the ISIC archive API's
            ``skill`` of the segmentation's creator).
        accepted_values (Sequence[str]): Values of ``filter_column`` to keep.
            Defaults to ('expert', ).
        **kwargs: Passed to :class:`ISIC2017SegmentationDataset`.
    """

    def __init__(self,
                 metadata_file: Optional[str] = ARCHIVE_METADATA,
                 id_column: str = 'isic_id',
                 filter_column: str = 'segmentation_skill',
                 accepted_values: Sequence[str] = ('expert', ),
                 **kwargs) -> None:
        self.metadata_file = metadata_file
        self.id_column = id_column
        self.filter_column = filter_column
        self.accepted_values = tuple(str(v).lower() for v in accepted_values)
        super().__init__(**kwargs)

    def _metadata_path(self) -> str:
        path = self.metadata_file
        if self.data_root and not osp.isabs(path):
            path = osp.join(self.data_root, path)
        return path

    def _accepted_ids(self) -> Tuple[Optional[set], List[DataProblem]]:
        """Ids whose segmentation passes the filter (None if unreadable;
        every id when there is no metadata file)."""
        if self.metadata_file is None:
            return _Everything(), []
        path = self._metadata_path()
        meta, problems = read_csv(path, self.backend_args,
                                  'archive metadata CSV')
        if meta is None:
            return None, problems
        missing = missing_columns(
            meta, path, dict(id_column=self.id_column,
                             filter_column=self.filter_column),
            type(self).__name__)
        if missing:
            return None, problems + missing
        keep = meta[self.filter_column].str.lower().isin(self.accepted_values)
        return set(meta.loc[keep, self.id_column]), problems

    def scan_data_list(self) -> Tuple[List[dict], List[DataProblem]]:
        """Archive images whose segmentation passes the filter.

        An accepted image without a mask is dropped with a note; masks
        without an image, duplicate ids, a missing or incomplete metadata
        CSV and missing folders are errors.

        Returns:
            tuple[list[dict], list[DataProblem]]: Data infos, sorted by
            image id, and problems.
        """
        accepted, problems = self._accepted_ids()
        image_paths, more = self._image_paths()
        problems += more
        wanted = {i: p for i, p in image_paths.items()
                  if accepted is None or i in accepted}
        ann_dir = self.data_prefix.get('seg_map_path', None)
        masks, more = pair_masks(
            wanted, ann_dir, self.seg_map_suffixes, self.data_root,
            self.backend_args, known_ids=image_paths,
            missing_mask_severity='note') if ann_dir else ({}, [])
        problems += more
        if accepted is None:
            return [], problems
        data_list = [self.make_data_info(i, masks.get(i))
                     for i in sorted(wanted) if i in masks or not ann_dir]
        no_mask = len(wanted) - len(data_list)
        print_log(
            f'ISIC archive: kept {len(data_list)} of {len(image_paths)} '
            f'images ({len(image_paths) - len(wanted)} not accepted by '
            f'{self.filter_column} in {self.accepted_values}, '
            f'{no_mask} without a mask)', logger='current')
        if not data_list and self.metadata_file is None:
            problems.append(DataProblem(
                self.img_prefix, 'no image with a mask',
                'check data_root and data_prefix'))
        elif not data_list:
            problems.append(DataProblem(
                self._metadata_path(),
                f'no image of {self.data_prefix.get("img_path")} is accepted '
                f'by {self.filter_column} in {self.accepted_values} and has '
                'a mask', 'check accepted_values, id_column and the folders'))
        return data_list, problems


class _Everything:
    """The accepted ids when there is no metadata: all of them."""

    def __contains__(self, image_id: str) -> bool:
        return True
