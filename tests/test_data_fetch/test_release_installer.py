"""Verify-then-unpack of release files, served by a loopback server."""
import os
import os.path as osp
import zipfile

import pytest

from isic_plugins.data_fetch import (
    RELEASES,
    Release,
    ReleaseError,
    ReleaseFile,
    ReleaseInstaller,
    md5_of,
)
from isic_plugins.testing import RangeHTTPServer, make_synthetic_release

# a small release in the challenge's layout: 4 validation images, masks,
# labels
SMALL = Release('small', 'http://unused.invalid', (
    ReleaseFile('ISIC-2017_Validation_Data.zip', 'val', 'images', 4,
                folder='ISIC-2017_Validation_Data'),
    ReleaseFile('ISIC-2017_Validation_Part1_GroundTruth.zip', 'val',
                'masks', 4, folder='ISIC-2017_Validation_Part1_GroundTruth'),
    ReleaseFile('ISIC-2017_Validation_Part3_GroundTruth.csv', 'val',
                'labels', 4),
), 'CC-0')


def _installer(release, data, url, **kwargs):
    return ReleaseInstaller(release, str(data), base_url=url, retry_wait=0,
                            note=lambda msg: None, **kwargs)


def _tree(root):
    return sorted(osp.relpath(osp.join(d, f), root)
                  for d, _, fs in os.walk(root) for f in fs)


def test_install_lays_out_and_rerun_requests_nothing(tmp_path):
    served = tmp_path / 'server'
    make_synthetic_release(str(served), SMALL)
    data = tmp_path / 'data'
    with RangeHTTPServer(str(served)) as server:
        statuses = _installer(SMALL, data, server.url).install(SMALL.files)
        assert [s.status for s in statuses] == ['installed'] * 3
        assert len(server.requests) == 3
        tree = _tree(data)
        assert 'ISIC-2017_Validation_Data/ISIC_0000003.jpg' in tree
        assert ('ISIC-2017_Validation_Part1_GroundTruth/'
                'ISIC_0000003_segmentation.png') in tree
        assert 'ISIC-2017_Validation_Part3_GroundTruth.csv' in tree
        assert not osp.exists(data / '.downloads')  # zips deleted, tidy
        statuses = _installer(SMALL, data, server.url).install(SMALL.files)
    assert [s.status for s in statuses] == ['complete'] * 3
    assert len(server.requests) == 3  # the rerun asked for nothing
    assert _tree(data) == tree


