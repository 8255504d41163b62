"""Cheap structural checks of ISIC folders and CSVs (no image decoding).

The datasets run these when they are built (every problem is reported at
once, see :class:`CheckedDatasetMixin`), and ``tools/check_dataset.py``
runs them before decoding every file. Each function returns what it found
together with a list of :class:`DataProblem`, and never raises on bad data.
"""
import io
import os.path as osp
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import mmengine
import mmengine.fileio as fileio
import pandas as pd

from .data_problem import DataProblem
from .isic_layout import IMAGE_SUFFIX, PART3_COLUMNS

#: How many ids a message shows before '... and N more'.
MAX_LISTED = 20

#: The config key the fixes give as example (the checker names the real one).
EXAMPLE_ROOT_KEY = 'train_dataloader.dataset.data_root'

_FOLDER_FIX = ('check data_root and data_prefix in the config, e.g. '
               f'--cfg-options {EXAMPLE_ROOT_KEY}=/path/to/ISIC2017')


def listed(items: Sequence[str], max_listed: int = MAX_LISTED) -> str:
    """``a, b, c ... and N more``."""
    items = list(items)
    text = ', '.join(str(i) for i in items[:max_listed])
    if len(items) > max_listed:
        text += f' ... and {len(items) - max_listed} more'
    return text


def missing_folder(folder: str, what: str,
                   data_root: Optional[str] = None) -> DataProblem:
    """The problem 'folder does not exist', naming the missing data root."""
    if data_root and not osp.isdir(data_root):
        # the same problem for every folder under it: reported once
        return DataProblem(data_root, 'data root does not exist',
                           _FOLDER_FIX, missing_file=True)
    return DataProblem(folder, f'{what} does not exist', _FOLDER_FIX,
                       missing_file=True)


def _same_format(suffix: str) -> Tuple[str, ...]:
    """Extensions that mean the same format as ``suffix`` ('.jpg', '.jpeg').

    Other formats are not looked at: the challenge's image folders also hold
    ``*_superpixels.png`` files.
    """
    for family in (('.jpg', '.jpeg'), ('.tif', '.tiff')):
        if suffix.endswith(family):
            return family
    ext = osp.splitext(suffix)[1]
    return (ext, ) if ext else (suffix, )


def _list_files(folder: str, backend_args: Optional[dict]) -> List[str]:
    return sorted(
        fileio.list_dir_or_file(
            folder, list_dir=False, backend_args=backend_args))


def scan_image_folder(
        img_dir: str,
        img_suffix: str,
        data_root: Optional[str] = None,
        backend_args: Optional[dict] = None,
) -> Tuple[Dict[str, str], List[DataProblem]]:
    """Images of a folder by id, with missing folders and duplicate ids.

    An id is a file name without ``img_suffix``. Two files whose ids differ
    only in case or in the spelling of the extension (``ISIC_1.jpg`` /
    ``ISIC_1.JPG`` / ``ISIC_1.jpeg``) are duplicates (an error: which one is
    meant?). Such a file without a duplicate (``ISIC_2.JPG`` alone) is not
    used (a note).

    Args:
        img_dir (str): The image folder.
        img_suffix (str): Suffix of the images used, e.g. '.jpg'.
        data_root (str, optional): The dataset's data root, named when it
            is what does not exist. Defaults to None.
        backend_args (dict, optional): File backend arguments.
            Defaults to None.

    Returns:
        tuple[dict, list[DataProblem]]: ``{image id: path}`` and problems.
    """
    if not fileio.isdir(img_dir, backend_args=backend_args):
        return {}, [missing_folder(img_dir, 'image folder', data_root)]
    names = _list_files(img_dir, backend_args)
    suffix_l = img_suffix.lower()
    family = _same_format(suffix_l)
    groups = defaultdict(list)  # lower-case id -> file names
    for name in names:
        lower = name.lower()
        if lower.endswith(suffix_l):
            groups[lower[:-len(suffix_l)]].append(name)
        elif lower.endswith(family):
            groups[osp.splitext(lower)[0]].append(name)
    ids, problems = {}, []
    for key in sorted(groups):
        group = groups[key]
        used = [n for n in group if n.endswith(img_suffix)]
        if len(group) > 1 and used:
            problems.append(DataProblem(
                fileio.join_path(img_dir, used[0]),
                f'duplicate image id: {listed(group)} are all in {img_dir}',
                'keep one file per image id (delete or move the others)'))
        for name in used:
            ids[name[:-len(img_suffix)]] = fileio.join_path(img_dir, name)
        if not used:
            problems.append(DataProblem(
                fileio.join_path(img_dir, group[0]),
                f'not used: its extension is not img_suffix {img_suffix!r}',
                f'rename it to <id>{img_suffix} if it belongs to the data '
                'set', severity='note'))
    if not ids and not problems:
        others = f' (it holds {len(names)} other file(s), e.g. ' \
            f'{listed(names, 3)})' if names else ' (it is empty)'
        problems.append(DataProblem(
            img_dir, f'no images <id>{img_suffix} in this folder{others}',
            'check data_prefix and img_suffix in the config, or add the '
            'images', missing_file=True))
    return ids, problems


