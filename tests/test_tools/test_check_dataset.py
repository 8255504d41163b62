"""tools/check_dataset.py on a folder holding every data case at once."""
import os
import os.path as osp
import subprocess

import cv2
import numpy as np

SEG = 'ISIC2017SegmentationDataset'
IMG, GT = 'ISIC-2017_Training_Data', 'ISIC-2017_Training_Part1_GroundTruth'
PART3 = 'image_id,melanoma,seborrheic_keratosis\n'


def make_all_cases(root, messy):
    """Write a messy ISIC tree and a config reading it.

    Returns:
        tuple[str, list[tuple[str, str, str]]]: The config and, per case,
        ``(severity, file the report must name, text on its line)``.
    """
    def img(name, folder=IMG):
        return osp.join(root, folder, name)

    def gt(image_id, folder=GT):
        return osp.join(root, folder, f'{image_id}_segmentation.png')

    cases = []
    # every image below has a good mask unless the case is about the mask
    for i in range(16):
        if i not in (13, ):
            messy.mask(gt(f'ISIC_00000{i:02d}'))
    messy.image(img('ISIC_0000000.jpg'))
    cases.append(('ERROR', messy.truncated(img('ISIC_0000001.jpg')),
                  'truncated or corrupt'))
    cases.append(('ERROR', messy.raw(img('ISIC_0000002.jpg')),
                  'empty file (0 bytes)'))
    cases.append(('ERROR', messy.raw(img('ISIC_0000003.jpg'),
                                     b'<!DOCTYPE html><html>Not found'),
                  'not an image'))
    cases.append(('NOTE', messy.pil_image(img('ISIC_0000004.jpg'), 'L',
                                          fmt='JPEG'), 'grayscale'))
    cases.append(('NOTE', messy.pil_image(img('ISIC_0000005.jpg'), 'RGBA',
                                          fmt='PNG'), 'RGBA'))
    cases.append(('NOTE', messy.pil_image(img('ISIC_0000006.jpg'), 'I;16',
                                          fmt='PNG'), '16-bit'))
    cases.append(('NOTE', messy.pil_image(img('ISIC_0000007.jpg'), 'CMYK',
                                          fmt='JPEG'), 'CMYK'))
    cases.append(('NOTE', messy.pil_image(img('ISIC_0000008.jpg'), 'RGB',
                                          fmt='JPEG', exif_orientation=6),
                  'EXIF orientation 6'))
    messy.image(img('ISIC_0000009.jpg'))
    cases.append(('ERROR', messy.mask(gt('ISIC_0000009'), size=(20, 16)),
                  'mask is 20x16 but its image'))
    messy.image(img('ISIC_0000010.jpg'))
    cases.append(('NOTE', messy.mask(gt('ISIC_0000010'), values=(0, 200)),
                  'neither 0 nor 255'))
    messy.image(img('ISIC_0000011.jpg'))
    cases.append(('NOTE', messy.mask(gt('ISIC_0000011'), channels=3),
                  '3-channel mask'))
    messy.image(img('ISIC_0000012.jpg'))
    colour = np.zeros((16, 24, 3), np.uint8)
    colour[4:8, 6:12, 2] = 255
    cv2.imwrite(gt('ISIC_0000012'), colour)
    cases.append(('ERROR', gt('ISIC_0000012'), 'channels differ'))
    cases.append(('ERROR', messy.image(img('ISIC_0000013.jpg')),
                  'no mask'))
    cases.append(('ERROR', messy.mask(gt('ISIC_0000014')),
                  'mask without an image'))
    messy.image(img('ISIC_0000015.jpg'))
    messy.image(img('ISIC_0000015.JPG'))
    cases.append(('ERROR', img('ISIC_0000015.jpg'),
                  'duplicate image id: ISIC_0000015.JPG'))
    messy.mask(gt('ISIC_0000016'), size=(96, 96))
    cases.append(('ERROR', messy.corrupt_middle(img('ISIC_0000016.jpg'),
                                                size=(96, 96)),
                  'corrupt JPEG data'))
    # an archive source holding a challenge image again, one whose metadata
    # lacks the filter column, an empty folder and a data root that is not
    # there
    messy.image(img('ISIC_0000000.jpg', 'archive/images'))
    messy.mask(gt('ISIC_0000000', 'archive/masks'))
    with open(osp.join(root, 'archive', 'metadata.csv'), 'w') as f:
        f.write('isic_id,segmentation_skill\nISIC_0000000,expert\n')
    cases.append(('ERROR', img('ISIC_0000000.jpg', 'archive/images'),
                  'duplicate image id ISIC_0000000'))
    messy.image(img('ISIC_0000020.jpg', 'archive2/images'))
    messy.mask(gt('ISIC_0000020', 'archive2/masks'))
    meta2 = osp.join(root, 'archive2', 'metadata.csv')
    with open(meta2, 'w') as f:
        f.write('isic_id,skill\nISIC_0000020,expert\n')
    cases.append(('ERROR', meta2, "no column 'segmentation_skill'"))
    os.makedirs(osp.join(root, 'empty', 'images'))
    os.makedirs(osp.join(root, 'empty', 'masks'))
    cases.append(('ERROR', osp.join(root, 'empty', 'images'),
                  'no images <id>.jpg'))
    cases.append(('ERROR', osp.join(root, 'not_there'),
                  'data root does not exist'))
    # Part 3 CSVs: one without a column, one with every row problem
    for i in range(3):
        messy.image(img(f'ISIC_00001{i:02d}.jpg', 'cls_images'))
    cols = osp.join(root, 'part3_columns.csv')
    with open(cols, 'w') as f:
        f.write('image_id,melanoma\nISIC_0000100,1\n')
    cases.append(('ERROR', cols, "missing column(s) ['seborrheic_keratosis']"))
    rows = osp.join(root, 'part3_rows.csv')
    with open(rows, 'w') as f:
        f.write(PART3 + 'ISIC_0000100,1,1\nISIC_0000101,0.5,0\n'
                ',0,0\nISIC_0000999,0,0\nISIC_0000102,0,0\n')
    cases += [('ERROR', rows, 'both melanoma and seborrheic_keratosis'),
              ('ERROR', rows, "'melanoma' must hold 0 or 1"),
              ('ERROR', rows, 'have no image_id'),
              ('ERROR', rows, 'no image <id>.jpg in')]

    def seg(data_root, img_dir, gt_dir, **kw):
        return dict(type=kw.pop('type', SEG), data_root=data_root,
                    data_prefix=dict(img_path=img_dir, seg_map_path=gt_dir),
                    pipeline='PIPELINE', **kw)

    def cls(ann_file):
        return dict(type='mmpretrain.ISIC2017ClassificationDataset',
                    data_root=root, ann_file=ann_file,
                    data_prefix='cls_images', pipeline=[])

    archive = 'ISICArchiveSegmentationDataset'
    train = dict(type='ConcatDataset', datasets=[
        seg(root, IMG, GT),
        seg(osp.join(root, 'archive'), 'images', 'masks', type=archive),
        seg(osp.join(root, 'archive2'), 'images', 'masks', type=archive),
        seg(osp.join(root, 'empty'), 'images', 'masks'),
        seg(osp.join(root, 'not_there'), 'images', 'masks')])
    config = osp.join(root, 'all_cases.py')
    with open(config, 'w') as f:
        f.write(
            "default_scope = 'mmseg'\n"
            "custom_imports = dict(imports=['isic_plugins'], "
            'allow_failed_imports=False)\n'
            "PIPELINE = [dict(type='LoadImageFromFile', "
            "color_type='color_ignore_orientation'), "
            "dict(type='LoadISICAnnotations')]\n"
            f'train_dataloader = dict(dataset={train!r})\n'
            f"val_dataloader = dict(dataset={cls('part3_rows.csv')!r})\n"
            f"test_dataloader = dict(dataset={cls('part3_columns.csv')!r})\n"
            .replace("'PIPELINE'", 'PIPELINE'))
    return config, cases


