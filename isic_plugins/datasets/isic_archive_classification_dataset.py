"""Extra classification training images: the ISIC archive."""
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

import mmengine.fileio as fileio
import pandas as pd
from mmengine.logging import print_log
from mmpretrain.registry import DATASETS

from .archive_diagnosis import (
    BLANK,
    HIERARCHY_COLUMNS,
    OTHER,
    UNKNOWN,
    HierarchicalDiagnosisMap,
    path_of,
)
from .data_problem import DataProblem, errors_of
from .isic2017_classification_dataset import ISIC2017ClassificationDataset
from .isic_layout import ARCHIVE_IMAGE_DIR, ARCHIVE_METADATA, IMAGE_SUFFIX
from .layout_checks import listed, missing_columns, read_csv

#: What each kept diagnosis means in the challenge's two 0/1 columns.
_DIAGNOSIS_COLUMNS = {
    'melanoma': (1, 0),
    'seborrheic_keratosis': (0, 1),
    'nevus': (0, 0),
}

#: How many ids or values the build log names per reason.
_NAMED = 5


@DATASETS.register_module()
class ISICArchiveClassificationDataset(ISIC2017ClassificationDataset):
    """ISIC archive images with a confirmed diagnosis.

    Bi et al. add about 1,600 ISIC archive images whose diagnosis was
    confirmed by histopathology or by expert consensus to the 2,000
    challenge images. Two layouts are read as they are:

    - what the ISIC Archive's own tool writes, ``isic image download
      --search ... DIR`` (``pip install isic-cli``): the images
      ``DIR/ISIC_XXXXXXX.jpg`` (the extension of the archive's file;
      ``.JPG`` in isic-cli's own tests and older versions) and
      ``DIR/metadata.csv`` with the columns
      ``isic_id``, ``diagnosis_1`` ... ``diagnosis_5`` (the archive's
      hierarchical diagnosis), ``diagnosis_confirm_type`` and more
      (licence, attribution...);
    - an older archive export: ``images/ISIC_XXXXXXX.jpg`` and a
      ``metadata.csv`` with a flat ``diagnosis`` column::

        data/ISIC_archive
        ├── images/ISIC_XXXXXXX.jpg
        └── metadata.csv    (isic_id, diagnosis, diagnosis_confirm_type, ...)

    A row is kept when its ``filter_column`` holds one of
    ``accepted_values`` (compared case-insensitively, surrounding blanks
    ignored), its diagnosis is one of the three classes and its image
    exists. The diagnosis is read from ``diagnosis_1`` ... ``diagnosis_5``
    where the row has them, mapped with the ISIC Archive's taxonomy (package
    ``isic-metadata``, see :mod:`.archive_diagnosis`: every melanoma subtype
    is a melanoma, every nevus subtype a nevus...), else from
    ``diagnosis_column`` with ``diagnosis_map``. The rest are dropped and
    counted in the build log, each reason with the ids (and unknown
    values) named: not confirmed (blank confirmation counted apart),
    another diagnosis, a diagnosis outside the ISIC taxonomy, no diagnosis,
    no image. Data infos are those of :class:`ISIC2017ClassificationDataset`,
    so archive and challenge images can share a ``ConcatDataset``; with
    ``lesion_mask_dir`` each kept image needs its predicted mask there, as
    for the challenge images.

    Args:
        ann_file (str): The metadata CSV, relative to ``data_root`` unless
            absolute. Defaults to 'metadata.csv'.
        data_prefix (str | dict, optional): The image folder. Defaults to
            None: ``images`` when ``data_root`` has such a folder (the older
            export), else ``data_root`` itself (``isic image download``).
        img_suffix (str, optional): Image file suffix. Defaults to None:
            '.jpg' or '.JPG', whichever more files of the image folder have
            (``isic image download`` keeps the archive file's extension).
        id_column (str): Column with the image id. Defaults to 'isic_id'.
        diagnosis_column (str): Column with a flat diagnosis (older exports;
            used for rows without a hierarchical one).
            Defaults to 'diagnosis'.
        filter_column (str): Column that says how the diagnosis was
            confirmed. Defaults to 'diagnosis_confirm_type'.
        accepted_values (Sequence[str]): Values of ``filter_column`` to keep.
            Defaults to ('histopathology', 'single image expert consensus').
        diagnosis_map (dict, optional): Flat diagnosis -> one of
            'melanoma', 'seborrheic_keratosis', 'nevus'. Defaults to None:
            {'melanoma': 'melanoma', 'seborrheic keratosis':
            'seborrheic_keratosis', 'nevus': 'nevus'}.
        hierarchical_roots (dict, optional): Class -> path in the ISIC
            taxonomy (levels joined by ':') whose diagnoses, subtypes
            included, are that class. Defaults to None (melanoma, seborrheic
            keratosis and nevus, from ``isic-metadata``).
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
                 data_prefix: Optional[str] = None,
                 img_suffix: Optional[str] = None,
                 id_column: str = 'isic_id',
                 diagnosis_column: str = 'diagnosis',
                 filter_column: str = 'diagnosis_confirm_type',
                 accepted_values: Sequence[str] = (
                     'histopathology', 'single image expert consensus'),
                 diagnosis_map: Optional[Dict[str, str]] = None,
                 hierarchical_roots: Optional[Dict[str, str]] = None,
                 **kwargs) -> None:
        if isinstance(accepted_values, str):
            accepted_values = (accepted_values, )
        diagnosis_map = dict(self.DEFAULT_DIAGNOSIS_MAP
                             if diagnosis_map is None else diagnosis_map)
        targets = set(diagnosis_map.values()) | set(hierarchical_roots or ())
        unknown = sorted(targets - set(_DIAGNOSIS_COLUMNS))
        if unknown:
            raise ValueError(
                f'{type(self).__name__}: diagnosis_map and '
                f'hierarchical_roots may only map to '
                f'{list(_DIAGNOSIS_COLUMNS)}, but got {unknown}')
        self.id_column = id_column
        self.diagnosis_column = diagnosis_column
        self.filter_column = filter_column
        self.accepted_values = tuple(_norm(v) for v in accepted_values)
        self.diagnosis_map = {_norm(k): v for k, v in diagnosis_map.items()}
        self.hierarchical_roots = hierarchical_roots
        self.auto_suffix = img_suffix is None
        if data_prefix is None:
            data_root = kwargs.get('data_root', '')
            has_images = data_root and fileio.isdir(
                fileio.join_path(data_root, ARCHIVE_IMAGE_DIR),
                backend_args=kwargs.get('backend_args'))
            data_prefix = ARCHIVE_IMAGE_DIR if has_images else ''
        super().__init__(ann_file=ann_file, data_prefix=data_prefix,
                         img_suffix=img_suffix or IMAGE_SUFFIX, **kwargs)

    def _image_paths(self):
        """As the parent's, after choosing '.jpg' or '.JPG' (whichever more
        images have) when ``img_suffix`` was not given."""
        if self.auto_suffix and fileio.isdir(
                self.img_prefix, backend_args=self.backend_args):
            suffixes = Counter(
                name[-len(IMAGE_SUFFIX):] for name in fileio.list_dir_or_file(
                    self.img_prefix, list_dir=False,
                    backend_args=self.backend_args)
                if name.lower().endswith(IMAGE_SUFFIX))
            upper = IMAGE_SUFFIX.upper()
            if suffixes[upper] > suffixes[IMAGE_SUFFIX]:
                self.img_suffix = upper
        return super()._image_paths()

    def _diagnoses(self, meta: pd.DataFrame,
                   problems: List[DataProblem]) -> pd.Series:
        """Each row's class, or OTHER / UNKNOWN / BLANK (why it has none).

        A row's hierarchical diagnosis (``diagnosis_1`` ...) is used where
        it has one, else its flat ``diagnosis_column``.
        """
        result = pd.Series(BLANK, index=meta.index, dtype=object)
        levels = [c for c in HIERARCHY_COLUMNS if c in meta.columns]
        has_path = pd.Series(False, index=meta.index)
        if levels:
            mapper = HierarchicalDiagnosisMap(self.hierarchical_roots)
            paths = pd.Series([path_of(row) for row in
                               meta[levels].itertuples(index=False)],
                              index=meta.index, dtype=object)
            has_path = paths != ''
            result[has_path] = paths[has_path].map(mapper.classify_path)
            self._paths = paths
        if self.diagnosis_column in meta.columns:
            flat = meta.loc[~has_path, self.diagnosis_column].map(_norm)
            mapped = flat.map(self.diagnosis_map)
            result[~has_path] = mapped.where(mapped.notna(), OTHER)
            result[~has_path & (meta[self.diagnosis_column].map(_norm) ==
                                '')] = BLANK
        elif not levels:
            problems.append(DataProblem(
                self.ann_file,
                f'no diagnosis column: neither {self.diagnosis_column!r} '
                f'(diagnosis_column of {type(self).__name__}) nor '
                f'{HIERARCHY_COLUMNS[0]} ... {HIERARCHY_COLUMNS[-1]} (what '
                f'isic image download writes); the file has '
                f'{list(meta.columns)}',
                'set diagnosis_column to the name your export uses, or '
                'download the metadata again with isic-cli'))
        return result

    def scan_data_list(self) -> Tuple[List[dict], List[DataProblem]]:
        """Archive images with an accepted, mapped diagnosis.

        A missing metadata CSV, image folder or column is an error (all are
        reported at once); rows that are not accepted or have no image are
        dropped, counted and named in the log.

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
                                 filter_column=self.filter_column),
                type(self).__name__)
        image_paths, more = self._image_paths()
        problems += more
        self._paths = pd.Series('', index=meta.index if meta is not None
                                else None, dtype=object)
        diagnosis = self._diagnoses(meta, problems) \
            if meta is not None else None
        if meta is None or image_paths is None or errors_of(problems):
            return [], problems
        ids = meta[self.id_column].map(str).str.strip()
        confirm = meta[self.filter_column].map(_norm)
        confirmed = confirm.isin(self.accepted_values)
        mapped = confirmed & diagnosis.isin(list(_DIAGNOSIS_COLUMNS))
        data_list, no_image = [], []
        for image_id, name in zip(ids[mapped], diagnosis[mapped]):
            if image_id not in image_paths:
                no_image.append(image_id)
                continue
            data_list.append(
                self._make_data_info(image_id, *_DIAGNOSIS_COLUMNS[name]))
        print_log(self._build_log(path, meta, ids, confirm, confirmed,
                                  diagnosis, data_list, no_image),
                  logger='current')
        return data_list, problems + self._lesion_mask_problems(data_list)

    def _build_log(self, path, meta, ids, confirm, confirmed, diagnosis,
                   data_list, no_image) -> str:
        """'kept N of M rows; dropped ...', each reason naming ids."""

        def named(mask) -> str:
            return listed(list(ids[mask]), _NAMED)

        blank_confirm = confirm == ''
        other_confirm = ~confirmed & ~blank_confirm
        parts = [
            f'ISIC archive ({path}): kept {len(data_list)} of {len(meta)} '
            f'rows; dropped {int((~confirmed).sum())} not confirmed by '
            f'{self.filter_column} in {self.accepted_values}'
        ]
        if other_confirm.any() or blank_confirm.any():
            kinds = Counter(confirm[other_confirm])
            parts[-1] += (
                f' ({int(blank_confirm.sum())} blank'
                + ''.join(f', {n} {v!r}' for v, n in kinds.most_common())
                + ')')
        for reason, label in (
                (OTHER, 'with another diagnosis than '
                 f'{sorted(_DIAGNOSIS_COLUMNS)}'),
                (UNKNOWN, 'with a diagnosis outside the ISIC taxonomy'),
                (BLANK, 'without a diagnosis')):
            mask = confirmed & (diagnosis == reason)
            text = f'{int(mask.sum())} {label}'
            if mask.any():
                text += f' ({named(mask)})'
                if reason == UNKNOWN:
                    values = Counter(self._paths[mask])
                    text += ': ' + '; '.join(
                        f'{v!r} x{n}' for v, n in values.most_common(_NAMED))
            parts.append(text)
        parts.append(f'{len(no_image)} without an image in '
                     f'{self.img_prefix.rstrip("/") or "."}'
                     + (f' ({listed(no_image, _NAMED)})' if no_image else ''))
        return ', '.join(parts)


def _norm(value) -> str:
    """Lower-cased, stripped text of a CSV cell ('' for a missing one)."""
    return '' if pd.isna(value) else str(value).strip().lower()
