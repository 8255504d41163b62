"""Table 1 on real images: the segmentation runs, rows and comparisons.

Two families. ``configs/realdata/`` (the first table): trained on every
challenge training image, scored on Test_v2. ``configs/fullframe/`` (the
full-frame table): the 341 full-frame training images held out of
training and scored as a validation split beside Test_v2; stage 1 with the
138 archive images or with the 6,000 HAM10000 archive images as well, at
equal iterations.
"""
from typing import List, Tuple

from .run_table import FF_TESTS, Comparison, Row, Run, Table

_R = 'configs/realdata/'
_F = 'configs/fullframe/'
_BOTH = ('test', 'test_tta')
_LITE = 'ImageNet EfficientNet-Lite0 + skips'
_S1, _S2 = 'seg_effnetlite0_short_stage1', 'seg_effnetlite0_short_stage2'
_M1, _M2 = 'seg_effnetlite0_stage1', 'seg_effnetlite0_stage2'
_R1, _R2 = 'seg_resnet18_scratch_stage1', 'seg_resnet18_scratch_stage2'
_H2 = 'seg_effnetlite0_stage2_hr320'
_L1, _L2 = 'seg_effnetlite2_short_stage1', 'seg_effnetlite2_short_stage2'
_320 = (('ISIC_REAL_TRAIN_ROOT_320', '{work}/data_320'), )

