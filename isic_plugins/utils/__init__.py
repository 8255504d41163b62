from .pretrained_weights import (PretrainedWeightsUnavailable,
                                 check_pretrained_weights,
                                 pretrained_checkpoints)
from .torch_compat import (apply_torch_compat,
                           mmengine_checkpoint_safe_globals,
                           trusted_checkpoint_loading)

__all__ = [
    'PretrainedWeightsUnavailable', 'check_pretrained_weights',
    'pretrained_checkpoints', 'apply_torch_compat',
    'mmengine_checkpoint_safe_globals', 'trusted_checkpoint_loading'
]
