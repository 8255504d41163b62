"""Extra classification training images: the ISIC archive."""
from typing import Dict, List, Optional, Sequence, Tuple

import pandas as pd
from mmengine.logging import print_log
from mmpretrain.registry import DATASETS

from .data_problem import DataProblem, errors_of
from .isic2017_classification_dataset import ISIC2017ClassificationDataset
from .isic_layout import ARCHIVE_IMAGE_DIR, ARCHIVE_METADATA
from .layout_checks import missing_columns, read_csv

#: What each kept diagnosis means in the challenge's two 0/1 columns.
_DIAGNOSIS_COLUMNS = {
    'melanoma': (1, 0),
    'seborrheic_keratosis': (0, 1),
    'nevus': (0, 0),
}


@DATASETS.register_module()
class ISICArchiveClassificationDataset(ISIC2017ClassificationDataset):
    """ISIC archive images with a confirmed diagnosis.

    Bi et al. add about 1,600 ISIC archive images whose diagnosis was
    confirmed by histopathology or by expert consensus to the 2,000
    challenge images. The archive export is expected as an image folder and
    a metadata CSV with one row per image::

        data/ISIC_archive
        ├── images/ISIC_XXXXXXX.jpg
        └── metadata.csv    (isic_id, diagnosis, diagnosis_confirm_type, ...)

    A row is kept when its ``filter_column`` holds one of
    ``accepted_values`` and its ``diagnosis_column`` is a key of
    ``diagnosis_map`` (both compared case-insensitively, surrounding blanks
    ignored) and its image exists; the rest are dropped and counted in the
    log. Data infos are those of :class:`ISIC2017ClassificationDataset`, so
    archive and challenge images can share a ``ConcatDataset``.

    Args:
        ann_file (str): The metadata CSV, relative to ``data_root`` unless
            absolute. Defaults to 'metadata.csv'.
        data_prefix (str | dict): The image folder. Defaults to 'images'.
        id_column (str): Column with the image id. Defaults to 'isic_id'.
        diagnosis_column (str): Column with the diagnosis.
            Defaults to 'diagnosis'.
        filter_column (str): Column that says how the diagnosis was
            confirmed. Defaults to 'diagnosis_confirm_type'.
        accepted_values (Sequence[str]): Values of ``filter_column`` to keep.
            Defaults to ('histopathology', 'single image expert consensus').
        diagnosis_map (dict, optional): Archive diagnosis -> one of
            'melanoma', 'seborrheic_keratosis', 'nevus'. Defaults to None:
            {'melanoma': 'melanoma', 'seborrheic keratosis':
            'seborrheic_keratosis', 'nevus': 'nevus'}.
        **kwargs: Passed to :class:`ISIC2017ClassificationDataset` (``task``,
            ``pipeline``, ``data_root``...).
    """
    DEFAULT_DIAGNOSIS_MAP = {
        'melanoma': 'melanoma',
        'seborrheic keratosis': 'seborrheic_keratosis',
        'nevus': 'nevus',
    }

    def __init__(self,
                 ann_file: str = ARCHIVE_METADATA,
                 data_prefix: str = ARCHIVE_IMAGE_DIR,
                 id_column: str = 'isic_id',
                 diagnosis_column: str = 'diagnosis',
                 filter_column: str = 'diagnosis_confirm_type',
                 accepted_values: Sequence[str] = (
                     'histopathology', 'single image expert consensus'),
                 diagnosis_map: Optional[Dict[str, str]] = None,
                 **kwargs) -> None:
        if isinstance(accepted_values, str):
            accepted_values = (accepted_values, )
        diagnosis_map = dict(self.DEFAULT_DIAGNOSIS_MAP
                             if diagnosis_map is None else diagnosis_map)
        unknown = sorted(set(diagnosis_map.values()) - set(_DIAGNOSIS_COLUMNS))
        if unknown:
            raise ValueError(
                f'{type(self).__name__}: diagnosis_map may only map to '
                f'{list(_DIAGNOSIS_COLUMNS)}, but got {unknown}')
        self.id_column = id_column
        self.diagnosis_column = diagnosis_column
        self.filter_column = filter_column
        self.accepted_values = tuple(_norm(v) for v in accepted_values)
        self.diagnosis_map = {_norm(k): v for k, v in diagnosis_map.items()}
        super().__init__(ann_file=ann_file, data_prefix=data_prefix, **kwargs)

    def scan_data_list(self) -> Tuple[List[dict], List[DataProblem]]:
        """Archive images with an accepted, mapped diagnosis.

        A missing metadata CSV, image folder or column is an error (all are
        reported at once); rows that are not accepted or have no image are
        dropped and counted in the log.

        Returns:
            tuple[list[dict], list[DataProblem]]: Data infos in the
            metadata's row order, and problems.
        """
        path = self.ann_file
        meta, problems = read_csv(path, self.backend_args,
                                  'archive metadata CSV')
        if meta is not None:
            problems += missing_columns(
                meta, path, dict(id_column=self.id_column,
                                 diagnosis_column=self.diagnosis_column,
                                 filter_column=self.filter_column),
                type(self).__name__)
        image_paths, more = self._image_paths()
        problems += more
        if meta is None or image_paths is None or errors_of(problems):
            return [], problems
        on_disk = set(image_paths)
        confirmed = meta[self.filter_column].map(_norm).isin(
            self.accepted_values)
        diagnosis = meta[self.diagnosis_column].map(_norm).map(
            self.diagnosis_map)
        mapped = confirmed & diagnosis.notna()
        data_list, no_image = [], 0
        for image_id, name in zip(meta.loc[mapped, self.id_column].str.strip(),
                                  diagnosis[mapped]):
            if image_id not in on_disk:
                no_image += 1
                continue
            data_list.append(
                self._make_data_info(image_id, *_DIAGNOSIS_COLUMNS[name]))
        print_log(
            f'ISIC archive ({path}): kept {len(data_list)} of {len(meta)} '
            f'rows; dropped {int((~confirmed).sum())} not confirmed by '
            f'{self.filter_column} in {self.accepted_values}, '
            f'{int((confirmed & diagnosis.isna()).sum())} with another '
            f'diagnosis than {sorted(self.diagnosis_map)}, {no_image} '
            f'without an image in {self.img_prefix}', logger='current')
        return data_list, problems


def _norm(value) -> str:
    """Lower-cased, stripped text of a CSV cell ('' for a missing one)."""
    return '' if pd.isna(value) else str(value).strip().lower()
