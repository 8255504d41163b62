"""ISIC 2017 Part 3 (lesion classification) dataset."""
from typing import Dict, List, Optional, Tuple

import mmengine.fileio as fileio
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from . import isic_layout
from .checked_dataset_mixin import CheckedDatasetMixin
from .data_problem import DataProblem
from .isic_layout import IMAGE_SUFFIX, PART3_COLUMNS, mask_name
from .layout_checks import check_part3_table, read_csv, scan_image_folder

#: Ground-truth columns of the ISIC 2017 Part 3 CSV (0/1 each; a row with
#: both 0 is a nevus).
TASK_COLUMNS = PART3_COLUMNS[1:]

#: Class names of each task; a label is the index into its tuple.
TASK_CLASSES: Dict[str, tuple] = {
    'multiclass': ('melanoma', 'seborrheic_keratosis', 'nevus'),
    'melanoma': ('other', 'melanoma'),
    'seborrheic_keratosis': ('other', 'seborrheic_keratosis'),
}


def task_label(task: str, melanoma: int, seborrheic_keratosis: int) -> int:
    """The class index of one lesion for ``task``.

    Args:
        task (str): One of :data:`TASK_CLASSES`.
        melanoma (int): 1 for a melanoma, else 0.
        seborrheic_keratosis (int): 1 for a seborrheic keratosis, else 0.

    Returns:
        int: 0/1/2 (melanoma / SK / nevus) for 'multiclass'; 1 for the
        positive class of a binary task, else 0.
    """
    if task == 'multiclass':
        return 0 if melanoma else 1 if seborrheic_keratosis else 2
    return int(melanoma if task == 'melanoma' else seborrheic_keratosis)