#: The first table: every training image in training, Test_v2.
REALDATA = Table(
    runs={r.name: r for r in [
        Run(_M1,
            _R + 'effnetlite0-skips_stage1-12e_isic2017+arch138_256px.py',
            'ImageNet EfficientNet-Lite0, stage 1: training + archive images',
            tests=('test', )),
        Run(_M2, _R + 'effnetlite0-skips_stage2-8e_isic2017_256px.py',
            'ImageNet EfficientNet-Lite0, stage 2: training images, lr '
            'decaying', parent=_M1, tests=_BOTH),
        Run(_S1,
            _R + 'effnetlite0-skips_stage1-6e_isic2017+arch138_256px.py',
            "ImageNet EfficientNet-Lite0 at the ablations' budget: stage 1, "
            '6 epochs', tests=('test', )),
        Run(_S2, _R + 'effnetlite0-skips_stage2-4e_isic2017_256px.py',
            "ImageNet EfficientNet-Lite0 at the ablations' budget: stage 2, "
            '4 epochs', parent=_S1, tests=_BOTH),
        Run(_L1,
            _R + 'effnetlite2-skips_stage1-6e_isic2017+arch138_256px.py',
            "ImageNet EfficientNet-Lite2 at the ablations' budget: stage 1, "
            '6 epochs'),
        Run(_L2, _R + 'effnetlite2-skips_stage2-4e_isic2017_256px.py',
            "ImageNet EfficientNet-Lite2 at the ablations' budget: stage 2, "
            '4 epochs', parent=_L1, tests=_BOTH),
        Run(_H2, _R + 'effnetlite0-skips_stage2-4e_isic2017_320px.py',
            'stage 2 at 320 px from the 12-epoch stage 1', parent=_M1,
            tests=_BOTH, env=_320),
        Run(_R1, _R +
            'resnet18-s16-scratch_stage1-6e_isic2017+arch138_256px.py',
            'ablation: ResNet-18 from scratch, stage 1'),
        Run(_R2, _R + 'resnet18-s16-scratch_stage2-4e_isic2017_256px.py',
            'ablation: ResNet-18 from scratch, stage 2', parent=_R1,
            tests=_BOTH),
        Run('seg_effnetlite0_1stage',
            _R + 'effnetlite0-skips_1stage-10e_isic2017_256px.py',
            'ablation: ImageNet EfficientNet-Lite0 in one stage',
            tests=_BOTH),
        Run('seg_effnetlite0_1stage_noskip',
            _R + 'effnetlite0-noskip_1stage-10e_isic2017_256px.py',
            "ablation: the paper's head without skip connections (one stage)",
            tests=_BOTH),
        Run('otsu', 'configs/baselines/seg_otsu.py',
            'classical baseline: Otsu threshold (nothing learned)',
            tests=('test', ), train=False),
    ]},
    groups=dict(
        main=[_M1, _M2], short=[_S1, _S2], hr320=[_M1, _H2],
        scratch=[_R1, _R2], onestage=['seg_effnetlite0_1stage'],
        otsu=['otsu'], noskip=['seg_effnetlite0_1stage_noskip'],
        lite2=[_L1, _L2]),
    rows=[
        Row('otsu', 'Otsu threshold on the blue channel (nothing learned)',
            'otsu', 'test', ()),
        Row('scratch', 'ResNet-18 from scratch, stage 1 -> 2, 6 + 4 epochs '
            '(the earlier recipe)', _R2, 'test', (_R1, _R2)),
        Row('scratch_tta', '... + multi-scale x 4-flip TTA', _R2, 'test_tta',
            (_R1, _R2)),
        Row('noskip', 'ImageNet EfficientNet-Lite0, paper head (no skips), '
            'training images, one stage, 10 epochs',
            'seg_effnetlite0_1stage_noskip', 'test',
            ('seg_effnetlite0_1stage_noskip', )),
        Row('onestage', f'{_LITE}, training images, one stage, 10 epochs '
            '("ResNet-Seg")', 'seg_effnetlite0_1stage', 'test',
            ('seg_effnetlite0_1stage', ), 76.1),
        Row('onestage_tta', '... + multi-scale x 4-flip TTA',
            'seg_effnetlite0_1stage', 'test_tta',
            ('seg_effnetlite0_1stage', )),
        Row('short_stage1', f'{_LITE}, stage 1 only (training + archive, '
            'fixed lr), 6 epochs', _S1, 'test', (_S1, )),
        Row('short', f'{_LITE}, stage 1 -> 2, 6 + 4 epochs', _S2, 'test',
            (_S1, _S2)),
        Row('short_tta', '... + multi-scale x 4-flip TTA', _S2, 'test_tta',
            (_S1, _S2)),
        Row('stage1', f'{_LITE}, stage 1 only, 12 epochs', _M1, 'test',
            (_M1, )),
        Row('main', f'{_LITE}, stage 1 -> 2, 12 + 8 epochs ("with extra '
            'images")', _M2, 'test', (_M1, _M2), 77.8),
        Row('main_tta', '... + multi-scale x 4-flip TTA ("MResNet-Seg")',
            _M2, 'test_tta', (_M1, _M2), 79.4),
        Row('hr320', f'{_LITE}, stage 1 (12 epochs, 256 px) -> stage 2 at '
            '320 px (4 epochs)', _H2, 'test', (_M1, _H2)),
        Row('hr320_tta', '... + multi-scale (288 / 320 / 352 px) x 4-flip '
            'TTA', _H2, 'test_tta', (_M1, _H2)),
        Row('lite2', 'ImageNet EfficientNet-Lite2 + skips, stage 1 -> 2, '
            '6 + 4 epochs', _L2, 'test', (_L1, _L2)),
        Row('lite2_tta', '... + multi-scale x 4-flip TTA', _L2, 'test_tta',
            (_L1, _L2)),
    ],
    comparisons=[
        Comparison('ImageNet encoder vs from scratch (6 + 4 epochs, single '
                   'view)', 'short', 'scratch'),
        Comparison('ImageNet encoder vs from scratch (6 + 4 epochs, TTA)',
                   'short_tta', 'scratch_tta'),
        Comparison('TTA vs single view (ImageNet, 12 + 8 epochs)',
                   'main_tta', 'main'),
        Comparison('TTA vs single view (ImageNet, 6 + 4 epochs)',
                   'short_tta', 'short'),
        Comparison('TTA vs single view (from scratch)', 'scratch_tta',
                   'scratch'),
        Comparison('two stages vs one stage (ImageNet, 10 epochs, single '
                   'view)', 'short', 'onestage'),
        Comparison('skip connections vs paper head (one stage, single '
                   'view)', 'onestage', 'noskip'),
        Comparison('12 + 8 vs 6 + 4 epochs (ImageNet, two stages, single '
                   'view)', 'main', 'short'),
        Comparison('stage 2 at 320 px vs 256 px (from the same stage 1, '
                   'TTA)', 'hr320_tta', 'main_tta'),
        Comparison('EfficientNet-Lite2 vs Lite0 encoder (6 + 4 epochs, TTA)',
                   'lite2_tta', 'short_tta'),
        Comparison('TTA vs single view (ImageNet Lite2, 6 + 4 epochs)',
                   'lite2_tta', 'lite2'),
    ])

