from .pretrained_weights import (PretrainedWeightsUnavailable,
                                 check_pretrained_weights,
                                 pretrained_checkpoints)
from .torch_compat import (UnsafeCheckpointError, apply_torch_compat,
                           checkpoint_loading,
                           mmengine_checkpoint_safe_globals,
                           trusted_checkpoint_loading)

__all__ = [
    'PretrainedWeightsUnavailable', 'check_pretrained_weights',
    'pretrained_checkpoints', 'UnsafeCheckpointError', 'apply_torch_compat',
    'checkpoint_loading',
    'mmengine_checkpoint_safe_globals', 'trusted_checkpoint_loading'
]
