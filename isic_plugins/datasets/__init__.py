from .archive_diagnosis import HierarchicalDiagnosisMap
from .checked_dataset_mixin import BadSampleError, CheckedDatasetMixin
from .data_problem import DataProblem, DataProblemError, MissingDataError
from .isic2017_classification_dataset import ISIC2017ClassificationDataset
from .isic2017_segmentation_dataset import ISIC2017SegmentationDataset
from .isic_archive_classification_dataset import (
    ISICArchiveClassificationDataset,
)
from .isic_archive_segmentation_dataset import ISICArchiveSegmentationDataset
from .transforms import (
    LesionCrop,
    LoadISICAnnotations,
    binarize_isic_mask,
    lesion_box,
)

__all__ = [
    'ISIC2017SegmentationDataset', 'ISICArchiveSegmentationDataset',
    'LoadISICAnnotations', 'binarize_isic_mask', 'LesionCrop', 'lesion_box',
    'ISIC2017ClassificationDataset', 'ISICArchiveClassificationDataset',
    'BadSampleError', 'CheckedDatasetMixin', 'DataProblem',
    'DataProblemError', 'MissingDataError', 'HierarchicalDiagnosisMap'
]
