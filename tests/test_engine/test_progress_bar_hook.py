"""ProgressBarHook: one bar step per test iteration, closed at the end."""
import io
from types import SimpleNamespace

from mmengine.registry import HOOKS

import isic_plugins  # noqa: F401


def test_bar_counts_test_iterations(monkeypatch):
    hook = HOOKS.build(dict(type='ProgressBarHook'))
    runner = SimpleNamespace(test_dataloader=list(range(3)))
    out = io.StringIO()
    hook.before_test_epoch(runner)
    hook._bar.file = out
    for i in range(3):
        hook.after_test_iter(runner, i)
    assert hook._bar.completed == 3
    hook.after_test_epoch(runner)
    assert hook._bar is None
    assert '3/3' in out.getvalue()


def test_validation_only_when_asked():
    runner = SimpleNamespace(val_dataloader=[0, 1])
    hook = HOOKS.build(dict(type='ProgressBarHook'))
    hook.before_val_epoch(runner)
    assert hook._bar is None
    hook = HOOKS.build(dict(type='ProgressBarHook', on_val=True))
    hook.before_val_epoch(runner)
    assert hook._bar is not None and hook._bar.task_num == 2
