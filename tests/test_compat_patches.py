"""``import isic_plugins`` changes exactly the documented mmengine attributes.

Anyone adding ``custom_imports=['isic_plugins']`` to a stock config gets
these changes; an undocumented one (a new patch, or a patch that a refactor
forgot to remove) fails here.
"""
import json
import subprocess
import sys

#: Modules whose attributes (and whose classes' attributes) are compared.
WATCHED = [
    'mmengine.dist.utils', 'mmengine.logging',
    'mmengine.logging.history_buffer',
    'mmengine.model', 'mmengine.model.wrappers.distributed',
    'mmengine.runner', 'mmengine.runner.checkpoint', 'mmengine.runner.runner',
    'mmengine.fileio', 'mmengine.fileio.backends',
    'mmengine.fileio.backends.local_backend', 'mmengine.hooks',
    'mmengine.hooks.checkpoint_hook', 'mmengine.config',
]

SNAPSHOT = r'''
import importlib, inspect, json, sys
watched = json.loads(sys.argv[1])

def snapshot():
    seen = {}
    for name in watched:
        mod = importlib.import_module(name)
        for attr, value in vars(mod).items():
            seen[f'{name}.{attr}'] = id(value)
            if inspect.isclass(value) and value.__module__.startswith(
                    'mmengine'):
                for key, member in vars(value).items():
                    seen[f'{value.__module__}.{value.__qualname__}.'
                         f'{key}'] = id(member)
    return seen

before = snapshot()
import isic_plugins  # noqa
after = snapshot()
changed = sorted(k for k in before if after.get(k) != before[k])
print(json.dumps(changed))
'''


def _canonical(name: str) -> str:
    """The public spelling of a changed attribute (classes are re-exported
    under shorter module paths)."""
    return name.rsplit('.', 2)[-2] + '.' + name.rsplit('.', 1)[-1] \
        if name.count('.') > 1 else name


def test_import_changes_only_the_documented_attributes():
    res = subprocess.run([sys.executable, '-c', SNAPSHOT, json.dumps(WATCHED)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    changed = json.loads(res.stdout.strip().splitlines()[-1])
    from isic_plugins.utils.torch_compat import PATCHES
    documented = {_canonical(k) for k in PATCHES}
    found = {_canonical(k) for k in changed}
    assert found == documented, (
        f'import isic_plugins changed {sorted(found - documented)} without '
        f'documenting it in torch_compat.PATCHES, or no longer changes '
        f'{sorted(documented - found)}')


def test_every_patch_is_listed_in_the_readme(repo_root):
    from isic_plugins.utils.torch_compat import PATCHES
    with open(f'{repo_root}/README.md') as f:
        readme = f.read()
    for name in PATCHES:
        assert f'`{name}`' in readme, name
