"""One TTA wrapping for tools/test.py --tta and the LesionSegmenter API."""
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.runner import load_checkpoint
from mmseg.registry import MODELS

import isic_plugins  # noqa: F401
from isic_plugins.apis import LesionSegmenter
from isic_plugins.datasets import isic_layout
from isic_plugins.models.segmentors.isic_seg_tta_model import ISICSegTTAModel
from isic_plugins.utils.tta_wrapping import apply_tta

TINY = 'tests/data/tiny_seg_config.py'


@pytest.mark.usefixtures('mmseg_scope')
def test_test_tool_and_api_build_the_same_tta_model(
        repo_root, synthetic_isic, tiny_seg_checkpoint):
    config = osp.join(repo_root, TINY)
    # tools/test.py --tta (enable_tta): the config the Runner builds, then
    # loads the checkpoint into
    cfg = Config.fromfile(config)
    assert apply_tta(cfg)
    tool_model = MODELS.build(cfg.model).eval()
    load_checkpoint(tool_model, tiny_seg_checkpoint, map_location='cpu')
    tool_pipeline = Compose(cfg.test_dataloader.dataset.pipeline)
    # the API: the built model with its weights, wrapped
    api = LesionSegmenter(config, tiny_seg_checkpoint, tta=True)

    assert isinstance(api.model, ISICSegTTAModel)
    assert type(tool_model) is type(api.model)
    plain = Config.fromfile(config)
    for model in (tool_model, api.model):
        assert model.scales == [tuple(s) for s in plain.tta_model.scales]
        assert list(model.flips) == list(plain.tta_model.flips)
    # the same probabilities for an image, each through its own pipeline
    image_dir = osp.join(synthetic_isic, isic_layout.image_dir('Test_v2'))
    name = sorted(os.listdir(image_dir))[0]
    image_id = isic_layout.image_id_of(name)
    mask = osp.join(synthetic_isic, isic_layout.mask_dir('Test_v2'),
                    isic_layout.mask_name(image_id))
    data = tool_pipeline(dict(img_path=osp.join(image_dir, name),
                              seg_map_path=mask, reduce_zero_label=False,
                              seg_fields=[]))
    with torch.no_grad():
        tool_out = tool_model.test_step(pseudo_collate([data]))[0]
    api_out = api(osp.join(image_dir, name))
    prob = tool_out.seg_logits.data.softmax(0)[1].numpy()
    assert prob.shape == api_out['probability'].shape
    assert abs(prob - api_out['probability']).max() < 1e-5


def test_a_config_without_tta_model_is_left_alone(repo_root):
    cfg = Config.fromfile(osp.join(repo_root, TINY))
    cfg.pop('tta_model')
    before = cfg.to_dict()
    assert apply_tta(cfg) is False
    assert cfg.to_dict() == before


def test_without_tta_pipeline_the_test_pipeline_is_kept(repo_root):
    cfg = Config.fromfile(osp.join(repo_root, TINY))
    cfg.pop('tta_pipeline')
    pipeline = cfg.test_dataloader.dataset.pipeline
    model = cfg.model
    assert apply_tta(cfg) is True
    assert cfg.test_dataloader.dataset.pipeline == pipeline
    assert cfg.model.type == 'ISICSegTTAModel'
    assert cfg.model.module == model
    assert 'module' not in cfg.tta_model