def pair_masks(
        image_paths: Dict[str, str],
        ann_dir: str,
        seg_map_suffixes: Sequence[str],
        data_root: Optional[str] = None,
        backend_args: Optional[dict] = None,
        known_ids: Optional[Iterable[str]] = None,
        missing_mask_severity: str = 'error',
) -> Tuple[Dict[str, str], List[DataProblem]]:
    """Find each image's mask; report images without mask and the reverse.

    Args:
        image_paths (dict): ``{image id: image path}``.
        ann_dir (str): The mask folder.
        seg_map_suffixes (Sequence[str]): Accepted mask suffixes, e.g.
            ('_segmentation.png', '_Segmentation.png').
        data_root (str, optional): The dataset's data root. Defaults to None.
        backend_args (dict, optional): File backend arguments.
            Defaults to None.
        known_ids (Iterable[str], optional): Ids that have an image, when
            ``image_paths`` holds only those wanted; a mask of any other id
            has no image. Defaults to None (the ids of ``image_paths``).
        missing_mask_severity (str): Severity of 'image without mask'
            ('error' or 'note'). Defaults to 'error'.

    Returns:
        tuple[dict, list[DataProblem]]: ``{image id: mask path}`` for the
        images that have one, and problems.
    """
    if not fileio.isdir(ann_dir, backend_args=backend_args):
        return {}, [missing_folder(ann_dir, 'mask folder', data_root)]
    masks = defaultdict(list)  # image id -> mask file names
    for name in _list_files(ann_dir, backend_args):
        for suffix in seg_map_suffixes:
            if name.endswith(suffix):
                masks[name[:-len(suffix)]].append(name)
                break
    problems, found = [], {}
    shown = '|'.join(seg_map_suffixes)
    for image_id, path in sorted(image_paths.items()):
        names = masks.get(image_id, [])
        if not names:
            problems.append(DataProblem(
                path, f'no mask <id>{shown} for this image in {ann_dir}',
                'add its mask or remove the image',
                severity=missing_mask_severity, missing_file=True))
            continue
        if len(names) > 1:
            problems.append(DataProblem(
                fileio.join_path(ann_dir, names[0]),
                f'image {image_id} has {len(names)} masks: {listed(names)}',
                'keep one mask per image'))
        found[image_id] = fileio.join_path(ann_dir, names[0])
    known = set(image_paths if known_ids is None else known_ids)
    for image_id in sorted(set(masks) - known):
        problems.append(DataProblem(
            fileio.join_path(ann_dir, masks[image_id][0]),
            f'mask without an image {image_id}.* in the image folder',
            'add the image (is it named differently, e.g. .JPG or .png?) or '
            'remove the mask', missing_file=True))
    return found, problems


