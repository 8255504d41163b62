"""Fetching the official ISIC data (``tools/download_isic.py``).

The table of what each release holds (:mod:`.isic_releases`), a resumable
HTTP download (:mod:`.resumable_download`) and the checks and atomic
unpacking that put a release into a data folder
(:mod:`.release_installer`). Configs never build these, and nothing here is
registered.
"""
from .isic_releases import CONTENTS, RELEASES, Release, ReleaseFile
from .release_installer import (
                                DOWNLOAD_DIR,
                                FileStatus,
                                ReleaseError,
                                ReleaseInstaller,
                                count_entries,
                                md5_of,
)
from .resumable_download import DownloadError, Unreachable, download, host_of

__all__ = [
    'CONTENTS', 'RELEASES', 'Release', 'ReleaseFile', 'DOWNLOAD_DIR',
    'FileStatus', 'ReleaseError', 'ReleaseInstaller', 'count_entries',
    'md5_of', 'DownloadError', 'Unreachable', 'download', 'host_of'
]
