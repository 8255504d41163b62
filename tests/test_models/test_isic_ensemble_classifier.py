"""The ensemble rule on tiny members whose outputs are known."""
import pytest
import torch
from mmengine.runner.checkpoint import (
    load_checkpoint,
    save_checkpoint,
    weights_to_cpu,
)
from mmpretrain.registry import MODELS

import isic_plugins  # noqa: F401
from isic_plugins.testing.tiny_classifier import write_tiny_classifier_config

pytestmark = pytest.mark.usefixtures('mmpretrain_scope')

MEAN = [123.675, 116.28, 103.53]
# Member probabilities for every image: the head ignores its input.
MC, MEL, SK = [0.6, 0.3, 0.1], [0.2, 0.8], [0.9, 0.1]


def _member(tmp_path, name, probs, mean=MEAN):
    """Write a member config and a checkpoint whose softmax is ``probs``."""
    config = str(tmp_path / f'{name}.py')
    model = MODELS.build(write_tiny_classifier_config(config, len(probs),
                                                      mean))
    with torch.no_grad():
        model.head.fc.weight.zero_()
        model.head.fc.bias.copy_(torch.tensor(probs).log())
    ckpt = str(tmp_path / f'{name}.pth')
    save_checkpoint(dict(meta={}, state_dict=weights_to_cpu(
        model.state_dict())), ckpt)
    return dict(config=config, checkpoint=ckpt)


def _ensemble(tmp_path, mc=MC, mel=MEL, sk=SK, **kw):
    cfg = dict(type='ISICEnsembleClassifier',
               multiclass=_member(tmp_path, 'mc', mc),
               melanoma=_member(tmp_path, 'mel', mel),
               seborrheic_keratosis=_member(tmp_path, 'sk', sk), **kw)
    model = MODELS.build(cfg)
    model.init_weights()
    return model.eval()


def test_default_rule_averages_task_probabilities(tmp_path):
    model = _ensemble(tmp_path)
    scores = model(torch.randn(2, 3, 32, 32), mode='tensor')
    # p_mel = .5*.6 + .5*.8, p_sk = .5*.3 + .5*.1, nevus = 1 - both
    expected = torch.tensor([[0.7, 0.2, 0.1]] * 2)
    torch.testing.assert_close(scores, expected, atol=1e-5, rtol=0)


def test_weights_and_clipping(tmp_path):
    model = _ensemble(tmp_path, multiclass_weight=0.25, binary_weight=0.75)
    scores = model(torch.randn(1, 3, 32, 32), mode='tensor')
    torch.testing.assert_close(
        scores, torch.tensor([[0.75, 0.15, 0.1]]), atol=1e-5, rtol=0)
    # p_mel + p_sk > 1: nevus is clipped to 0
    model = _ensemble(tmp_path, mc=[0.1, 0.8, 0.1], mel=[0.1, 0.9],
                      sk=[0.1, 0.9])
    scores = model(torch.randn(1, 3, 32, 32), mode='tensor')
    torch.testing.assert_close(
        scores, torch.tensor([[0.5, 0.85, 0.0]]), atol=1e-5, rtol=0)


def test_predict_fills_data_samples_in_3_class_layout(tmp_path):
    model = _ensemble(tmp_path)
    data = dict(inputs=[torch.randint(0, 255, (3, 32, 32), dtype=torch.uint8)
                        for _ in range(2)])
    samples = model.test_step(data)
    assert len(samples) == 2
    torch.testing.assert_close(samples[0].pred_score,
                               torch.tensor([0.7, 0.2, 0.1]), atol=1e-5,
                               rtol=0)
    assert samples[0].pred_label.item() == 0


def test_saved_ensemble_reloads_and_member_checkpoint_is_refused(tmp_path):
    model = _ensemble(tmp_path)
    path = str(tmp_path / 'ensemble.pth')
    save_checkpoint(dict(meta={}, state_dict=weights_to_cpu(
        model.state_dict())), path)
    assert {k.split('.')[0] for k in model.state_dict()} == {
        'multiclass', 'melanoma', 'seborrheic_keratosis'}
    fresh = MODELS.build(dict(
        type='ISICEnsembleClassifier',
        **{k: dict(config=v['config'])
           for k, v in model.member_specs.items()})).eval()
    # the runner loads `load_from` like this (non-strict)
    load_checkpoint(fresh, path, strict=False)
    x = torch.randn(1, 3, 32, 32)
    torch.testing.assert_close(fresh(x), model(x))
    with pytest.raises(ValueError, match='build_ensemble'):
        load_checkpoint(fresh, model.member_specs['melanoma']['checkpoint'],
                        strict=False)


def test_invalid_weights_and_members_are_refused(tmp_path):
    with pytest.raises(ValueError, match='sum to 1'):
        _ensemble(tmp_path, multiclass_weight=0.5, binary_weight=0.7)
    with pytest.raises(ValueError, match='must have 2'):
        _ensemble(tmp_path, mel=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="'melanoma'.*mean, std"):
        MODELS.build(dict(
            type='ISICEnsembleClassifier',
            multiclass=_member(tmp_path, 'mc', MC),
            melanoma=_member(tmp_path, 'mel', MEL, mean=[0, 0, 0]),
            seborrheic_keratosis=_member(tmp_path, 'sk', SK)))


def test_missing_member_checkpoint_says_how_to_train_it(tmp_path):
    members = dict(multiclass=_member(tmp_path, 'mc', MC),
                   melanoma=_member(tmp_path, 'mel', MEL),
                   seborrheic_keratosis=_member(tmp_path, 'sk', SK))
    members['melanoma']['checkpoint'] = str(tmp_path / 'missing.pth')
    model = MODELS.build(dict(type='ISICEnsembleClassifier', **members))
    with pytest.raises(FileNotFoundError, match='tools/train.py .*mel.py'):
        model.init_weights()
    with pytest.raises(RuntimeError, match='not trained'):
        model(torch.randn(1, 3, 32, 32), mode='loss')
