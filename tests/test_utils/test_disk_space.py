"""A full disk: writes say how much they needed and where, and keep the
previous file; tools refuse early what will not fit."""
import errno
import os

import pytest

from isic_plugins.testing.small_filesystem import (
    SmallFilesystemUnavailable,
    small_filesystem,
)
from isic_plugins.utils import atomic_checkpoints
from isic_plugins.utils.atomic_checkpoints import atomic_write
from isic_plugins.utils.disk_space import (
    DiskFullError,
    check_free_space,
    disk_full_cause,
    estimate_mask_bytes,
    format_bytes,
    free_space,
)


def _assert_full_disk_reported(error, target, needed):
    assert error.errno == errno.ENOSPC
    message = str(error)
    assert message.startswith(
        f'no space left on device writing {target}: it needs '
        f'{format_bytes(needed)}, and the file system of '
        f'{os.path.dirname(target)} has ')
    assert 'the previous file (if any) is unchanged' in message
    with open(target, 'rb') as f:
        assert f.read() == b'old'
    assert os.listdir(os.path.dirname(target)) == ['epoch_1.pth']


def test_atomic_write_on_a_full_file_system(tmp_path):
    try:
        with small_filesystem(str(tmp_path / 'disk'), 64 << 10) as disk:
            target = os.path.join(disk, 'epoch_1.pth')
            atomic_write(b'old', target)
            with pytest.raises(DiskFullError) as error:
                atomic_write(b'x' * (200 << 10), target)
            _assert_full_disk_reported(error.value, target, 200 << 10)
            assert ' KiB free' in str(error.value)
    except SmallFilesystemUnavailable as exc:
        pytest.skip(str(exc))


def test_atomic_write_with_enospc_injected_at_the_write(tmp_path,
                                                        monkeypatch):
    """The same where no file system can be mounted: the write call fails
    as on a full disk."""
    target = str(tmp_path / 'epoch_1.pth')
    atomic_write(b'old', target)
    real_fdopen = os.fdopen

    class FullFile:

        def __init__(self, fd, mode):
            self.file = real_fdopen(fd, mode)

        def write(self, data):
            raise OSError(errno.ENOSPC, 'No space left on device')

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

    monkeypatch.setattr(atomic_checkpoints.os, 'fdopen', FullFile)
    with pytest.raises(DiskFullError) as error:
        atomic_write(b'x' * 1000, target)
    _assert_full_disk_reported(error.value, target, 1000)


def test_estimate_counts_whole_blocks_and_grows_with_the_image():
    small = estimate_mask_bytes([(200, 150)] * 6)
    assert small == 6 * 4096  # each mask in one block
    full = estimate_mask_bytes([(4288, 2848)], block_size=4096)
    # ISIC 2017 ground-truth masks of this size take 20-24 KB
    assert 200_000 < full < 300_000
    assert estimate_mask_bytes([(4288, 2848)], 0.25) > 10 * full


def test_free_space_check_refuses_with_the_figures(tmp_path):
    folder = str(tmp_path / 'not' / 'yet')  # checked where it will be
    free, _ = free_space(folder)
    check_free_space(folder, 1, 'A byte')
    with pytest.raises(DiskFullError) as error:
        check_free_space(folder, free + (1 << 30), 'The masks of 600 images')
    message = str(error.value)
    assert message.startswith(
        f'The masks of 600 images need about {format_bytes(free + (1 << 30))}'
        f' in {folder}, but its file system ({tmp_path}) has ')
    assert 'nothing was written' in message
    assert not os.path.exists(folder)


def test_disk_full_cause_follows_reraised_errors():
    try:
        try:
            raise OSError(errno.ENOSPC, 'No space left on device', 'x.png')
        except OSError as inner:
            raise OSError('could not write x.png') from inner
    except OSError as outer:
        assert outer.errno is None
        assert disk_full_cause(outer).filename == 'x.png'
    assert disk_full_cause(OSError(errno.EACCES, 'denied')) is None
