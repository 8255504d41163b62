"""HeapReuseHook: freed training memory is reused instead of mapped anew."""
import subprocess
import sys
import textwrap

import pytest
from mmengine.registry import HOOKS

import isic_plugins  # noqa: F401
from isic_plugins.engine.heap_reuse_hook import _glibc

#: A fresh interpreter (the allocator's state is per process): page faults
#: of writing a 16 MiB block, freeing it, and writing a new one of the same
#: size, optionally after the hook ran.
SCRIPT = textwrap.dedent('''
    import ctypes, resource, sys
    from mmengine.registry import HOOKS
    import isic_plugins
    if sys.argv[1] == 'hook':
        HOOKS.build(dict(type='HeapReuseHook')).before_run(None)
    libc = ctypes.CDLL('libc.so.6')
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    size = 16 << 20

    def block():  # written all over, as a tensor is, then freed
        p = libc.malloc(size)
        ctypes.memset(p, 1, size)
        libc.free(p)

    block()
    before = faults()
    block()
    print(faults() - before)
''')


def _second_block_faults(mode: str) -> int:
    out = subprocess.run([sys.executable, '-c', SCRIPT, mode], check=True,
                         capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1])


@pytest.mark.skipif(_glibc() is None, reason='needs glibc (mallopt)')
def test_a_freed_block_is_reused_without_page_faults():
    # 16 MiB = 4096 pages: glibc's default maps the second block afresh
    # (its threshold moved above the first on free), the hook reuses it
    assert _second_block_faults('default') > 2000
    assert _second_block_faults('hook') < 200


def test_thresholds_outside_glibcs_range_are_refused():
    with pytest.raises(ValueError, match='mmap_threshold'):
        HOOKS.build(dict(type='HeapReuseHook', mmap_threshold=64 << 20))
    with pytest.raises(ValueError, match='trim_threshold'):
        HOOKS.build(dict(type='HeapReuseHook', trim_threshold=0))


def test_every_training_runtime_lists_it():
    from mmengine.config import Config
    for path in ('configs/quickstart/seg_quick.py',
                 'configs/realdata/'
                 'effnetlite0-skips_stage1-12e_isic2017+arch138_256px.py',
                 'configs/realdata/effnetlite0_multiclass-8e_isic2017_224px.py'):
        hooks = Config.fromfile(path).get('custom_hooks', [])
        assert dict(type='HeapReuseHook') in hooks, path
