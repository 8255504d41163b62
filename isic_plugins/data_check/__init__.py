"""Checking every file a config's datasets read (``tools/check_dataset.py``).

The cheap structural checks the datasets run when they are built stay in
:mod:`isic_plugins.datasets`; this package decodes every file and looks
across datasets. Nothing here is registered.
"""
from .isic_dataset_checker import (
                                   SPLITS,
                                   CheckedDataset,
                                   ISICDatasetChecker,
                                   LoadingOptions,
                                   dataset_leaves,
                                   format_report,
                                   inspect_image,
                                   inspect_mask,
                                   inspect_sample,
                                   loading_options,
)

__all__ = [
    'SPLITS', 'CheckedDataset', 'ISICDatasetChecker', 'LoadingOptions',
    'dataset_leaves', 'format_report', 'inspect_image', 'inspect_mask',
    'inspect_sample', 'loading_options'
]