# -- the full-frame table ----------------------------------------------
_A0, _A0S2 = 'ff_lite0_arch138_stage1', 'ff_lite0_arch138_stage2'
_H0, _H0S2 = 'ff_lite0_ham_stage1', 'ff_lite0_ham_stage2'
_FFS1 = 'effnetlite0-skips_stage1-666it_crops+arch138_256px.py'
_FFS1H = 'effnetlite0-skips_stage1-666it_crops+arch138+ham6k_256px.py'
_FFS2 = 'effnetlite0-skips_stage2-4e_crops_256px.py'
_SAMPLE = ('sample', 'sample_tta', 'sample_longer', 'sample_longer_tta')
_OLD = FF_TESTS + ('ff_longer', 'ff_longer_tta') + _SAMPLE
_THR = FF_TESTS + ('ffhard_tta_t40', 'ffhard_tta_t30') + _SAMPLE
_LCC = ('ff_tta_lcc', 'ffhard_tta_lcc', 'test_tta_lcc', 'sample_tta_lcc')
_H2, _H2S2 = 'ff_lite2_ham_stage1', 'ff_lite2_ham_stage2'
_L0, _L0S2 = 'ff_lite0_ham2x_stage1', 'ff_lite0_ham2x_stage2'
_LITE2 = 'ImageNet EfficientNet-Lite2 + skips'
_A2, _A2S2 = 'ff_lite2_arch138_stage1', 'ff_lite2_arch138_stage2'
_L2, _L2S2 = 'ff_lite2_ham2x_stage1', 'ff_lite2_ham2x_stage2'
_Z0, _Z0S2 = 'ff_lite0_zoomout_stage1', 'ff_lite0_zoomout_stage2'
_V0, _V0S2 = 'ff_lite0_lovasz_stage1', 'ff_lite0_lovasz_stage2'
_M2S2 = 'ff_lite2_ham_mix_stage2'
_V2S2 = 'ff_lite2_ham2x_lovasz_stage2'
_O2 = 'ff_lite2_ham_1stage'


def _two_stages(stage1: str, stage2: str, config1: str, config2: str,
                what1: str, what2: str,
                tests: Tuple[str, ...] = FF_TESTS + _SAMPLE[:2]) -> List[Run]:
    """A full-frame stage-1 run and the stage-2 run that starts from it,
    tested on ``tests``."""
    return [Run(stage1, _F + config1, what1),
            Run(stage2, _F + config2, what2, parent=stage1, tests=tests)]


def _with_tta(key: str, label: str, run: str,
              train_runs: Tuple[str, ...]) -> List[Row]:
    """A run's single-view row and its TTA row (``<key>_tta``)."""
    return [Row(key, label, run, 'test', train_runs),
            Row(f'{key}_tta', '... + multi-scale x 4-flip TTA', run,
                'test_tta', train_runs)]


def _on_splits(label: str, better: str, worse: str,
               splits: Tuple[str, ...]) -> List[Comparison]:
    """The same paired difference on each of ``splits``."""
    return [Comparison(label, better, worse, split) for split in splits]


