"""Check every file a config's datasets read, and list all problems at once.

:class:`ISICDatasetChecker` is the engine of ``tools/check_dataset.py``. For
each dataset of ``train_dataloader``, ``val_dataloader`` and
``test_dataloader`` (members of a ``ConcatDataset`` and wrapped datasets
included) it

1. runs the structural checks the dataset runs when it is built
   (:meth:`CheckedDatasetMixin.scan_data_list`: folders, image/mask pairs,
   duplicate ids, CSV content), without stopping at the first problem;
2. decodes every image fully with Pillow (truncated, corrupt, empty and
   non-image files; JPEGs damaged in the middle, which Pillow and OpenCV
   decode silently, through a strict libjpeg decode; grayscale, alpha,
   palette, 16-bit and CMYK images; EXIF orientation) and every mask the
   way the pipeline's ``LoadISICAnnotations`` does (size against the image
   *as the pipeline loads it*, values other than 0/255, masks that binarise
   to nothing, multi-channel masks);
3. looks across datasets: the same image id from two sources of one
   split, and training images that are also in the validation or test set.

Severities: an **error** is a problem that would crash a run or make it
learn or score something wrong; a **note** is something the loaders convert
or ignore (grayscale/RGBA/16-bit/CMYK images, EXIF orientation, anti-aliased
masks, images without a CSV row...), listed so that nothing happens
silently.
"""
import copy
import os.path as osp
import warnings
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Iterator, List, Optional, Sequence, Tuple

import mmcv
import numpy as np
from PIL import Image, UnidentifiedImageError

from ..datasets.checked_dataset_mixin import CheckedDatasetMixin
from ..datasets.data_problem import DataProblem
from ..datasets.layout_checks import EXAMPLE_ROOT_KEY
from ..datasets.strict_jpeg import jpeg_corruption
from ..datasets.transforms.load_isic_annotations import binarize_isic_mask

#: The dataloaders a config's datasets are read from, in report order.
SPLITS = ('train', 'val', 'test')

#: What the loaders do with images that are not 8-bit RGB (PIL mode -> note).
MODE_NOTES = {
    '1': '1-bit black and white image: read as 8-bit RGB',
    'L': 'grayscale image: read as three equal colour channels',
    'LA': 'grayscale image with alpha: the alpha channel is dropped and the '
          'image read as three equal colour channels',
    'P': 'palette image: converted to RGB when read',
    'PA': 'palette image with alpha: converted to RGB, alpha dropped',
    'RGBA': 'RGBA image: the alpha channel is dropped',
    'RGBX': 'RGBX image: the padding channel is dropped',
    'CMYK': 'CMYK JPEG: converted to RGB by the decoder (colours can differ '
            'from an sRGB export)',
    'YCbCr': 'YCbCr image: converted to RGB when read',
    'I': '32-bit integer image: scaled to 8-bit RGB when read',
    'I;16': '16-bit grayscale image: scaled to 8 bits and read as three '
            'equal colour channels',
    'I;16B': '16-bit grayscale image: scaled to 8 bits and read as three '
             'equal colour channels',
    'I;16L': '16-bit grayscale image: scaled to 8 bits and read as three '
             'equal colour channels',
    'F': 'floating-point image: converted to 8-bit RGB when read',
}

#: EXIF Orientation tag values other than 1 (normal).
ORIENTATIONS = {
    2: 'mirrored left-right',
    3: 'rotated 180 degrees',
    4: 'mirrored top-bottom',
    5: 'transposed',
    6: 'rotated 90 degrees clockwise',
    7: 'transversed',
    8: 'rotated 90 degrees counter-clockwise',
}
EXIF_ORIENTATION = 274

_REDOWNLOAD = 're-download or re-export it (or remove it with its mask/row)'


@dataclass(frozen=True)
class LoadingOptions:
    """How a dataset's pipeline reads images and masks.

    Args:
        apply_orientation (bool): ``LoadImageFromFile`` turns EXIF-rotated
            images (``color_type`` 'color' or 'grayscale' with the cv2 or
            pillow backend). Defaults to False.
        color_type (str): ``LoadImageFromFile.color_type``.
            Defaults to 'color_ignore_orientation'.
        mask_backend (str): The mask decoder of ``LoadISICAnnotations``.
            Defaults to 'pillow' (mmseg's default).
        threshold (int): The mask binarisation threshold. Defaults to 128.
        mask_loader (str, optional): Class name of the transform that loads
            masks, None without one. Defaults to None.
    """
    apply_orientation: bool = False
    color_type: str = 'color_ignore_orientation'
    mask_backend: str = 'pillow'
    threshold: int = 128
    mask_loader: Optional[str] = None


