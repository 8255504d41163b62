"""Fetch, verify and unpack the files of a release into a data folder.

For each :class:`ReleaseFile` (see :mod:`.isic_releases`)
:class:`ReleaseInstaller`

1. skips it when its folder (zip) or CSV is already complete (the expected
   number of images, masks or label rows): no request is made;
2. downloads it into ``<data folder>/.downloads/`` with
   :func:`.resumable_download.download` (resumed if a part is there);
3. verifies it before anything is unpacked: the MD5 where the release
   publishes one, the zip's integrity (every member's CRC), member paths
   that stay inside the folder, and the number of images / masks under
   the zip's top folder or of label rows (and the columns) of a CSV;
4. unpacks a zip into a staging folder next to its destination and renames
   it into place (a CSV is renamed into place), so the data folder only
   ever holds complete folders.

A file that fails a check is moved to ``<name>.rejected`` (the next run
downloads it anew) and the error names it and what to do; nothing of it
reaches the data folder and what was complete stays.
"""
import hashlib
import os
import os.path as osp
import re
import shutil
import zipfile
from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Sequence

import pandas as pd

from ..datasets import isic_layout
from .isic_releases import Release, ReleaseFile
from .resumable_download import download, part_path

#: Folder of the data folder that holds downloads until they are unpacked.
DOWNLOAD_DIR = '.downloads'

#: The name of what each kind of file holds, for messages.
_WHAT = {'images': 'images ISIC_<id>.jpg', 'masks':
         'masks ISIC_<id>_segmentation.png', 'labels': 'label rows'}
_ID = r'ISIC_\d+'


class ReleaseError(RuntimeError):
    """A file of a release that failed a check; the message says why."""


def entry_pattern(content: str) -> 're.Pattern':
    """The file names that count as the release's images or masks."""
    suffix = (isic_layout.IMAGE_SUFFIX if content == 'images' else
              isic_layout.MASK_SUFFIX)
    return re.compile(_ID + re.escape(suffix) + '$')


def count_entries(folder: str, content: str) -> int:
    """How many images or masks (by file name) ``folder`` holds."""
    if not osp.isdir(folder):
        return 0
    pattern = entry_pattern(content)
    return sum(1 for name in os.listdir(folder) if pattern.match(name))


def md5_of(path: str, chunk: int = 1 << 20) -> str:
    """The MD5 of a file, read in chunks."""
    digest = hashlib.md5()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(chunk), b''):
            digest.update(block)
    return digest.hexdigest()


def _label_rows(path: str) -> int:
    """Rows of a Part 3 CSV with the challenge's columns (else an error)."""
    try:
        table = pd.read_csv(path, dtype=str)
    except (pd.errors.ParserError, pd.errors.EmptyDataError,
            UnicodeDecodeError) as e:
        raise ReleaseError(f'not a readable CSV ({e})') from None
    missing = [c for c in isic_layout.PART3_COLUMNS if c not in table]
    if missing:
        raise ReleaseError(f'no column {", ".join(missing)} (it has '
                           f'{", ".join(table.columns)})')
    return len(table)


@dataclass
class FileStatus:
    """What happened to one file: 'complete' (nothing to do) or
    'installed'."""
    file: ReleaseFile
    status: str
    path: str


