"""A CheckpointHook that deletes old checkpoints only after a new one is
saved."""
from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` that prunes after saving, not before.

    With ``max_keep_ckpts`` reached, mmengine 0.10.7 removes the oldest
    kept checkpoint *before* it writes the new one. With
    ``max_keep_ckpts=1`` (the real-data configs) that is the only
    checkpoint: a full disk, an out-of-memory kill or a SIGKILL during the
    write then leaves no checkpoint at all, and ``last_checkpoint`` naming a
    deleted file. Here the new checkpoint is written (atomically, with the
    configs' ``'atomic_local'`` backend) and ``last_checkpoint`` updated
    first; only then are checkpoints beyond ``max_keep_ckpts`` removed. The
    disk briefly holds one checkpoint more than ``max_keep_ckpts``.

    Everything else, arguments included, is ``CheckpointHook``'s. The
    runtimes select it::

        default_hooks = dict(checkpoint=dict(type='SafeCheckpointHook', ...))
    """

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        keep = self.max_keep_ckpts
        if keep <= 0:
            return super()._save_checkpoint_with_step(runner, step, meta)
        old = None
        # the same step saved twice (a best checkpoint) prunes nothing
        if not (self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == keep:
                old = self.keep_ckpt_ids[0]
            self.keep_ckpt_ids.append(step)  # a deque of maxlen keep
            # saved in the new checkpoint, as mmengine does: a resumed run
            # knows which checkpoints to prune
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        self.max_keep_ckpts = -1  # mmengine's code: save, prune nothing
        try:
            super()._save_checkpoint_with_step(runner, step, meta)
        finally:
            self.max_keep_ckpts = keep
        if old is not None and is_main_process():
            path = self.file_backend.join_path(self.out_dir,
                                               self.filename_tmpl.format(old))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):
                # checkpoints saved by deepspeed are directories
                self.file_backend.rmtree(path)
