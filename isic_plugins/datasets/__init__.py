from .isic2017_segmentation_dataset import ISIC2017SegmentationDataset
from .isic_archive_segmentation_dataset import ISICArchiveSegmentationDataset
from .transforms import LoadISICAnnotations, binarize_isic_mask

__all__ = [
    'ISIC2017SegmentationDataset', 'ISICArchiveSegmentationDataset',
    'LoadISICAnnotations', 'binarize_isic_mask'
]