def test_every_case_is_reported_at_once(tmp_path, messy, python, repo_root):
    root = str(tmp_path / 'messy')
    config, cases = make_all_cases(root, messy)
    res = subprocess.run(
        [python, 'tools/check_dataset.py', config], cwd=repo_root,
        capture_output=True, text=True, timeout=300)
    assert res.returncode == 1, res.stderr[-3000:]
    lines = res.stdout.splitlines()
    for severity, path, text in cases:
        hits = [line for line in lines
                if line.strip().startswith(f'{severity} {path}:')
                and text in line]
        assert hits, (severity, path, text, res.stdout)
    summary = lines[-1]
    errors = sum(1 for s, _, _ in cases if s == 'ERROR')
    assert f'{errors} error(s)' in summary, summary
    assert '1 mask(s) with values other than 0/255' in summary


def test_clean_data_passes(synthetic_isic, python, repo_root):
    roots = [f'{split}_dataloader.dataset.data_root={synthetic_isic}'
             for split in ('train', 'val', 'test')]
    res = subprocess.run(
        [python, 'tools/check_dataset.py', 'configs/quickstart/seg_quick.py',
         '--cfg-options', *roots], cwd=repo_root, capture_output=True,
        text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr[-3000:]
    assert '0 error(s), 0 note(s) in 24 sample(s) of 3 dataset(s)' in \
        res.stdout
