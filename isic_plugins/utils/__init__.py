from .checkpoint_fit import (
                             CheckpointMismatchError,
                             check_checkpoint_fits,
                             unwrap_model,
)
from .checkpoint_trust import (
                             UnsafeCheckpointError,
                             checkpoint_loading,
                             trust_requested,
                             trusted_checkpoint_loading,
)
from .distributed_exit import end_distributed_run
from .output_guard import OutputExistsError, check_new_output
from .pretrained_weights import (
                             PretrainedWeightsUnavailable,
                             check_pretrained_weights,
                             pretrained_checkpoints,
)
from .torch_compat import apply_torch_compat, mmengine_checkpoint_safe_globals

__all__ = [
    'CheckpointMismatchError', 'check_checkpoint_fits', 'unwrap_model',
    'end_distributed_run',
    'OutputExistsError', 'check_new_output', 'PretrainedWeightsUnavailable',
    'check_pretrained_weights',
    'pretrained_checkpoints', 'UnsafeCheckpointError', 'apply_torch_compat',
    'checkpoint_loading',
    'mmengine_checkpoint_safe_globals', 'trust_requested',
    'trusted_checkpoint_loading'
]
