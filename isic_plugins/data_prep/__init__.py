"""Offline conversion of ISIC folders before training.

``tools/prepare_isic.py`` runs it: configs never build it, and nothing here
is registered.
"""
from .isic_downscaler import (
                              IMAGE_EXTS,
                              SIZES_FILE,
                              DownscaleJob,
                              downscale_image,
                              is_mask,
                              plan_jobs,
                              run_job,
                              target_size,
                              write_sizes,
)

__all__ = [
    'IMAGE_EXTS', 'SIZES_FILE', 'DownscaleJob', 'downscale_image', 'is_mask',
    'plan_jobs', 'run_job', 'target_size', 'write_sizes'
]