@DATASETS.register_module()
class ISIC2017ClassificationDataset(CheckedDatasetMixin, BaseDataset):
    """ISIC 2017 challenge Part 3 dataset: dermoscopy image + diagnosis.

    One split of the challenge layout (the folder and file names are in
    :mod:`isic_plugins.datasets.isic_layout`): ``data_prefix`` is the
    split's image folder (``isic_layout.image_dir(split)``) and ``ann_file``
    its Part 3 CSV (``isic_layout.part3_csv(split)``)::

        data/ISIC2017
        ├── <image folder>
        │   ├── ISIC_0000000.jpg
        │   └── ...
        └── <Part 3 CSV>
                image_id,melanoma,seborrheic_keratosis
                ISIC_0000000,0.0,0.0     (neither: a nevus)
                ISIC_0000002,1.0,0.0

    ``ann_file`` is the Part 3 CSV and ``data_prefix`` the image folder.
    Every CSV row must have an image ``<image_id><img_suffix>``; images
    without a row are ignored (the challenge folders also hold
    ``*_superpixels.png`` files). Building the dataset raises one error
    naming every problem of the CSV and the folder (see
    :class:`CheckedDatasetMixin`).

    ``task`` picks the labels the model learns:

    - ``'multiclass'``: melanoma (0), seborrheic_keratosis (1), nevus (2);
    - ``'melanoma'``: other (0), melanoma (1);
    - ``'seborrheic_keratosis'``: other (0), seborrheic_keratosis (1).

    Whatever the task, each data info also keeps ``image_id`` and the CSV's
    ``melanoma`` / ``seborrheic_keratosis`` values (0/1), so that
    :class:`ISICClassificationMetric` can score both challenge tasks when
    ``PackInputs`` lists them in ``meta_keys``.

    With ``lesion_mask_dir``, each data info also gets ``lesion_mask_path``,
    the image's predicted mask ``<lesion_mask_dir>/<image_id>_segmentation
    .png`` (as ``tools/predict.py --masks-only`` writes them; the folder is
    :func:`~isic_plugins.datasets.isic_layout.lesion_mask_dir`), for the
    :class:`LesionCrop` transform. A missing folder or mask is a build-time
    error naming the command that writes them.

    Args:
        ann_file (str): The Part 3 ground-truth CSV, relative to
            ``data_root`` unless absolute.
        task (str): 'multiclass', 'melanoma' or 'seborrheic_keratosis'.
            Defaults to 'multiclass'.
        img_suffix (str): Image file suffix. Defaults to '.jpg'.
        metainfo (dict, optional): Overrides the class-level metainfo.
            Defaults to None.
        data_root (str): Root of ``ann_file`` and ``data_prefix``.
            Defaults to ''.
        data_prefix (str | dict): The image folder. Defaults to ''.
        backend_args (dict, optional): Arguments of the file backend that
            reads the CSV and lists the images. Defaults to None.
        lesion_mask_dir (str, optional): Folder of predicted lesion masks
            (relative to the working directory unless absolute; not
            ``data_root``: they are a model's output, not the data set's).
            Defaults to None (no masks).
        **kwargs: Passed to :class:`CheckedDatasetMixin` (``on_bad_sample``,
            ``max_bad_samples``) and :class:`mmpretrain.datasets.BaseDataset`.
    """
    METAINFO = dict(classes=TASK_CLASSES['multiclass'], task='multiclass')
    TASKS = tuple(TASK_CLASSES)

    def __init__(self,
                 ann_file: str,
                 task: str = 'multiclass',
                 img_suffix: str = IMAGE_SUFFIX,
                 metainfo: Optional[dict] = None,
                 data_root: str = '',
                 data_prefix: str = '',
                 backend_args: Optional[dict] = None,
                 lesion_mask_dir: Optional[str] = None,
                 **kwargs) -> None:
        if task not in self.TASKS:
            raise ValueError(
                f'{type(self).__name__}: task must be one of '
                f'{list(self.TASKS)}, but got {task!r}')
        self.task = task
        self.img_suffix = img_suffix
        self.backend_args = backend_args
        self.lesion_mask_dir = lesion_mask_dir
        # The task decides the classes (a user-given metainfo may rename
        # them).
        metainfo = {'classes': TASK_CLASSES[task], **(metainfo or {})}
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            data_prefix=data_prefix,
            **kwargs)
        # Set after loading: mmengine would try to read a string metainfo
        # value as a file name. ``task`` always follows the argument, since
        # the labels do.
        self._metainfo['task'] = task

    def _image_paths(self) -> Tuple[Optional[Dict[str, str]],
                                    List[DataProblem]]:
        """``{image id: path}`` of the image folder (None if it is missing)
        and the folder's problems (listed once)."""
        image_paths, problems = scan_image_folder(
            self.img_prefix, self.img_suffix, self.data_root,
            self.backend_args)
        if not fileio.isdir(self.img_prefix, backend_args=self.backend_args):
            return None, problems
        return image_paths, problems

    def _img_path(self, image_id: str) -> str:
        return fileio.join_path(self.img_prefix, image_id + self.img_suffix)

    def _make_data_info(self, image_id: str, melanoma: int,
                        seborrheic_keratosis: int) -> dict:
        info = dict(
            img_path=self._img_path(image_id),
            gt_label=task_label(self.task, melanoma, seborrheic_keratosis),
            image_id=image_id,
            melanoma=int(melanoma),
            seborrheic_keratosis=int(seborrheic_keratosis))
        if self.lesion_mask_dir is not None:
            info['lesion_mask_path'] = fileio.join_path(
                self.lesion_mask_dir, mask_name(image_id))
        return info

    def _lesion_mask_problems(self,
                              data_list: List[dict]) -> List[DataProblem]:
        """A missing mask folder, or the images it has no mask for."""
        if self.lesion_mask_dir is None:
            return []
        fix = ('predict them once: python tools/predict.py IMAGE_FOLDER '
               '--seg-config C --seg-checkpoint K --masks-only --out DIR '
               f'(the masks land in {isic_layout.lesion_mask_dir("DIR")})')
        if not fileio.isdir(self.lesion_mask_dir,
                            backend_args=self.backend_args):
            return [DataProblem(self.lesion_mask_dir,
                                'lesion mask folder (lesion_mask_dir) does '
                                'not exist', fix, missing_file=True)]
        present = set(fileio.list_dir_or_file(
            self.lesion_mask_dir, list_dir=False,
            backend_args=self.backend_args))
        missing = [info['image_id'] for info in data_list
                   if mask_name(info['image_id']) not in present]
        if not missing:
            return []
        shown = ', '.join(missing[:5]) + (' ...' if len(missing) > 5 else '')
        return [DataProblem(self.lesion_mask_dir,
                            f'no predicted mask for {len(missing)} of '
                            f'{len(data_list)} images ({shown})', fix,
                            missing_file=True)]

    def scan_data_list(self) -> Tuple[List[dict], List[DataProblem]]:
        """One data info per valid row of the Part 3 CSV, in the CSV's order.

        Every problem is collected (see :func:`check_part3_table`): missing
        columns, blank or repeated ids, values outside {0, 1}, rows marked
        both melanoma and seborrheic keratosis, ids without an image, a
        missing CSV or image folder.

        Returns:
            tuple[list[dict], list[DataProblem]]: ``img_path``,
            ``gt_label``, ``image_id``, ``melanoma`` and
            ``seborrheic_keratosis`` per image, and the problems.
        """
        table, problems = read_csv(self.ann_file, self.backend_args,
                                   'Part 3 ground-truth CSV')
        image_paths, more = self._image_paths()
        problems += more
        if table is None:
            return [], problems
        table, more = check_part3_table(table, self.ann_file, image_paths,
                                        self.img_prefix, self.img_suffix)
        problems += more
        data_list = [
            self._make_data_info(row.image_id, row.melanoma,
                                 row.seborrheic_keratosis)
            for row in table.itertuples(index=False)
        ]
        return data_list, problems + self._lesion_mask_problems(data_list)

    def extra_repr(self) -> List[str]:
        """Task and annotation file, shown by ``repr(dataset)``."""
        lines = [f'Task: \t{self.task}',
                 f'Annotation file: \t{self.ann_file}']
        if self.lesion_mask_dir is not None:
            lines.append(f'Lesion masks: \t{self.lesion_mask_dir}')
        return lines