def loading_options(dataset) -> LoadingOptions:
    """Read :class:`LoadingOptions` from ``dataset.pipeline``."""
    options = {}
    for transform in getattr(getattr(dataset, 'pipeline', None),
                             'transforms', []):
        name = type(transform).__name__
        if hasattr(transform, 'color_type') and 'Image' in name:
            color_type = transform.color_type
            backend = getattr(transform, 'imdecode_backend', 'cv2')
            options['color_type'] = color_type
            options['apply_orientation'] = (
                color_type in ('color', 'grayscale')
                and backend in ('cv2', 'pillow'))
        elif name in ('LoadISICAnnotations', 'LoadAnnotations'):
            options['mask_loader'] = name
            options['mask_backend'] = getattr(transform, 'imdecode_backend',
                                              'pillow')
            options['threshold'] = getattr(transform, 'threshold', 128)
    return LoadingOptions(**options)


def _file_problem(path: str, what: str) -> Optional[DataProblem]:
    """A problem if ``path`` is missing, unreadable or empty."""
    if not osp.exists(path):
        return DataProblem(path, f'{what} does not exist', _REDOWNLOAD,
                           missing_file=True)
    try:
        size = osp.getsize(path)
        with open(path, 'rb'):
            pass
    except OSError as exc:
        return DataProblem(path, f'{what} cannot be read: {exc}',
                           'check its permissions')
    if size == 0:
        return DataProblem(path, f'{what} is an empty file (0 bytes)',
                           _REDOWNLOAD)
    return None


def _head(path: str, n: int = 32) -> bytes:
    with open(path, 'rb') as f:
        return f.read(n)


def _not_an_image(path: str, what: str) -> DataProblem:
    head = _head(path)
    looks = ''
    if head.lstrip().lower().startswith((b'<!doctype', b'<html', b'<?xml')):
        looks = ', it looks like a web page (a failed download?)'
    elif head.lstrip().startswith((b'{', b'[')):
        looks = ', it looks like JSON (an error response?)'
    return DataProblem(
        path, f'{what} is not an image Pillow can identify (it starts with '
        f'{head[:16]!r}{looks})',
        'replace it with the real image file (re-download it)')


def inspect_image(
        path: str,
        options: LoadingOptions = LoadingOptions(),
) -> Tuple[Optional[Tuple[int, int]], int, List[DataProblem]]:
    """Decode an image fully and report what is wrong or converted with it.

    Args:
        path (str): The image.
        options (LoadingOptions): How the pipeline reads it.

    Returns:
        tuple: ``(height, width)`` as the pipeline loads it (None if it
        cannot be decoded), its EXIF orientation (1 without one) and the
        problems.
    """
    problem = _file_problem(path, 'image')
    if problem is not None:
        return None, 1, [problem]
    problems = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always', Image.DecompressionBombWarning)
            with Image.open(path) as im:
                fmt, mode, (width, height) = im.format, im.mode, im.size
                try:
                    orientation = int(im.getexif().get(EXIF_ORIENTATION, 1))
                except Exception as exc:  # noqa: BLE001 - broken EXIF block
                    orientation = 1
                    problems.append(DataProblem(
                        path, f'its EXIF block cannot be read ({exc}); it is '
                        'ignored', '', severity='note'))
                im.load()
    except UnidentifiedImageError:
        return None, 1, [_not_an_image(path, 'file')]
    except Image.DecompressionBombError as exc:
        return None, 1, [DataProblem(
            path, f'image too large to decode safely: {exc}',
            'downscale it first (tools/prepare_isic.py)')]
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return None, 1, [DataProblem(
            path, f'truncated or corrupt image: {type(exc).__name__}: {exc}',
            _REDOWNLOAD)]
    if fmt == 'JPEG':
        with open(path, 'rb') as f:
            corruption = jpeg_corruption(f.read())
        if corruption is not None:
            return None, 1, [DataProblem(
                path, f'corrupt JPEG data (libjpeg: {corruption}): OpenCV '
                'and Pillow decode it without an error into grey or smeared '
                'blocks', _REDOWNLOAD)]
    if any(issubclass(w.category, Image.DecompressionBombWarning)
           for w in caught):
        problems.append(DataProblem(
            path, f'very large image ({width}x{height}, '
            f'{width * height / 1e6:.0f} MP): slow to decode',
            'train on downscaled copies (tools/prepare_isic.py)',
            severity='note'))
    if mode in MODE_NOTES:
        problems.append(DataProblem(path, MODE_NOTES[mode], '',
                                    severity='note'))
    elif mode not in ('RGB', ):
        problems.append(DataProblem(
            path, f'unusual image mode {mode!r}: converted to RGB when read',
            'check that it looks right', severity='note'))
    if fmt == 'PNG' and mode in ('RGB', 'RGBA'):
        head = _head(path, 26)
        if len(head) >= 25 and head[24] == 16:
            problems.append(DataProblem(
                path, '16-bit colour PNG: reduced to 8 bits per channel when '
                'read', '', severity='note'))
    rotated = orientation in (5, 6, 7, 8)
    if orientation in ORIENTATIONS:
        if options.apply_orientation:
            how = (f'the pipeline applies it (LoadImageFromFile color_type='
                   f'{options.color_type!r}), so its mask must fit the '
                   'turned image')
        else:
            how = ('training reads the stored pixels (color_type='
                   f'{options.color_type!r}), as masks and the ISIC scorer '
                   'are read, so its mask must fit the stored image')
        problems.append(DataProblem(
            path, f'EXIF orientation {orientation} '
            f'({ORIENTATIONS[orientation]}): {how}', '', severity='note'))
    if options.apply_orientation and rotated:
        return (width, height), orientation, problems
    return (height, width), orientation, problems


