from .bootstrap import (
    auc_or_nan,
    bootstrap_interval,
    bootstrap_statistic_interval,
    bootstrap_statistics,
    percentile_interval,
)
from .isic_classification_metric import ISICClassificationMetric
from .isic_segmentation_metric import (
                                       ISICSegmentationMetric,
                                       per_image_scores,
                                       write_submission_mask,
)

__all__ = [
    'bootstrap_interval', 'bootstrap_statistic_interval',
    'bootstrap_statistics', 'percentile_interval', 'auc_or_nan',
    'ISICSegmentationMetric', 'per_image_scores',
    'write_submission_mask', 'ISICClassificationMetric'
]
