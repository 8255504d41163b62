"""Datasets that report all their problems at once and survive bad samples."""
import logging
import os
from typing import Dict, List, Tuple

from mmengine.logging import print_log

from .data_problem import DataProblem, DataProblemError, errors_of
from .strict_jpeg import jpeg_corruption

#: Values of ``on_bad_sample``.
BAD_SAMPLE_POLICIES = ('stop', 'skip')


class BadSampleError(RuntimeError):
    """A sample failed in the pipeline (undecodable image, bad mask...)."""


class CheckedDatasetMixin:
    """Structural checks at build time and a policy for bad samples.

    Mixed into the ISIC datasets in front of the mmengine ``BaseDataset``
    subclass they extend:

    - **At build time** ``load_data_list`` calls :meth:`scan_data_list`,
      which lists folders and reads CSVs (cheap: no image is decoded) and
      returns every structural problem (missing masks, masks without
      images, duplicate ids, empty folders, a missing data root, CSV
      errors). If any is an error, ONE :class:`DataProblemError` names them
      all, each with its file and fix; ``tools/check_dataset.py`` also
      decodes every file.
    - **While running**, a sample whose pipeline raises (an image that
      stopped decoding, a mask of the wrong size...) or whose JPEG image
      has corrupt data (bytes overwritten in the middle: OpenCV would
      decode it silently into grey blocks; each file is checked with a
      strict libjpeg decode the first time a process reads it, and again
      if it changes) either stops the run
      with a :class:`BadSampleError` naming its files (``on_bad_sample=
      'stop'``, the default) or is skipped (``'skip'``): the failure is
      logged once per file with a running count, and mmengine's
      ``BaseDataset`` draws another sample in its place. Skipping is for
      training sets only: in ``test_mode`` a bad sample always stops, and
      validation/test sets should keep 'stop' so that every image is
      scored exactly once.

    Args:
        on_bad_sample (str): 'stop' or 'skip'. Defaults to 'stop'.
        max_bad_samples (int): With 'skip', stop anyway once more than this
            many different samples failed in one process (a broken pipeline
            fails every sample). Defaults to 100.
        strict_jpeg (bool): Check JPEG images with a strict decode before
            the pipeline reads them (about 3 ms per megapixel, once per file
            and process). Defaults to True.
        **kwargs: Passed to the dataset base class.
    """

    def __init__(self,
                 *args,
                 on_bad_sample: str = 'stop',
                 max_bad_samples: int = 100,
                 strict_jpeg: bool = True,
                 **kwargs) -> None:
        if on_bad_sample not in BAD_SAMPLE_POLICIES:
            raise ValueError(
                f'{type(self).__name__}: on_bad_sample must be one of '
                f'{list(BAD_SAMPLE_POLICIES)}, but got {on_bad_sample!r}')
        self.on_bad_sample = on_bad_sample
        self.max_bad_samples = max_bad_samples
        self.bad_samples: Dict[str, str] = {}
        self.strict_jpeg = strict_jpeg
        # image path -> (mtime_ns, size) of the version that passed
        self._checked_jpegs: Dict[str, Tuple[int, int]] = {}
        super().__init__(*args, **kwargs)

    def scan_data_list(self) -> Tuple[List[dict], List[DataProblem]]:
        """Data infos of the usable samples and every problem found.

        Must not decode images and must not raise on bad data.

        Returns:
            tuple[list[dict], list[DataProblem]]: Data infos and problems.
        """
        raise NotImplementedError

    def load_data_list(self) -> List[dict]:
        """Data infos, or one error that lists every structural problem.

        Returns:
            list[dict]: The data infos of :meth:`scan_data_list`.

        Raises:
            DataProblemError: If any problem is an error or there is no
                sample at all.
        """
        data_list, problems = self.scan_data_list()
        problems = list(dict.fromkeys(problems))  # e.g. one missing root
        if not data_list and not errors_of(problems):
            problems = problems + [DataProblem(
                self.data_root or str(self.data_prefix),
                f'{type(self).__name__} has no samples',
                'check the folders, the CSV and the filters in the config')]
        if errors_of(problems):
            raise DataProblemError.from_problems(problems, type(self).__name__)
        notes = [p for p in problems if not p.is_error]
        if notes:
            print_log(
                f'{type(self).__name__}: {len(notes)} note(s), e.g. '
                f'{notes[0].path}: {notes[0].message} (tools/check_dataset.py '
                'lists them all)', logger='current')
        return data_list

    def _describe(self, idx: int) -> str:
        try:
            info = self.get_data_info(idx)
        except Exception:  # noqa: BLE001 - only for the message
            return f'sample {idx}'
        files = [info[k] for k in ('img_path', 'seg_map_path') if k in info]
        return ' with mask '.join(files) or f'sample {idx}'

    def _check_jpeg(self, idx: int) -> None:
        """Raise if sample ``idx``'s image is a JPEG with corrupt data.

        Raises:
            ValueError: With libjpeg's message.
        """
        path = self.get_data_info(idx).get('img_path')
        if not self.strict_jpeg or not path:
            return
        try:
            stat = os.stat(path)
        except OSError:
            return  # the pipeline names a missing file itself
        version = (stat.st_mtime_ns, stat.st_size)
        if self._checked_jpegs.get(path) == version:
            return
        with open(path, 'rb') as f:
            problem = jpeg_corruption(f.read())
        if problem is not None:
            raise ValueError(
                f'corrupt JPEG data (libjpeg: {problem}); OpenCV would decode '
                'it silently into grey or smeared blocks')
        self._checked_jpegs[path] = version

    def prepare_data(self, idx: int):
        """Run the pipeline on sample ``idx``, applying ``on_bad_sample``.

        Returns:
            Any: The pipeline's output; None for a skipped sample (mmengine
            then draws another one).

        Raises:
            BadSampleError: Naming the sample's files, when the pipeline
                fails and the sample is not skipped.
        """
        try:
            self._check_jpeg(idx)
            return super().prepare_data(idx)
        except Exception as exc:  # noqa: BLE001 - every pipeline failure
            what = self._describe(idx)
            reason = f'{type(exc).__name__}: {exc}'
            if self.on_bad_sample == 'stop' or self.test_mode:
                raise BadSampleError(
                    f'bad sample {what}: {reason}. Check the data with '
                    'tools/check_dataset.py; to skip such samples in '
                    "training, set on_bad_sample='skip' on the training "
                    'dataset (e.g. --cfg-options '
                    'train_dataloader.dataset.on_bad_sample=skip)') from exc
            first = what not in self.bad_samples
            self.bad_samples[what] = reason
            if len(self.bad_samples) > self.max_bad_samples:
                raise BadSampleError(
                    f'{len(self.bad_samples)} samples of '
                    f'{type(self).__name__} failed (more than max_bad_samples'
                    f'={self.max_bad_samples}); the last: {what}: {reason}. '
                    'The data or the pipeline is broken: run '
                    'tools/check_dataset.py') from exc
            if first:
                print_log(
                    f'skipped bad sample {what}: {reason} '
                    f'({len(self.bad_samples)} bad sample(s) skipped so far '
                    'in this process; another sample is used instead)',
                    logger='current', level=logging.WARNING)
            return None