def inspect_mask(path: str,
                 image_shape: Optional[Tuple[int, int]] = None,
                 image_path: str = '',
                 orientation: int = 1,
                 options: LoadingOptions = LoadingOptions()
                 ) -> List[DataProblem]:
    """Decode a mask as ``LoadISICAnnotations`` does; report its problems.

    Args:
        path (str): The mask.
        image_shape (tuple[int, int], optional): ``(height, width)`` of its
            image as the pipeline loads it; None skips the size check.
            Defaults to None.
        image_path (str): The image, for messages. Defaults to ''.
        orientation (int): The image's EXIF orientation. Defaults to 1.
        options (LoadingOptions): How the pipeline reads image and mask.

    Returns:
        list[DataProblem]: Problems.
    """
    problem = _file_problem(path, 'mask')
    if problem is not None:
        return [problem]
    with open(path, 'rb') as f:
        data = f.read()
    try:
        with Image.open(path) as im:
            im.load()
    except UnidentifiedImageError:
        return [_not_an_image(path, 'mask')]
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return [DataProblem(
            path, f'truncated or corrupt mask: {type(exc).__name__}: {exc}',
            _REDOWNLOAD)]
    fix_format = 'save it as an 8-bit grayscale PNG (0 = skin, 255 = lesion)'
    try:
        mask = mmcv.imfrombytes(data, flag='unchanged',
                                backend=options.mask_backend)
        reason = ''
    except Exception as exc:  # noqa: BLE001 - any decoder failure
        mask, reason = None, f': {exc}'
    if mask is None:
        return [DataProblem(
            path, f'the mask decoder ({options.mask_backend}) cannot read '
            f'it{reason}', fix_format)]
    problems = []
    if mask.ndim == 3:
        channels = mask.shape[2]
        colour = mask[..., :3] if channels >= 3 else mask[..., :1]
        if colour.shape[2] > 1 and not all(
                np.array_equal(colour[..., 0], colour[..., c])
                for c in range(1, colour.shape[2])):
            problems.append(DataProblem(
                path, f'{channels}-channel mask whose colour channels differ: '
                'LoadISICAnnotations reads only the first channel',
                fix_format))
        else:
            alpha = ' (alpha ignored)' if channels in (2, 4) else ''
            problems.append(DataProblem(
                path, f'{channels}-channel mask with equal colour channels'
                f'{alpha}: read as its first channel', '', severity='note'))
        single = mask[..., 0]
    else:
        single = mask
    if single.dtype == bool:
        single = single.astype(np.uint8) * 255
    elif single.dtype == np.uint16:
        problems.append(DataProblem(
            path, '16-bit mask: scaled to 8 bits (value // 257) before '
            'binarising', '', severity='note'))
        single = (single // 257).astype(np.uint8)
    labels = binarize_isic_mask(single, options.threshold)
    largest = int(single.max()) if single.size else 0
    other = int(np.count_nonzero((single != 0) & (single != 255)))
    if largest > 0 and not labels.any():
        problems.append(DataProblem(
            path, f'no value is above {options.threshold} (the largest is '
            f'{largest}): binarised as the ISIC scorer does, the mask has no '
            'lesion pixel (a 0/1 label or palette-index mask?)',
            'save lesion pixels as 255 in an 8-bit grayscale PNG'))
    elif other:
        problems.append(DataProblem(
            path, f'{other} pixel(s) ({100 * other / single.size:.2f}%) are '
            f'neither 0 nor 255 (anti-aliased edge?): binarised at > '
            f'{options.threshold} as the ISIC scorer does, '
            f'{int(np.count_nonzero(labels))} lesion pixel(s) remain', '',
            severity='note'))
    if largest == 0:
        problems.append(DataProblem(
            path, 'no lesion pixel (the mask is all 0)',
            'check that it is the right mask', severity='note'))
    if image_shape is not None and tuple(single.shape) != tuple(image_shape):
        (mh, mw), (ih, iw) = single.shape, image_shape
        fix = ('resize the mask to its image size with nearest-neighbour '
               'interpolation, or re-export the pair')
        if (mh, mw) == (iw, ih) and orientation in (5, 6, 7, 8):
            if options.apply_orientation:
                fix = ("the mask fits the stored image: load images with "
                       "LoadImageFromFile(color_type="
                       "'color_ignore_orientation') as the configs of "
                       'isic_plugins do')
            else:
                fix = ('the mask fits the image turned by its EXIF '
                       'orientation: rotate the mask to the stored '
                       'orientation (or rewrite the image without the tag, '
                       'e.g. PIL ImageOps.exif_transpose, and keep the mask)')
        problems.append(DataProblem(
            path, f'mask is {mw}x{mh} but its image {image_path} is '
            f'{iw}x{ih} as the pipeline loads it', fix))
    return problems


def inspect_sample(task: Tuple[str, Optional[str], LoadingOptions]
                   ) -> List[DataProblem]:
    """Inspect an image and its mask (a picklable task for worker pools).

    Args:
        task (tuple): ``(image path, mask path or None, LoadingOptions)``.

    Returns:
        list[DataProblem]: Problems of both files.
    """
    img_path, seg_map_path, options = task
    shape, orientation, problems = inspect_image(img_path, options)
    if seg_map_path:
        problems += inspect_mask(seg_map_path, shape, img_path, orientation,
                                 options)
    return problems


@dataclass
class CheckedDataset:
    """What the checker found in one dataset of a config.

    Args:
        key (str): Its config key, e.g. 'train_dataloader.dataset'.
        type (str): The dataset class.
        samples (int): Number of usable samples found.
        problems (list[DataProblem]): Problems.
        same_as (str, optional): Key of an identical dataset checked
            before (this one is then not checked again).
    """
    key: str
    type: str
    samples: int = 0
    problems: List[DataProblem] = field(default_factory=list)
    same_as: Optional[str] = None

    @property
    def split(self) -> str:
        """'train', 'val' or 'test'."""
        return self.key.split('_', 1)[0]


def dataset_leaves(node, key: str) -> Iterator[Tuple[str, dict]]:
    """``(config key, dataset config)`` of every dataset that reads files.

    Recurses into ``datasets`` (``ConcatDataset``) and ``dataset``
    (``RepeatDataset``, ``ClassBalancedDataset``...).
    """
    if not isinstance(node, dict):
        return
    if isinstance(node.get('datasets'), (list, tuple)):
        for i, child in enumerate(node['datasets']):
            yield from dataset_leaves(child, f'{key}.datasets.{i}')
    elif isinstance(node.get('dataset'), dict):
        yield from dataset_leaves(node['dataset'], f'{key}.dataset')
    else:
        yield key, node


def _image_id(info: dict) -> str:
    return info.get('image_id') or osp.splitext(
        osp.basename(info['img_path']))[0]


class ISICDatasetChecker:
    """Check every file of the datasets a config reads.

    Args:
        cfg (mmengine.Config): The config (after ``--cfg-options``).
        splits (Sequence[str]): Which dataloaders to check.
            Defaults to ('train', 'val', 'test').
        workers (int): Processes that decode files. Defaults to 1.
        progress (bool): Show a progress bar. Defaults to True.
    """

    def __init__(self,
                 cfg,
                 splits: Sequence[str] = SPLITS,
                 workers: int = 1,
                 progress: bool = True) -> None:
        unknown = sorted(set(splits) - set(SPLITS))
        if unknown:
            raise ValueError(f'splits must be among {SPLITS}, got {unknown}')
        self.cfg = cfg
        self.splits = tuple(splits)
        self.workers = max(1, int(workers))
        self.progress = progress

    def _prepare_scope(self) -> None:
        from mmengine.registry import init_default_scope
        from mmengine.utils import import_modules_from_strings
        if self.cfg.get('custom_imports'):
            import_modules_from_strings(**self.cfg['custom_imports'])
        init_default_scope(self.cfg.get('default_scope', 'mmseg'))

    def _build(self, key: str, node: dict):
        """Build a leaf dataset without loading it; (dataset, problems)."""
        from mmengine.registry import DATASETS
        node = copy.deepcopy(node)
        node['lazy_init'] = True
        try:
            return DATASETS.build(node), []
        except Exception as exc:  # noqa: BLE001 - report, don't crash
            return None, [DataProblem(
                key, f'cannot build {node.get("type")}: '
                f'{type(exc).__name__}: {exc}', 'fix this dataset in the '
                'config (or with --cfg-options)')]

    @staticmethod
    def _scan(key: str, dataset) -> Tuple[List[dict], List[DataProblem]]:
        """The dataset's data infos and structural problems."""
        if isinstance(dataset, CheckedDatasetMixin):
            data_list, problems = dataset.scan_data_list()
            return data_list, list(dict.fromkeys(problems))
        try:
            dataset.full_init()
            return [dataset.get_data_info(i)
                    for i in range(len(dataset))], []
        except Exception as exc:  # noqa: BLE001 - report, don't crash
            return [], [DataProblem(
                key, f'{type(dataset).__name__} cannot load its data list: '
                f'{type(exc).__name__}: {exc}', 'fix the data or the config')]

    @staticmethod
    def _pipeline_problems(key: str, data_list: List[dict],
                           options: LoadingOptions) -> List[DataProblem]:
        has_masks = any('seg_map_path' in d for d in data_list)
        if has_masks and options.mask_loader == 'LoadAnnotations':
            return [DataProblem(
                key, "the pipeline loads masks with mmseg's LoadAnnotations, "
                'which keeps the raw 0/255 values (255 is the ignore index: '
                'the lesion would never be learned or scored)',
                "use dict(type='LoadISICAnnotations') instead")]
        return []

    def collect(self) -> Tuple[List[CheckedDataset], List[Tuple]]:
        """Structural checks of every dataset; the files left to decode.

        Returns:
            tuple: The :class:`CheckedDataset` of every leaf dataset, and
            ``(dataset index, data info, LoadingOptions)`` per sample.
        """
        self._prepare_scope()
        checked, samples, seen = [], [], {}
        for split in self.splits:
            loader = self.cfg.get(f'{split}_dataloader')
            if not loader or not loader.get('dataset'):
                continue
            root_key = f'{split}_dataloader.dataset'
            for key, node in dataset_leaves(loader['dataset'], root_key):
                entry = CheckedDataset(key, str(node.get('type')))
                checked.append(entry)
                signature = repr(node)
                if signature in seen:
                    entry.same_as = seen[signature]
                    continue
                seen[signature] = key
                dataset, problems = self._build(key, node)
                entry.problems += problems
                if dataset is None:
                    continue
                entry.type = type(dataset).__name__
                data_list, problems = self._scan(key, dataset)
                options = loading_options(dataset)
                entry.problems += problems
                entry.problems += self._pipeline_problems(
                    key, data_list, options)
                entry.samples = len(data_list)
                entry.problems = [
                    replace(p, fix=p.fix.replace(EXAMPLE_ROOT_KEY,
                                                 f'{key}.data_root'))
                    for p in entry.problems]
                index = len(checked) - 1
                samples += [(index, info, options) for info in data_list]
        return checked, samples

    def _decode_all(self, checked: List[CheckedDataset],
                    samples: List[Tuple]) -> None:
        """Decode every file once; add its problems to its dataset."""
        tasks, owners = [], defaultdict(list)
        for index, info, options in samples:
            task = (info['img_path'], info.get('seg_map_path'), options)
            if task not in owners:
                tasks.append(task)
            owners[task].append(index)
        if not tasks:
            return
        if self.workers > 1:
            import mmengine
            results = mmengine.track_parallel_progress(
                inspect_sample, tasks, nproc=self.workers, keep_order=True)
        elif self.progress:
            import mmengine
            results = mmengine.track_progress(inspect_sample, tasks)
        else:
            results = [inspect_sample(t) for t in tasks]
        for task, problems in zip(tasks, results):
            checked[owners[task][0]].problems += problems

    @staticmethod
    def _cross_problems(checked: List[CheckedDataset],
                        samples: List[Tuple]) -> List[DataProblem]:
        """Ids that come twice within a split, or from train and val/test."""
        by_split = defaultdict(lambda: defaultdict(dict))
        for index, info, _ in samples:
            entry = checked[index]
            by_split[entry.split][_image_id(info)].setdefault(
                osp.realpath(info['img_path']), (entry.key, info['img_path']))
        problems = []
        for split, ids in by_split.items():
            for image_id, sources in sorted(ids.items()):
                if len(sources) < 2:
                    continue
                (first_key, first), *others = sources.values()
                for key, path in others:
                    problems.append(DataProblem(
                        path, f'duplicate image id {image_id}: also read from '
                        f'{first} ({first_key}); the {split} data would hold '
                        'it twice',
                        'remove it from one of the sources (e.g. from the '
                        'archive folder or metadata CSV)'))
        for held_out in ('val', 'test'):
            for image_id, sources in sorted(by_split[held_out].items()):
                if image_id not in by_split['train']:
                    continue
                train_key, train_path = next(iter(
                    by_split['train'][image_id].values()))
                _, held_path = next(iter(sources.values()))
                problems.append(DataProblem(
                    train_path, f'image id {image_id} is in the training data '
                    f'({train_key}) and in the {held_out} data ({held_path}):'
                    f' the {held_out} score would be inflated',
                    'remove it from the training data'))
        return problems

    def run(self) -> Tuple[List[CheckedDataset], List[DataProblem]]:
        """Check everything.

        Returns:
            tuple: The :class:`CheckedDataset` of each dataset and the
            problems found across datasets.
        """
        checked, samples = self.collect()
        self._decode_all(checked, samples)
        return checked, self._cross_problems(checked, samples)


def format_report(checked: Sequence[CheckedDataset],
                  cross: Sequence[DataProblem],
                  show_notes: bool = True) -> Tuple[str, int]:
    """The text ``tools/check_dataset.py`` prints, and the error count.

    Args:
        checked (Sequence[CheckedDataset]): Per-dataset results.
        cross (Sequence[DataProblem]): Problems across datasets.
        show_notes (bool): List notes too (they are always counted).
            Defaults to True.

    Returns:
        tuple[str, int]: The report and the number of errors.
    """
    lines, errors, notes, samples = [], 0, 0, 0
    sections = [(f'{c.key} ({c.type})', c) for c in checked]
    sections.append(('across datasets', None))
    for title, entry in sections:
        if entry is not None and entry.same_as:
            lines.append(f'{title}: same as {entry.same_as}, checked once')
            continue
        problems = list(entry.problems if entry is not None else cross)
        n_err = sum(p.is_error for p in problems)
        n_note = len(problems) - n_err
        errors, notes = errors + n_err, notes + n_note
        head = f'{title}: '
        if entry is not None:
            samples += entry.samples
            head += f'{entry.samples} sample(s), '
        if not problems:
            lines.append(f'{head}no problems')
            continue
        lines.append(f'{head}{n_err} error(s), {n_note} note(s)')
        shown = [p for p in problems if p.is_error or show_notes]
        # errors first, then by file, so each file's problems stay together
        for problem in sorted(shown, key=lambda p: (not p.is_error, p.path)):
            lines.append(problem.format('  '))
    anti_aliased = sum(
        'neither 0 nor 255' in p.message
        for c in checked for p in c.problems)
    lines.append('')
    lines.append(
        f'{errors} error(s), {notes} note(s) in {samples} sample(s) of '
        f'{sum(1 for c in checked if not c.same_as)} dataset(s); '
        f'{anti_aliased} mask(s) with values other than 0/255 (binarised at '
        '> 128).' + (' Fix the errors above and run this again.'
                     if errors else ''))
    return '\n'.join(lines), errors
