"""Deployment: export trained models for the ONNX Runtime backend."""
from .onnx_exporter import (
    DEFAULT_OPSET,
    DEFAULT_TOLERANCE,
    ExportError,
    ONNXExporter,
    model_digest,
)

__all__ = [
    'DEFAULT_OPSET', 'DEFAULT_TOLERANCE', 'ExportError', 'ONNXExporter',
    'model_digest'
]
