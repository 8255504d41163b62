"""A --cfg-options key that the built object does not take is named with
the key that was meant, before anything is built."""
import pytest

import isic_plugins  # noqa: F401  (registers the datasets)
from isic_plugins.utils.cfg_options_check import ConfigKeyError
from isic_plugins.utils.config_loading import load_config

QUICK_CLS = 'configs/quickstart/cls_multiclass_quick.py'


def _refusal(config, **options) -> str:
    with pytest.raises(ConfigKeyError) as error:
        load_config(config, options)
    return str(error.value)


def test_data_root_of_a_concat_dataset_names_the_dataset_inside():
    assert _refusal(QUICK_CLS, **{'train_dataloader.dataset.data_root': 'x'}
                    ) == (
        '--cfg-options train_dataloader.dataset.data_root: '
        'train_dataloader.dataset builds a ConcatDataset, which takes no '
        "argument 'data_root'; you meant "
        'train_dataloader.dataset.datasets.0.data_root')
    # the paper's config concatenates two datasets: both are named
    assert _refusal('configs/cls_multiclass.py',
                    **{'train_dataloader.dataset.data_root': 'x'}).endswith(
        'you meant train_dataloader.dataset.datasets.0.data_root and '
        'train_dataloader.dataset.datasets.1.data_root (one for each)')


def test_misspelt_keys_name_the_closest_argument():
    assert _refusal(QUICK_CLS, **{'train_dataloader.btach_size': 8}) == (
        '--cfg-options train_dataloader.btach_size: train_dataloader builds '
        "a DataLoader, which takes no argument 'btach_size'; you meant "
        'train_dataloader.batch_size')
    assert _refusal('tests/data/tiny_seg_config.py',
                    **{'model.backbone.dpeth': 18}).endswith(
        "ResNet, which takes no argument 'dpeth'; you meant "
        'model.backbone.depth')


def test_index_beyond_a_list_is_one_message():
    assert _refusal(QUICK_CLS, **{'custom_hooks.9.max_skips': 1}).startswith(
        '--cfg-options: "Index 9 exceeds the length of list')


def test_keys_the_objects_take_pass():
    cfg = load_config('tests/data/tiny_seg_config.py', {
        'train_dataloader.dataset.data_root': 'x',
        'train_dataloader.num_workers': 2,
        'train_dataloader.timeout': 5,
        'train_dataloader.dataset.pipeline.2.scale': (32, 32),
        'train_dataloader.dataset.on_bad_sample': 'skip',
        'model.data_preprocessor.std': [1, 1, 1],
        'model.decode_head.loss_decode.0.loss_weight': 2.0,
        'optim_wrapper.optimizer.lr': 0.001,
        'custom_hooks.1.max_skips': 3,
        'default_hooks.checkpoint.max_keep_ckpts': 1,
        'env_cfg.dist_cfg.timeout': 60,
        'test_evaluator.prob_out': 'y',
        'train_cfg.max_epochs': 2,
    })
    assert cfg.custom_hooks[1] == dict(type='NonFiniteLossHook',
                                       max_skips=3)
    load_config(QUICK_CLS,
                {'train_dataloader.dataset.datasets.0.data_root': 'x',
                 'model.head.num_classes': 3})
