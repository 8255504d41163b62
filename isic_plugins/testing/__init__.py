"""Synthetic ISIC data (and tiny models) for tests, smoke runs and
benchmarks.

Nothing imported here is registered: configs never build these, and
importing ``isic_plugins`` does not import this package. The fault
injectors of :mod:`isic_plugins.testing.fault_injection` register hooks and
a transform only when a test config imports that module
(``custom_imports``); :func:`~isic_plugins.testing.small_filesystem.
small_filesystem` mounts a small tmpfs to fill for real.
"""
from .free_port import free_port
from .initialised_checkpoint import save_initialised_checkpoint
from .range_http_server import RangeHTTPServer
from .synthetic_painter import CLASS_NAMES, render_sample, sample_image_size
from .synthetic_release import make_synthetic_release
from .synthetic_writer import (
                                ARCHIVE_DIAGNOSES,
                                CLASS_FRACTIONS,
                                SPLITS,
                                assign_labels,
                                make_synthetic_isic,
                                make_synthetic_isic_archive,
)
from .tiny_classifier import tiny_classifier, write_tiny_classifier_config

__all__ = [
    'ARCHIVE_DIAGNOSES', 'CLASS_NAMES', 'CLASS_FRACTIONS', 'SPLITS',
    'assign_labels', 'sample_image_size', 'render_sample',
    'make_synthetic_isic', 'make_synthetic_isic_archive',
    'make_synthetic_release', 'RangeHTTPServer', 'free_port',
    'save_initialised_checkpoint', 'tiny_classifier',
    'write_tiny_classifier_config'
]
