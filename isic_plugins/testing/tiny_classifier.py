"""A tiny classifier config for the ensemble tests: members that build in
milliseconds and are written as the config files ensembles read."""
import copy
from typing import Sequence

#: A 4-channel ResNet-18 with a linear head (``num_classes`` left to fill).
TINY_CLASSIFIER = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, stem_channels=4, base_channels=4,
                  out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', in_channels=32))

#: ImageNet's mean, the default of :func:`write_tiny_classifier_config`.
IMAGENET_MEAN = (123.675, 116.28, 103.53)


def tiny_classifier(num_classes: int) -> dict:
    """The model config of :data:`TINY_CLASSIFIER` with ``num_classes``."""
    model = copy.deepcopy(TINY_CLASSIFIER)
    model['head']['num_classes'] = num_classes
    return model


def write_tiny_classifier_config(path: str, num_classes: int,
                                 mean: Sequence[float] = IMAGENET_MEAN
                                 ) -> dict:
    """Write a config file whose ``model`` is :func:`tiny_classifier` and
    whose ``data_preprocessor`` normalises with ``mean`` (ImageNet's std).

    Returns:
        dict: The model config (to build the same model in the test).
    """
    model = tiny_classifier(num_classes)
    with open(path, 'w') as f:
        f.write(f'model = {model!r}\n'
                f'data_preprocessor = dict(mean={list(mean)!r}, '
                'std=[58.395, 57.12, 57.375], to_rgb=True)\n')
    return model
