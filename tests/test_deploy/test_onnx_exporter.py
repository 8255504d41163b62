"""ONNXExporter: what the model card records, and what it refuses."""
import onnx
import pytest

from isic_plugins.apis.onnx_model_card import CARD_KEY, ONNXModelCard
from isic_plugins.deploy import ExportError, ONNXExporter
from isic_plugins.utils import CheckpointMismatchError


def _card(path):
    meta = {p.key: p.value for p in onnx.load(path).metadata_props}
    return meta, ONNXModelCard.from_metadata(meta, path)


def test_segmenter_card_has_the_config_s_preprocessing(exported_models):
    meta, card = _card(exported_models['seg_onnx'])
    assert CARD_KEY in meta and meta['opset'] == '17'
    assert meta['model_kind'] == 'segmenter'
    assert card.mean == [127.0] * 3 and card.std == [128.0] * 3
    assert card.channel_order == 'rgb'
    assert card.color_type == 'color_ignore_orientation'
    assert card.test_scale == [1024, 256] and card.test_keep_ratio
    assert card.tta['scales'] == [[1024, 224], [1024, 256], [1024, 288]]
    assert card.tta['flips'] == ['none', 'horizontal', 'vertical',
                                 'diagonal']
    assert card.classes == ['skin', 'lesion']


def test_classifier_card(exported_models):
    _, card = _card(exported_models['cls_onnx'])
    assert card.kind == 'classifier' and card.task == 'multiclass'
    assert card.resize_edge == dict(scale=224, edge='short')
    assert card.center_crop == [224, 224]
    assert card.lesion_crop == dict(margin=0.1, min_fraction=0.001)
    assert card.classes == ['melanoma', 'seborrheic_keratosis', 'nevus']


def test_checkpoint_of_another_config_is_refused(exported_models):
    with pytest.raises(CheckpointMismatchError) as info:
        ONNXExporter(exported_models['seg'], exported_models['cls_pth'])
    assert exported_models['cls_pth'] in str(info.value)
    assert exported_models['seg'] in str(info.value)


def test_unknown_test_transform_is_refused(exported_models, tmp_path):
    config = tmp_path / 'seg_with_blur.py'
    config.write_text(
        f"_base_ = ['{exported_models['seg']}']\n"
        "test_dataloader = dict(dataset=dict(pipeline=[\n"
        "    dict(type='LoadImageFromFile'),\n"
        "    dict(type='PhotoMetricDistortion'),\n"
        "    dict(type='PackSegInputs')]))\n")
    exporter = ONNXExporter(str(config), exported_models['seg_pth'])
    with pytest.raises(ExportError, match='PhotoMetricDistortion'):
        exporter.export(str(tmp_path / 'x.onnx'))