class ReleaseInstaller:
    """Install (some of) the files of a release into a data folder.

    Args:
        release (Release): What to install.
        data_root (str): The data folder (created if missing).
        base_url (str, optional): Where the files are. Defaults to None (the
            release's own URL); a mirror or a test server.
        check_md5 (bool): Compare each file with the release's MD5 where it
            has one. Defaults to True.
        keep_downloads (bool): Keep each zip in ``.downloads`` after
            unpacking. Defaults to False (deleted: the data is unpacked).
        retries (int): Resumes of a transfer that broke off, per file.
            Defaults to 3.
        retry_wait (float): Seconds before the first resume. Defaults to 2.
        progress (Callable, optional): ``progress(name) -> (on_start,
            on_bytes, close)``: the progress display of one download.
            Defaults to None (none).
        note (Callable): Receives one-line messages. Defaults to print.
    """

    def __init__(self,
                 release: Release,
                 data_root: str,
                 base_url: Optional[str] = None,
                 check_md5: bool = True,
                 keep_downloads: bool = False,
                 retries: int = 3,
                 retry_wait: float = 2.0,
                 progress: Optional[Callable] = None,
                 note: Callable[[str], None] = print) -> None:
        self.release = release
        self.data_root = data_root
        self.base_url = (base_url or release.base_url).rstrip('/')
        self.check_md5 = check_md5
        self.keep_downloads = keep_downloads
        self.retries = retries
        self.retry_wait = retry_wait
        self.progress = progress
        self.note = note

    # -- selection ----------------------------------------------------------
    def select(self, only: Sequence[str] = ()) -> List[ReleaseFile]:
        """The files that ``only`` names (subsets and/or contents).

        Args:
            only (Sequence[str]): Subsets ('train', 'val', 'test') and/or
                contents ('images', 'masks', 'labels'); a file is selected
                when it matches every kind given. Defaults to () (all).

        Returns:
            list[ReleaseFile]: The selected files, in the release's order.
        """
        subsets = {f.subset for f in self.release.files}
        contents = {f.content for f in self.release.files}
        unknown = sorted(set(only) - subsets - contents)
        if unknown:
            raise ValueError(
                f'--only {" ".join(unknown)}: {self.release.name} has the '
                f'subsets {sorted(subsets)} and the contents '
                f'{sorted(contents)}')
        want_subsets = set(only) & subsets or subsets
        want_contents = set(only) & contents or contents
        return [f for f in self.release.files
                if f.subset in want_subsets and f.content in want_contents]

    # -- state --------------------------------------------------------------
    def destination(self, file: ReleaseFile) -> str:
        """The folder (zip) or CSV ``file`` is installed as."""
        return osp.join(self.data_root, file.destination)

    def download_path(self, file: ReleaseFile) -> str:
        """Where ``file`` is downloaded to before it is unpacked."""
        return osp.join(self.data_root, DOWNLOAD_DIR, file.name)

    def installed_count(self, file: ReleaseFile) -> Optional[int]:
        """How many entries the installed ``file`` holds (None: absent)."""
        dest = self.destination(file)
        if not osp.exists(dest):
            return None
        if file.is_zip:
            return count_entries(dest, file.content)
        try:
            return _label_rows(dest)
        except ReleaseError:
            return 0

    def is_complete(self, file: ReleaseFile) -> bool:
        """Whether ``file`` is installed with all its entries."""
        return self.installed_count(file) == file.count

    # -- work ---------------------------------------------------------------
    def install(self, files: Iterable[ReleaseFile]) -> List[FileStatus]:
        """Install ``files``; the complete ones are skipped without a
        request.

        Every file that is not complete is checked first: a destination
        that exists but is incomplete (an earlier unpack by hand?) is
        refused before anything is downloaded, and never touched.

        Returns:
            list[FileStatus]: One per file.

        Raises:
            ReleaseError: A file failed a check, or its destination holds
                an incomplete copy.
            DownloadError: A download could not finish (what arrived is
                kept for the next run to resume).
        """
        files = list(files)
        todo = [f for f in files if not self.is_complete(f)]
        for file in todo:
            count = self.installed_count(file)
            if count is not None:
                raise ReleaseError(
                    f'{self.destination(file)} exists but holds {count} of '
                    f'the {file.count} {_WHAT[file.content]} of '
                    f'{file.name}: it was not made by this tool, or was '
                    'changed since. Move it away (or delete it) and run '
                    'again; nothing was changed')
        statuses = []
        for file in files:
            if file not in todo:
                self.note(f'{file.name}: complete ({file.count} '
                          f'{file.content}), skipped')
                statuses.append(FileStatus(file, 'complete',
                                           self.destination(file)))
                continue
            statuses.append(FileStatus(file, 'installed',
                                       self._install_one(file)))
        self._tidy()
        return statuses

    def _install_one(self, file: ReleaseFile) -> str:
        path = self.download_path(file)
        os.makedirs(osp.dirname(path), exist_ok=True)
        if osp.exists(path):
            self.note(f'{file.name}: already downloaded, verifying')
        else:
            self._download(file, path)
        try:
            self._verify(file, path)
        except ReleaseError as e:
            rejected = path + '.rejected'
            os.replace(path, rejected)
            raise ReleaseError(
                f'{file.name}: {e}. Nothing was unpacked into '
                f'{self.data_root}; the file was moved to {rejected} (the '
                'next run downloads it anew; delete it when done)') \
                from None
        dest = self.destination(file)
        if file.is_zip:
            self._unpack(file, path, dest)
            if not self.keep_downloads:
                os.remove(path)
        else:
            os.replace(path, dest)
        self.note(f'{file.name}: {file.count} {file.content} -> {dest}')
        return dest

    def _download(self, file: ReleaseFile, path: str) -> None:
        url = f'{self.base_url}/{file.name}'
        part = part_path(path)
        if osp.exists(part):
            self.note(f'{file.name}: resuming at {osp.getsize(part)} bytes')
        else:
            self.note(f'{file.name}: downloading ({file.size or "?"}) from '
                      f'{url}')
        on_start = on_bytes = close = None
        if self.progress is not None:
            on_start, on_bytes, close = self.progress(file.name)
        try:
            download(url, path, retries=self.retries,
                     retry_wait=self.retry_wait, on_start=on_start,
                     on_bytes=on_bytes, note=self.note)
        finally:
            if close is not None:
                close()

    def _verify(self, file: ReleaseFile, path: str) -> None:
        """Raise ReleaseError unless ``path`` is the release's file."""
        if self.check_md5 and file.md5:
            md5 = md5_of(path)
            if md5 != file.md5:
                raise ReleaseError(
                    f'its MD5 is {md5} but the release\'s is {file.md5} '
                    '(a corrupt download, or the server sent other bytes; '
                    '--no-checksum accepts a mirror\'s re-packed file after '
                    'the other checks)')
        if not file.is_zip:
            rows = _label_rows(path)
            if rows != file.count:
                raise ReleaseError(f'it has {rows} label rows, the release '
                                   f'has {file.count}')
            return
        try:
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
                names = archive.namelist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError,
                EOFError) as e:
            raise ReleaseError(f'not a complete zip ({e})') from None
        except Exception as e:  # noqa: BLE001 - zlib/struct errors of a
            # damaged member: one message, not a traceback
            raise ReleaseError(f'a member cannot be read '
                               f'({type(e).__name__}: {e})') from None
        if bad is not None:
            raise ReleaseError(f'member {bad} is corrupt (CRC mismatch)')
        unsafe = [n for n in names
                  if n.startswith('/') or '..' in n.split('/')]
        if unsafe:
            raise ReleaseError(f'member {unsafe[0]} would land outside the '
                               'data folder')
        pattern = entry_pattern(file.content)
        prefix = file.folder + '/'
        found = sum(1 for n in names if n.startswith(prefix)
                    and pattern.match(n[len(prefix):]))
        if found != file.count:
            raise ReleaseError(
                f'it holds {found} {_WHAT[file.content]} under {prefix}, '
                f'the release has {file.count}')

    def _unpack(self, file: ReleaseFile, path: str, dest: str) -> None:
        """Unpack the zip's top folder into ``dest`` through a staging
        folder renamed into place."""
        staging = osp.join(self.data_root, DOWNLOAD_DIR,
                           f'unpacking-{file.destination}')
        if osp.exists(staging):
            shutil.rmtree(staging)  # an earlier unpack that was killed
        prefix = file.folder + '/'
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist()
                       if m.filename.startswith(prefix)]
            archive.extractall(staging, members)
        os.replace(osp.join(staging, file.folder), dest)
        shutil.rmtree(staging)

    def _tidy(self) -> None:
        """Remove the download folder once nothing is left in it."""
        folder = osp.join(self.data_root, DOWNLOAD_DIR)
        if osp.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