FULLFRAME = Table(
    runs={r.name: r for r in [
        Run(_A0, _F + _FFS1, 'Lite0 stage 1, full frames held out: crops + '
            '138 archive images, 666 iterations'),
        Run(_A0S2, _F + _FFS2, 'Lite0 stage 2 on the crops, 4 epochs',
            parent=_A0, tests=_OLD),
        Run(_H0, _F + _FFS1H, 'Lite0 stage 1 at scale: crops + 138 + 6,000 '
            'HAM10000 archive images, 666 iterations'),
        Run(_H0S2, _F + _FFS2, 'Lite0 stage 2 on the crops, 4 epochs, from '
            'the large-archive stage 1', parent=_H0, tests=_OLD),
        Run(_L0, _F + _FFS1H.replace('666it', '1332it'),
            'Lite0 stage 1 at scale, 1,332 iterations (2x)'),
        Run(_L0S2, _F + _FFS2, 'Lite0 stage 2 on the crops, 4 epochs, from '
            'the 1,332-iteration stage 1', parent=_L0,
            tests=FF_TESTS + _SAMPLE),
        Run(_H2, _F + _FFS1H.replace('lite0', 'lite2'),
            'Lite2 stage 1 at scale: crops + 138 + 6,000 archive images'),
        Run(_H2S2, _F + _FFS2.replace('lite0', 'lite2'),
            'Lite2 stage 2 on the crops, 4 epochs', parent=_H2,
            tests=_THR + _LCC),
        *_two_stages(
            _A2, _A2S2, _FFS1.replace('lite0', 'lite2'),
            _FFS2.replace('lite0', 'lite2'),
            'Lite2 stage 1, full frames held out: crops + 138 archive '
            'images, 666 iterations',
            'Lite2 stage 2 on the crops, 4 epochs, from the 138-archive '
            'stage 1'),
        *_two_stages(
            _L2, _L2S2,
            _FFS1H.replace('lite0', 'lite2').replace('666it', '1332it'),
            _FFS2.replace('lite0', 'lite2'),
            'Lite2 stage 1 at scale, 1,332 iterations (2x)',
            'Lite2 stage 2 on the crops, 4 epochs, from the 1,332-iteration '
            'stage 1'),
        *_two_stages(
            _Z0, _Z0S2, _FFS1.replace('_256px', '_zoomout_256px'),
            _FFS2.replace('_256px', '_zoomout_256px'),
            'Lite0 stage 1 with zoom-out (resize 0.5-1.5): crops + 138 '
            'archive images, 666 iterations',
            'Lite0 stage 2 with zoom-out on the crops, 4 epochs'),
        *_two_stages(
            _V0, _V0S2, _FFS1H.replace('skips_', 'skips-lovasz_'),
            _FFS2.replace('skips_', 'skips-lovasz_'),
            'Lite0 stage 1 at scale with cross-entropy + Lovasz-softmax per '
            'image: crops + 138 + 6,000 archive images, 666 iterations',
            'Lite0 stage 2 with cross-entropy + Lovasz-softmax per image on '
            'the crops, 4 epochs'),
        Run(_M2S2, _F + 'effnetlite2-skips_stage2-408it_crops+ham6k_256px.py',
            'Lite2 stage 2 on the crops and the 6,000 HAM10000 full-field '
            'images, 408 iterations, from the large-archive stage 1',
            parent=_H2, tests=FF_TESTS + _SAMPLE[:2]),
        Run(_V2S2, _F + _FFS2.replace('lite0', 'lite2').replace(
            'skips_', 'skips-lovasz_'),
            'Lite2 stage 2 with cross-entropy + Lovasz-softmax per image on '
            'the crops, 4 epochs, from the 1,332-iteration stage 1',
            parent=_L2, tests=FF_TESTS + _SAMPLE[:2]),
        Run(_O2, _F + 'effnetlite2-skips_1stage-1074it_crops+arch138+ham6k_'
            '256px.py', 'Lite2 in one stage: crops + 138 + 6,000 archive '
            'images, 1,074 iterations (666 + 408), lr decaying',
            tests=FF_TESTS + _SAMPLE[:2]),
    ]},
    groups=dict(ff_lite0_arch138=[_A0, _A0S2], ff_lite0_ham=[_H0, _H0S2],
                ff_lite2_ham=[_H2, _H2S2],
                ff_lite0_ham2x=[_L0, _L0S2],
                ff_lite2_arch138=[_A2, _A2S2], ff_lite2_ham2x=[_L2, _L2S2],
                ff_lite0_zoomout=[_Z0, _Z0S2],
                ff_lite0_lovasz=[_V0, _V0S2],
                ff_lite2_ham_mix=[_H2, _M2S2],
                ff_lite2_ham2x_lovasz=[_L2, _V2S2],
                ff_lite2_ham_1stage=[_O2]),
    rows=[
        Row('ff_a0_longer', f'{_LITE}, 138 archive images, 666 + 408 it, '
            'test resize by the longer side (the old default)', _A0S2,
            'test', (_A0, _A0S2), ff='ff_longer', index=False),
        *_with_tta('ff_a0', f'{_LITE}, 138 archive images, 666 + 408 it',
                   _A0S2, (_A0, _A0S2)),
        *_with_tta('ff_h0', f'{_LITE}, + 6,000 HAM10000 archive images in '
                   'stage 1, 666 + 408 it', _H0S2, (_H0, _H0S2)),
        *_with_tta('ff_l0', f'{_LITE}, 6,138 archive images, 1,332 + 408 it',
                   _L0S2, (_L0, _L0S2)),
        *_with_tta('ff_h2', f'{_LITE2}, 6,138 archive images, 666 + 408 it',
                   _H2S2, (_H2, _H2S2)),
        Row('ff_h2_lcc', '... + TTA, largest connected region only',
            _H2S2, 'test_tta_lcc', (_H2, _H2S2), ff='ff_tta_lcc',
            index=False),
        *_with_tta('ff_a2', f'{_LITE2}, 138 archive images, 666 + 408 it',
                   _A2S2, (_A2, _A2S2)),
        *_with_tta('ff_z0', f'{_LITE}, 138 archive images, 666 + 408 it, '
                   'zoom-out (training resize 0.5-1.5)', _Z0S2, (_Z0, _Z0S2)),
        *_with_tta('ff_l2', f'{_LITE2}, 6,138 archive images, 1,332 + 408 '
                   'it', _L2S2, (_L2, _L2S2)),
        *_with_tta('ff_v0', f'{_LITE}, 6,138 archive images, 666 + 408 it, '
                   'cross-entropy + Lovasz-softmax per image', _V0S2,
                   (_V0, _V0S2)),
        *_with_tta('ff_h2m', f'{_LITE2}, 6,138 archive images, 666 + 408 '
                   'it, the 6,000 HAM10000 images in stage 2 as well',
                   _M2S2, (_H2, _M2S2)),
        *_with_tta('ff_l2v', f'{_LITE2}, 6,138 archive images, 1,332 + 408 '
                   'it, cross-entropy + Lovasz-softmax per image in stage 2',
                   _V2S2, (_L2, _V2S2)),
        *_with_tta('ff_o2', f'{_LITE2}, 6,138 archive images, one stage, '
                   '1,074 it', _O2, (_O2, )),
    ],
    comparisons=[
        Comparison('test resize by the shorter side vs the longer side '
                   '(Lite0, single view)', f'{_A0S2}/ff', f'{_A0S2}/ff_longer',
                   'ff'),
        Comparison('test resize by the shorter side vs the longer side '
                   '(Lite0, TTA)', f'{_A0S2}/ff_tta',
                   f'{_A0S2}/ff_longer_tta', 'ff'),
        Comparison('large archive (6,138) vs 138 archive images in stage 1, '
                   'equal iterations (Lite0, TTA)', 'ff_h0_tta', 'ff_a0_tta',
                   'ff'),
        Comparison('large archive (6,138) vs 138 archive images in stage 1, '
                   'equal iterations (Lite0, TTA)', 'ff_h0_tta', 'ff_a0_tta'),
        Comparison('TTA vs single view (Lite0, 138 archive images)',
                   'ff_a0_tta', 'ff_a0', 'ff'),
        Comparison('test resize by the shorter side vs the longer side '
                   '(Lite0, single view)', f'{_A0S2}/sample',
                   f'{_A0S2}/sample_longer', 'sample'),
        Comparison('test resize by the shorter side vs the longer side '
                   '(Lite0, TTA)', f'{_A0S2}/sample_tta',
                   f'{_A0S2}/sample_longer_tta', 'sample'),
        Comparison('large archive (6,138) vs 138 archive images in stage 1, '
                   'equal iterations (Lite0, TTA)', 'ff_h0_tta', 'ff_a0_tta',
                   'sample'),
        Comparison('stage 1 with 1,332 vs 666 iterations (Lite0, 6,138 '
                   'archive images, TTA)', 'ff_l0_tta', 'ff_h0_tta', 'ff'),
        Comparison('stage 1 with 1,332 vs 666 iterations (Lite0, 6,138 '
                   'archive images, TTA)', 'ff_l0_tta', 'ff_h0_tta'),
        Comparison('EfficientNet-Lite2 vs Lite0 (6,138 archive images, TTA)',
                   'ff_h2_tta', 'ff_h0_tta', 'ff'),
        Comparison('EfficientNet-Lite2 vs Lite0 (6,138 archive images, TTA)',
                   'ff_h2_tta', 'ff_h0_tta'),
        *_on_splits('largest connected region vs the whole TTA mask '
                    '(Lite2, 6,138 archive images)', 'ff_h2_lcc', 'ff_h2_tta',
                    ('ff', 'ffhard', 'test')),
        Comparison('TTA threshold 0.4 vs 0.5 (Lite2, 6,138 archive images)',
                   f'{_H2S2}/ffhard_tta_t40', f'{_H2S2}/ffhard_tta',
                   'ffhard'),
        Comparison('TTA threshold 0.3 vs 0.5 (Lite2, 6,138 archive images)',
                   f'{_H2S2}/ffhard_tta_t30', f'{_H2S2}/ffhard_tta',
                   'ffhard'),
        Comparison('large archive (6,138) vs 138 archive images in stage 1, '
                   'equal iterations (Lite0, TTA)', 'ff_h0_tta', 'ff_a0_tta',
                   'ffhard'),
        Comparison('EfficientNet-Lite2 vs Lite0 (6,138 archive images, TTA)',
                   'ff_h2_tta', 'ff_h0_tta', 'ffhard'),
        Comparison('TTA vs single view (Lite0, 138 archive images)',
                   'ff_a0_tta', 'ff_a0', 'ffhard'),
        *_on_splits('large archive (6,138) vs 138 archive images in stage 1, '
                    'equal iterations (Lite2, TTA)', 'ff_h2_tta', 'ff_a2_tta',
                    ('ff', 'ffhard', 'test')),
        *_on_splits('stage 1 with 1,332 vs 666 iterations (Lite2, 6,138 '
                    'archive images, TTA)', 'ff_l2_tta', 'ff_h2_tta',
                    ('ff', 'ffhard', 'test')),
        *_on_splits('zoom-out (training resize 0.5-1.5 vs 0.9-1.5; Lite0, '
                    '138 archive images, TTA)', 'ff_z0_tta', 'ff_a0_tta',
                    ('ff', 'ffhard', 'sample', 'test')),
        *_on_splits('loss: cross-entropy + Lovasz-softmax per image vs '
                    'cross-entropy + Dice (Lite0, 6,138 archive images, TTA)',
                    'ff_v0_tta', 'ff_h0_tta', ('ff', 'ffhard', 'test')),
        *_on_splits('stage 2 on the crops + 6,000 HAM10000 full-field '
                    'images vs the crops alone, equal iterations (Lite2, '
                    'same stage 1, TTA)', 'ff_h2m_tta', 'ff_h2_tta',
                    ('ff', 'ffhard', 'test')),
        *_on_splits('stage-2 loss: cross-entropy + Lovasz-softmax per image '
                    'vs cross-entropy + Dice (Lite2, same 1,332-iteration '
                    'stage 1, TTA)', 'ff_l2v_tta', 'ff_l2_tta',
                    ('ff', 'ffhard', 'test')),
        *_on_splits('two stages vs one stage, equal iterations (Lite2, '
                    '6,138 archive images, 666 + 408 vs 1,074 it, TTA)',
                    'ff_h2_tta', 'ff_o2_tta', ('ff', 'ffhard', 'test')),
    ])

#: The tables of the ``seg`` pipeline, in the order they are run.
SEG_TABLES = dict(realdata=REALDATA, fullframe=FULLFRAME)
