"""The official ISIC files ``tools/download_isic.py`` fetches: one table.

Each release is the list of files on the ISIC challenge's data page
(https://challenge.isic-archive.com/data/), with what each must hold once
downloaded: the number of images, masks or label rows, and the MD5 where it
is published. Folder and file names come from
:mod:`isic_plugins.datasets.isic_layout`, so a downloaded release is exactly
the layout the configs read.

Sizes are those the data page states. The MD5 sums of the ISIC 2017 files
are not on the data page; they are the ones that independent downloaders
agree on (DeepMind's ``dm_nevis`` dataset handlers and several public
download scripts). None of the checks here could be run against the live
server when this table was written (no internet on the machine that wrote
it): if the server ever serves different bytes, the download is refused
with both sums and ``--no-checksum`` accepts it after the count and zip
integrity checks.
"""
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from ..datasets import isic_layout

#: What a file holds, and how its entries are counted.
CONTENTS = ('images', 'masks', 'labels')


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release.

    Args:
        name (str): File name on the server (and in the data folder, for a
            CSV), e.g. 'ISIC-2017_Validation_Data.zip'.
        subset (str): What ``--only`` selects it by: 'train', 'val' or
            'test'.
        content (str): 'images' (``ISIC_<id>.jpg``), 'masks'
            (``ISIC_<id>_segmentation.png``) or 'labels' (a Part 3 CSV).
        count (int): How many images, masks or label rows it must hold.
        folder (str): For a zip, its top folder (what it unpacks into).
            Defaults to '' (a CSV, saved as it is).
        target (str): Folder name in the data folder, for a zip whose folder
            is renamed. Defaults to '' (the zip's own folder name).
        md5 (str, optional): MD5 of the file. Defaults to None (not
            published: the count and zip integrity checks remain).
        size (str): Approximate size, as the data page states it.
            Defaults to ''.
    """
    name: str
    subset: str
    content: str
    count: int
    folder: str = ''
    target: str = ''
    md5: Optional[str] = None
    size: str = ''

    def __post_init__(self) -> None:
        if self.content not in CONTENTS:
            raise ValueError(f'content must be one of {CONTENTS}, but got '
                             f'{self.content!r}')

    @property
    def is_zip(self) -> bool:
        """Whether the file is a zip archive to unpack (else a CSV)."""
        return self.name.endswith('.zip')

    @property
    def destination(self) -> str:
        """The folder (zip) or file (CSV) name in the data folder."""
        if self.is_zip:
            return self.target or self.folder
        return self.name


@dataclass(frozen=True)
class Release:
    """A downloadable data set: where it is, what it holds, its licence.

    Args:
        name (str): The name the tool takes, e.g. 'isic2017'.
        base_url (str): URL of the folder holding the files.
        files (tuple[ReleaseFile]): The files.
        licence (str): Licence of the data, as the data page states it.
        description (str): One line about it. Defaults to ''.
    """
    name: str
    base_url: str
    files: Tuple[ReleaseFile, ...]
    licence: str
    description: str = ''


def _challenge_2017_files(split_key: str, count: int,
                          sizes: Tuple[str, str, str],
                          md5s: Tuple[str, str, str]) -> Tuple[ReleaseFile,
                                                               ...]:
    """Images, masks and Part 3 labels of one ISIC 2017 split."""
    split = isic_layout.SPLIT_NAMES[split_key]
    image_dir = isic_layout.image_dir(split)
    mask_dir = isic_layout.mask_dir(split)
    return (
        ReleaseFile(f'{image_dir}.zip', split_key, 'images', count,
                    folder=image_dir, md5=md5s[0], size=sizes[0]),
        ReleaseFile(f'{mask_dir}.zip', split_key, 'masks', count,
                    folder=mask_dir, md5=md5s[1], size=sizes[1]),
        ReleaseFile(isic_layout.part3_csv(split), split_key, 'labels', count,
                    md5=md5s[2], size=sizes[2]),
    )


#: Every release the download tool knows, by name.
RELEASES: Dict[str, Release] = {
    'isic2017': Release(
        name='isic2017',
        base_url='https://isic-archive.s3.amazonaws.com/challenges/2017',
        files=(
            _challenge_2017_files(
                'train', 2000, ('5.8 GB', '9 MB', '43 KB'),
                ('a14a7e622c67a358797ae59abb8a0b0c',
                 '77fdbeb6fbec4139937224416b250f4c',
                 '0cb4add57c65c22ca1a1cb469ad1f0c5'))
            + _challenge_2017_files(
                'val', 150, ('878 MB', '559 KB', '3 KB'),
                ('8d6419d942112f709894c0d82f6c9038',
                 '64d3e68fa2deeb8a5e89aa8dec2efd44',
                 '8d4826a76adcd8fb928ca52a23ebae4c'))
            + _challenge_2017_files(
                'test', 600, ('5.4 GB', '18 MB', '13 KB'),
                ('5f6a0b5e1f2972bd1f5ea02680489f09',
                 'b1742de6bd257faca3b2b21a4aa3b781',
                 '9e957b72a0c4f9e0d924889fd03b36ed'))),
        licence='CC-0',
        description='ISIC 2017 challenge: Part 1 images and lesion masks, '
        'Part 3 diagnoses; training 2,000, validation 150, test 600'),
    # The lesion masks of the ISIC 2018 challenge's Task 1 (2,594 images,
    # many of them ISIC 2017 images again: tools/check_dataset.py names
    # those) unpacked into the archive layout that
    # ISICArchiveSegmentationDataset reads.
    'isic2018_task1': Release(
        name='isic2018_task1',
        base_url='https://isic-challenge-data.s3.amazonaws.com/2018',
        files=(
            ReleaseFile('ISIC2018_Task1-2_Training_Input.zip', 'train',
                        'images', 2594,
                        folder='ISIC2018_Task1-2_Training_Input',
                        target=isic_layout.ARCHIVE_IMAGE_DIR,
                        size='10.4 GB'),
            ReleaseFile('ISIC2018_Task1_Training_GroundTruth.zip', 'train',
                        'masks', 2594,
                        folder='ISIC2018_Task1_Training_GroundTruth',
                        target=isic_layout.ARCHIVE_MASK_DIR, size='26 MB'),
        ),
        licence='CC-0',
        description='ISIC 2018 challenge Task 1: 2,594 images with expert '
        'lesion masks (archive layout: images/, masks/)'),
}