def read_id_list(path: str, backend_args: Optional[dict] = None
                 ) -> Tuple[Optional[List[str]], List[DataProblem]]:
    """Image ids of an mmseg-style split file: one id per line.

    As mmseg's ``BaseSegDataset`` reads ``ann_file``: each line an image
    name without its suffix (``ISIC_0000000``); blank lines and ``#``
    comments are ignored, and a suffix such as ``.jpg`` is stripped.

    Args:
        path (str): The split file.
        backend_args (dict, optional): File backend arguments.
            Defaults to None.

    Returns:
        tuple[list[str] | None, list[DataProblem]]: The ids in file order
        (None when the file cannot be read) and problems.
    """
    if not fileio.exists(path, backend_args=backend_args):
        return None, [DataProblem(
            path, 'split file (ann_file) does not exist',
            'check ann_file in the config (relative to data_root unless '
            'absolute), or write it with tools/make_fullframe_split.py',
            missing_file=True)]
    ids = []
    for line in mmengine.list_from_file(path, encoding='utf-8-sig',
                                        backend_args=backend_args):
        line = line.split('#', 1)[0].strip()
        if line:
            ids.append(osp.splitext(osp.basename(line))[0]
                       if line.lower().endswith(('.jpg', '.jpeg', '.png'))
                       else line)
    if not ids:
        return None, [DataProblem(path, 'split file (ann_file) lists no '
                                  'image', 'one image id per line')]
    return ids, []


def read_csv(path: str, backend_args: Optional[dict] = None,
             what: str = 'annotation CSV'
             ) -> Tuple[Optional[pd.DataFrame], List[DataProblem]]:
    """Read a CSV edited by who knows what, every cell as stripped text.

    Handles a UTF-8 byte-order mark (Excel) and blanks around names and
    values; a file separated by ';' (European spreadsheets) is read with a
    note.

    Args:
        path (str): The CSV.
        backend_args (dict, optional): File backend arguments.
            Defaults to None.
        what (str): What the file is, for messages.
            Defaults to 'annotation CSV'.

    Returns:
        tuple[DataFrame | None, list[DataProblem]]: The table (None when it
        cannot be read) and problems.
    """
    if not fileio.exists(path, backend_args=backend_args):
        return None, [DataProblem(
            path, f'{what} does not exist',
            'check data_root and ann_file (or metadata_file) in the config',
            missing_file=True)]
    try:
        text = fileio.get_text(path, encoding='utf-8-sig',
                               backend_args=backend_args)
    except UnicodeDecodeError as exc:
        return None, [DataProblem(path, f'{what} is not UTF-8 text ({exc})',
                                  'save it as CSV UTF-8')]
    if not text.strip():
        return None, [DataProblem(path, f'{what} is empty',
                                  'restore the file')]
    problems = []
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str,
                            keep_default_na=False)
        header = text.splitlines()[0]
        if len(table.columns) == 1 and ';' in header:
            table = pd.read_csv(io.StringIO(text), dtype=str, sep=';',
                                keep_default_na=False)
            problems.append(DataProblem(
                path, f"{what} is separated by ';', read as such",
                'save it comma-separated', severity='note'))
    except (pd.errors.ParserError, ValueError) as exc:
        return None, [DataProblem(
            path, f'{what} cannot be parsed: {str(exc).strip()}',
            'fix the rows named (each row needs as many fields as the '
            'header)')]
    table.columns = [str(c).strip() for c in table.columns]
    for column in table.columns:
        table[column] = table[column].fillna('').str.strip()
    return table, problems


def missing_columns(table: pd.DataFrame, path: str,
                    required: Dict[str, str], owner: str) -> List[DataProblem]:
    """One problem per required column that ``table`` lacks.

    Args:
        table (DataFrame): The CSV.
        path (str): Its file.
        required (dict): ``{config argument: column name}``; the argument
            (e.g. 'filter_column') is named in the fix.
        owner (str): The dataset class, named in the fix.

    Returns:
        list[DataProblem]: Problems.
    """
    problems = []
    for role, column in required.items():
        if column not in table.columns:
            problems.append(DataProblem(
                path, f'no column {column!r} ({role} of {owner}); the file '
                f'has {list(table.columns)}',
                f'set {role} of {owner} to the name your export uses, or add '
                'the column'))
    return problems


def _rows(table: pd.DataFrame, mask) -> List[str]:
    """'row N (id)' of the rows in ``mask``; N counts the header as row 1."""
    return [f'row {i + 2} ({image_id or "no id"})'
            for i, image_id in zip(table.index[mask],
                                   table.loc[mask, 'image_id'])]


