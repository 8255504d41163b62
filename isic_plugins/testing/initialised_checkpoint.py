"""A checkpoint of a config's model as initialised, for tests and
benchmarks that need a model file but no trained one."""
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import save_checkpoint


def save_initialised_checkpoint(config: str, out: str, seed: int = 0) -> str:
    """Build ``config``'s model, initialise it (the bundled ImageNet encoder
    where the config asks for it, seeded random layers elsewhere) and save
    it as an mmengine checkpoint.

    Args:
        config (str): A segmentation or classification config.
        out (str): The ``.pth`` file to write.
        seed (int): Seed of the random layers. Defaults to 0.

    Returns:
        str: ``out``.
    """
    import isic_plugins  # noqa: F401  (registers the plugins)
    cfg = Config.fromfile(config)
    scope = cfg.get('default_scope', 'mmseg')
    init_default_scope(scope)
    if scope == 'mmseg':
        from mmseg.registry import MODELS
    else:
        from mmpretrain.registry import MODELS
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    save_checkpoint(dict(state_dict=model.state_dict(), meta={}), out)
    return out
