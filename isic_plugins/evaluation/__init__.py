from .bootstrap import bootstrap_interval
from .isic_classification_metric import ISICClassificationMetric
from .isic_segmentation_metric import (
                                       ISICSegmentationMetric,
                                       per_image_scores,
                                       write_submission_mask,
)

__all__ = [
    'bootstrap_interval', 'ISICSegmentationMetric', 'per_image_scores',
    'write_submission_mask', 'ISICClassificationMetric'
]
