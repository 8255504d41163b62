"""A checkpoint that runs a shell command if it is unpickled in full.

What weights-only loading exists to refuse: the tests save one and check
that every way of loading it (``tools/test.py``, ``load_from``,
``--resume``, :func:`~isic_plugins.utils.checkpoint_trust.
checkpoint_loading`) refuses it before the command runs.
"""
import os
import shlex

import torch


class CodeRunningPayload:
    """Unpickling this runs ``touch <marker>``.

    Args:
        marker (str): The file the command creates: its existence proves
            the code ran.
    """

    def __init__(self, marker: str) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f'touch {shlex.quote(self.marker)}', ))


def save_code_running_checkpoint(path: str, marker: str, **contents) -> None:
    """Save ``contents`` with a :class:`CodeRunningPayload` under
    ``payload``.

    Args:
        path (str): The checkpoint file to write.
        marker (str): The file that unpickling it in full would create.
        **contents: The rest of the checkpoint (``state_dict``, ``meta``).
    """
    torch.save(dict(contents, payload=CodeRunningPayload(marker)), path)
