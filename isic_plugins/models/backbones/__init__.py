from .efficientnet_lite import (
                                EfficientNetLite,
                                EfficientNetLiteUnavailable,
                                imagenet_weights_file,
)

__all__ = [
    'EfficientNetLite', 'EfficientNetLiteUnavailable', 'imagenet_weights_file'
]
