"""Refuse a ``--cfg-options`` key that the object it lands in does not take.

``--cfg-options train_dataloader.dataset.data_root=...`` on a config whose
training set is a ``ConcatDataset`` adds ``data_root`` to the
``ConcatDataset``, which has no such argument: mmengine only notices when it
builds the dataset, and the run ends in a ``TypeError`` stack trace. Here
every key of ``--cfg-options`` is checked, right after the merge, against
the signature of the class its parent node builds (looked up in the
registries of the config's scope, as mmengine would), and a refused key is
named with the key that was meant: the same name in a node below that takes
it (``train_dataloader.dataset.datasets.0.data_root``), or the closest
argument name.
"""
import difflib
import inspect
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

#: Root registries searched for a node's ``type``, in this order.
_REGISTRIES = ('DATASETS', 'TRANSFORMS', 'MODELS', 'HOOKS', 'METRICS',
               'EVALUATOR', 'DATA_SAMPLERS', 'OPTIM_WRAPPERS', 'OPTIMIZERS',
               'PARAM_SCHEDULERS', 'VISUALIZERS', 'VISBACKENDS', 'LOOPS',
               'LOG_PROCESSORS', 'MODEL_WRAPPERS',
               'OPTIM_WRAPPER_CONSTRUCTORS', 'TASK_UTILS',
               'WEIGHT_INITIALIZERS', 'FUNCTIONS')

#: Registries a path's parts point at first (a type name may exist in
#: several registries: the one its place in the config uses wins).
_HINTS = (('pipeline', 'TRANSFORMS'), ('dataset', 'DATASETS'),
          ('sampler', 'DATA_SAMPLERS'), ('hook', 'HOOKS'),
          ('evaluator', 'METRICS'), ('optim_wrapper', 'OPTIM_WRAPPERS'),
          ('optimizer', 'OPTIMIZERS'), ('param_scheduler',
                                        'PARAM_SCHEDULERS'),
          ('vis_backends', 'VISBACKENDS'), ('visualizer', 'VISUALIZERS'),
          ('model', 'MODELS'))

#: Keys that mmengine's builders take from a node before the class sees the
#: rest: the runner a hook's ``priority``, the optimizer wrapper
#: constructor ``constructor`` and ``paramwise_cfg``.
_BUILDER_KEYS = {'type', '_scope_', 'priority', 'constructor',
                 'paramwise_cfg'}

#: Keys of a ``*_dataloader`` node that mmengine's ``Runner.build_dataloader``
#: consumes itself; the rest go to ``torch.utils.data.DataLoader``.
_LOADER_KEYS = ('dataset', 'sampler', 'batch_sampler', 'collate_fn',
                'worker_init_fn', 'num_batch_per_epoch',
                'disable_subprocess_warning')


class ConfigKeyError(KeyError):
    """A ``--cfg-options`` key that its target does not take."""

    def __str__(self) -> str:
        return str(self.args[0])


def _registry_class(type_name: str, scope: Optional[str],
                    path: Sequence[str] = ()):
    """The class (or function) ``type_name`` names in ``scope``, or None;
    the registries ``path`` points at are searched first."""
    import mmengine.registry as root
    hinted = [registry for part in reversed(path) for word, registry in
              _HINTS if word in part]
    for name in dict.fromkeys(hinted + list(_REGISTRIES)):
        registry = getattr(root, name, None)
        if registry is None:
            continue
        try:
            with registry.switch_scope_and_registry(scope) as reg:
                found = reg.get(type_name)
        except Exception:  # noqa: BLE001 - a lookup that fails: not here
            found = None
        if found is not None:
            return found
    return None


def _accepted(node: dict, path: Sequence[str],
              scope: Optional[str]) -> Optional[Tuple[str, set, bool]]:
    """What the object built from ``node`` takes.

    Returns:
        tuple | None: ``(name of the class, argument names, takes any
        keyword)``, or None where it cannot be known (no type, a type not
        found).
    """
    if 'type' not in node:
        if len(path) == 1 and path[0].endswith('_dataloader'):
            from torch.utils.data import DataLoader
            args = set(inspect.signature(DataLoader).parameters)
            return 'DataLoader', args | set(_LOADER_KEYS), False
        return None
    kind = node['type']
    target = kind if callable(kind) else _registry_class(
        str(kind), scope, path)
    if target is None:
        return None
    try:
        params = inspect.signature(target).parameters
    except (TypeError, ValueError):
        return None
    takes_any = any(p.kind == p.VAR_KEYWORD for p in params.values())
    name = getattr(target, '__name__', str(kind))
    return name, set(params) | _BUILDER_KEYS, takes_any


def _get(cfg, path: Sequence[str]):
    node = cfg.get(path[0])  # a Config is no dict; its nodes are
    for part in path[1:]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, (list, tuple)) and part.isdigit() and \
                int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _children(node, path: List[str]) -> Iterator[Tuple[List[str], dict]]:
    """Every dict below ``node`` (not ``node`` itself), with its path."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        if isinstance(child, (dict, list, tuple)):
            child_path = path + [str(key)]
            if isinstance(child, dict):
                yield child_path, child
            yield from _children(child, child_path)


def _meant(node: dict, path: List[str], name: str,
           scope: Optional[str]) -> List[str]:
    """Keys below ``node`` where ``name`` belongs: nodes that already set it
    first, else nodes whose class takes it."""
    setting, taking = [], []
    for child_path, child in _children(node, path):
        key = '.'.join(child_path + [name])
        if name in child:
            setting.append(key)
            continue
        accepted = _accepted(child, child_path, scope)
        if accepted and name in accepted[1]:
            taking.append(key)
    return setting or taking


def check_cfg_options(cfg, options: Dict[str, object],
                      scope: Optional[str] = None) -> None:
    """Check each ``--cfg-options`` key against what its target takes.

    Args:
        cfg (Config): The config, ``options`` already merged.
        options (dict): ``--cfg-options`` as parsed (dotted keys).
        scope (str, optional): Registry scope; defaults to the config's
            ``default_scope``.

    Raises:
        ConfigKeyError: One or more keys land in an object that does not
            take them; the message names each with the key that was meant.
    """
    scope = scope or cfg.get('default_scope')
    problems = []
    for key in options:
        path = key.split('.')
        name = path[-1]
        if len(path) < 2 or name.startswith('_'):
            continue
        parent = _get(cfg, path[:-1])
        if not isinstance(parent, dict):
            continue
        accepted = _accepted(parent, path[:-1], scope)
        if accepted is None:
            continue
        cls_name, args, takes_any = accepted
        if takes_any or name in args:
            continue
        where = '.'.join(path[:-1])
        text = (f'--cfg-options {key}: {where} builds a {cls_name}, which '
                f'takes no argument {name!r}')
        meant = _meant(parent, path[:-1], name, scope)
        if meant:
            text += f'; you meant {" and ".join(meant)}'
            if len(meant) > 1:
                text += ' (one for each)'
        else:
            close = difflib.get_close_matches(name, sorted(args), n=1)
            if close:
                text += f'; you meant {where}.{close[0]}'
        problems.append(text)
    if problems:
        raise ConfigKeyError('\n'.join(problems))