def _rewrite_zip(path, drop=None, stored=False):
    """The same zip without the member ``drop`` (uncompressed if
    ``stored``)."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i)) for i in z.infolist()
                   if i.filename != drop]
    with zipfile.ZipFile(path, 'w') as z:
        for info, data in members:
            if stored:
                info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, data)


@pytest.mark.parametrize('damage,message', [
    ('truncate', 'not a complete zip'),
    ('flip', 'is corrupt'),
    ('drop', 'it holds 3 images ISIC_<id>.jpg under '
     'ISIC-2017_Validation_Data/, the release has 4'),
    ('md5', "its MD5 is"),
])
def test_bad_zip_is_refused_and_nothing_is_unpacked(tmp_path, damage,
                                                     message):
    served = tmp_path / 'server'
    make_synthetic_release(str(served), SMALL)
    zip_path = served / 'ISIC-2017_Validation_Data.zip'
    release = SMALL
    if damage == 'truncate':
        data = zip_path.read_bytes()
        zip_path.write_bytes(data[:len(data) // 2])
    elif damage == 'flip':
        _rewrite_zip(str(zip_path), stored=True)  # the bytes in clear
        data = bytearray(zip_path.read_bytes())
        at = data.index(b'JFIF') + 40
        data[at] ^= 0xFF
        zip_path.write_bytes(bytes(data))
    elif damage == 'drop':
        _rewrite_zip(str(zip_path),
                     drop='ISIC-2017_Validation_Data/ISIC_0000002.jpg')
    else:
        files = list(SMALL.files)
        files[0] = ReleaseFile(**{**files[0].__dict__, 'md5': '0' * 32})
        release = Release('small', SMALL.base_url, tuple(files), 'CC-0')
    data = tmp_path / 'data'
    # the masks are installed first and stay
    with RangeHTTPServer(str(served)) as server:
        installer = _installer(release, data, server.url)
        installer.install(release.files[1:2])
        with pytest.raises(ReleaseError) as err:
            installer.install(release.files)
    text = str(err.value)
    assert text.startswith('ISIC-2017_Validation_Data.zip: ')
    assert message in text
    assert 'Nothing was unpacked' in text
    assert not osp.exists(data / 'ISIC-2017_Validation_Data')
    assert osp.isdir(data / 'ISIC-2017_Validation_Part1_GroundTruth')
    rejected = data / '.downloads' / 'ISIC-2017_Validation_Data.zip.rejected'
    assert str(rejected) in text and rejected.exists()
    assert not any(n.startswith('unpacking') for n in
                   os.listdir(data / '.downloads'))


def test_label_csv_with_wrong_rows_is_refused(tmp_path):
    served = tmp_path / 'server'
    make_synthetic_release(str(served), SMALL)
    csv = served / 'ISIC-2017_Validation_Part3_GroundTruth.csv'
    csv.write_text('\n'.join(csv.read_text().splitlines()[:-1]) + '\n')
    data = tmp_path / 'data'
    with RangeHTTPServer(str(served)) as server:
        with pytest.raises(ReleaseError, match='3 label rows, the release '
                           'has 4'):
            _installer(SMALL, data, server.url).install(SMALL.files[2:])
    assert not osp.exists(data / 'ISIC-2017_Validation_Part3_GroundTruth.csv')


def test_incomplete_folder_of_the_user_is_never_touched(tmp_path):
    served = tmp_path / 'server'
    make_synthetic_release(str(served), SMALL)
    data = tmp_path / 'data'
    mine = data / 'ISIC-2017_Validation_Data'
    mine.mkdir(parents=True)
    (mine / 'ISIC_0000000.jpg').write_bytes(b'mine')
    with RangeHTTPServer(str(served)) as server:
        with pytest.raises(ReleaseError, match='holds 1 of the 4 images'):
            _installer(SMALL, data, server.url).install(SMALL.files)
    assert server.requests == []  # refused before any download
    assert os.listdir(mine) == ['ISIC_0000000.jpg']


def test_select_by_subset_and_content():
    installer = ReleaseInstaller(RELEASES['isic2017'], 'unused')
    names = [f.name for f in installer.select(['val'])]
    assert names == ['ISIC-2017_Validation_Data.zip',
                     'ISIC-2017_Validation_Part1_GroundTruth.zip',
                     'ISIC-2017_Validation_Part3_GroundTruth.csv']
    assert [f.name for f in installer.select(['masks', 'labels', 'test'])
            ] == ['ISIC-2017_Test_v2_Part1_GroundTruth.zip',
                  'ISIC-2017_Test_v2_Part3_GroundTruth.csv']
    assert len(installer.select()) == 9
    with pytest.raises(ValueError, match='validation'):
        installer.select(['validation'])


def test_isic2017_table_counts_and_names():
    files = RELEASES['isic2017'].files
    counts = {(f.subset, f.content): f.count for f in files}
    assert counts == {(s, c): n for s, n in (('train', 2000), ('val', 150),
                                              ('test', 600))
                      for c in ('images', 'masks', 'labels')}
    assert all(len(f.md5) == 32 for f in files)
    assert {f.destination for f in files if f.is_zip} == {
        f'ISIC-2017_{s}_{k}' for s in ('Training', 'Validation', 'Test_v2')
        for k in ('Data', 'Part1_GroundTruth')}


def test_md5_of(tmp_path):
    (tmp_path / 'a').write_bytes(b'abc')
    assert md5_of(str(tmp_path / 'a')) == '900150983cd24fb0d6963f7d28e17f72'