def check_part3_table(
        table: pd.DataFrame,
        path: str,
        image_paths: Optional[Dict[str, str]] = None,
        img_dir: str = '',
        img_suffix: str = IMAGE_SUFFIX,
) -> Tuple[pd.DataFrame, List[DataProblem]]:
    """Validate an ISIC 2017 Part 3 ground truth; report every problem.

    Checks the columns, blank and repeated image ids, values outside {0, 1}
    (the official files write ``0.0``/``1.0``), rows marked both melanoma
    and seborrheic keratosis, ids without an image and images without a row
    (a note: they are not used).

    Args:
        table (DataFrame): The CSV, as read by :func:`read_csv`.
        path (str): Its file.
        image_paths (dict, optional): ``{image id: path}`` of the image
            folder; None skips the image checks. Defaults to None.
        img_dir (str): The image folder, for messages. Defaults to ''.
        img_suffix (str): The image suffix, for messages.
            Defaults to '.jpg'.

    Returns:
        tuple[DataFrame, list[DataProblem]]: The valid rows (``melanoma``
        and ``seborrheic_keratosis`` as ints) and the problems.
    """
    missing = [c for c in PART3_COLUMNS if c not in table.columns]
    if missing:
        hint = ''
        if len(table.columns) == 1:
            hint = ' (is it separated by something else than commas?)'
        return table.iloc[:0], [DataProblem(
            path, f'missing column(s) {missing}; an ISIC 2017 Part 3 ground '
            f'truth has {",".join(PART3_COLUMNS)} but this file has '
            f'{list(table.columns)}{hint}',
            f'make the header {",".join(PART3_COLUMNS)}')]
    table = table.copy()
    problems = []
    bad = pd.Series(False, index=table.index)
    blank = table['image_id'] == ''
    if blank.any():
        problems.append(DataProblem(
            path, f'{int(blank.sum())} row(s) have no image_id: '
            f'{listed(_rows(table, blank))}',
            'fill in the image id or delete the row'))
        bad |= blank
    repeated = table['image_id'].duplicated(keep=False) & ~blank
    if repeated.any():
        ids = sorted(set(table.loc[repeated, 'image_id']))
        problems.append(DataProblem(
            path, f'{len(ids)} image id(s) appear in more than one row: '
            f'{listed(_rows(table, repeated))}',
            'keep one row per image'))
        bad |= repeated
    for column in PART3_COLUMNS[1:]:
        values = pd.to_numeric(table[column], errors='coerce')
        wrong = ~values.isin([0, 1])
        if wrong.any():
            shown = [f'{r}: {v!r}' for r, v in zip(
                _rows(table, wrong), table.loc[wrong, column])]
            problems.append(DataProblem(
                path, f'column {column!r} must hold 0 or 1; '
                f'{int(wrong.sum())} row(s) do not: {listed(shown)}',
                'write 0 or 1 (0.0/1.0 are fine too)'))
            bad |= wrong
        table[column] = values.fillna(-1).astype(int)
    both = (table['melanoma'] == 1) & (table['seborrheic_keratosis'] == 1)
    if both.any():
        problems.append(DataProblem(
            path, f'{int(both.sum())} image(s) are marked both melanoma and '
            'seborrheic_keratosis (the diagnoses exclude each other): '
            f'{listed(_rows(table, both))}',
            'set one of the two columns to 0'))
        bad |= both
    if image_paths is not None:
        no_image = ~table['image_id'].isin(set(image_paths)) & ~blank
        if no_image.any():
            problems.append(DataProblem(
                path, f'{int(no_image.sum())} image id(s) have no image '
                f'<id>{img_suffix} in {img_dir}: '
                f'{listed(table.loc[no_image, "image_id"].tolist())}',
                'add the images, fix the ids, or delete those rows',
                missing_file=True))
            bad |= no_image
        unlisted = sorted(set(image_paths) - set(table['image_id']))
        if unlisted:
            problems.append(DataProblem(
                path, f'{len(unlisted)} image(s) in {img_dir} have no row '
                f'and are not used: {listed(unlisted)}',
                'add their rows if they belong to the data set',
                severity='note'))
    return table[~bad], problems
