"""Offline downscaling of ISIC folders (Bi et al.: 500 px / 224 px)."""
import os
import os.path as osp
import shutil
from dataclasses import dataclass
from typing import List, Optional, Tuple

import pandas as pd
from PIL import Image

from ..datasets.isic_layout import MASK_SUFFIXES

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff')
SIZES_FILE = 'original_sizes.csv'


def is_mask(path: str) -> bool:
    """Whether ``path`` is an ISIC lesion mask (by its name)."""
    return path.endswith(MASK_SUFFIXES)


def target_size(width: int, height: int, longer: Optional[int],
                shorter: Optional[int]) -> Tuple[int, int]:
    """Size after scaling so the longer (or shorter) side is at most N.

    Never upscales; the aspect ratio is kept.

    Args:
        width (int): Original width.
        height (int): Original height.
        longer (int, optional): Target length of the longer side.
        shorter (int, optional): Target length of the shorter side.

    Returns:
        tuple[int, int]: ``(width, height)``.
    """
    if (longer is None) == (shorter is None):
        raise ValueError('give exactly one of longer / shorter')
    scale = (longer / max(width, height) if longer is not None else
             shorter / min(width, height))
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def downscale_image(src: str, size_fn, draft: bool = True) -> Image.Image:
    """Decode ``src`` and resize it to ``size_fn(width, height)``.

    For JPEGs, ``draft`` lets libjpeg decode directly at 1/2, 1/4 or 1/8
    scale (the DCT is partly skipped), the largest reduction that stays at
    least as large as the target, so a 4288x2848 photo is never decoded in
    full to make a 500 px image; a Lanczos resize then gives the exact size.

    Args:
        src (str): Image file.
        size_fn (Callable[[int, int], tuple[int, int]]): Target size from the
            original ``(width, height)``.
        draft (bool): Use decoder-level downscaling. Defaults to True.

    Returns:
        PIL.Image.Image: The RGB image at the target size.
    """
    with Image.open(src) as im:
        tw, th = size_fn(*im.size)
        if draft and im.format == 'JPEG' and (tw, th) != im.size:
            im.draft('RGB', (tw, th))
        im = im.convert('RGB')
        if im.size != (tw, th):
            im = im.resize((tw, th), Image.Resampling.LANCZOS)
        return im


@dataclass
class DownscaleJob:
    """One file to downscale or copy."""
    src: str
    dst: str
    longer: Optional[int]
    shorter: Optional[int]
    draft: bool = True
    jpeg_quality: int = 95


def _up_to_date(src: str, dst: str) -> bool:
    return osp.isfile(dst) and osp.getmtime(dst) >= osp.getmtime(src)


def run_job(job: DownscaleJob) -> Tuple[str, str, int, int]:
    """Downscale (images, masks) or copy (anything else) one file.

    Masks are resized with nearest neighbour so that they keep 0/255.

    Returns:
        tuple: ``(status, relative id, original width, original height)``,
        status one of 'written', 'skipped', 'copied'; sizes are -1 for
        non-image files.
    """
    image_id = osp.splitext(osp.basename(job.src))[0]
    if not job.src.lower().endswith(IMAGE_EXTS):
        if _up_to_date(job.src, job.dst):
            return 'skipped', image_id, -1, -1
        shutil.copy2(job.src, job.dst)
        return 'copied', image_id, -1, -1
    with Image.open(job.src) as im:
        width, height = im.size
    if _up_to_date(job.src, job.dst):
        return 'skipped', image_id, width, height
    size_fn = lambda w, h: target_size(w, h, job.longer, job.shorter)  # noqa
    tmp = job.dst + '.tmp' + osp.splitext(job.dst)[1]
    if is_mask(job.src):
        with Image.open(job.src) as im:
            mask = im.convert('L') if im.mode not in ('L', '1') else im.copy()
        mask.resize(size_fn(width, height), Image.Resampling.NEAREST).save(tmp)
    else:
        im = downscale_image(job.src, size_fn, job.draft)
        if job.dst.lower().endswith(('.jpg', '.jpeg')):
            im.save(tmp, format='JPEG', quality=job.jpeg_quality)
        else:
            im.save(tmp)
    os.replace(tmp, job.dst)  # never leave a half-written output behind
    return 'written', image_id, width, height


def plan_jobs(src_root: str,
              dst_root: str,
              longer: Optional[int] = 500,
              shorter: Optional[int] = None,
              draft: bool = True) -> List[DownscaleJob]:
    """Mirror ``src_root`` into ``dst_root``: one job per file.

    Hidden folders (``.downloads``, where ``tools/download_isic.py`` keeps
    zips and partial downloads) are not mirrored.

    Args:
        src_root (str): ISIC folder (challenge or archive layout).
        dst_root (str): Output folder (created).
        longer (int, optional): Longer-side target (segmentation, 500).
        shorter (int, optional): Shorter-side target (classification, 224).
        draft (bool): Decoder-level JPEG downscaling. Defaults to True.

    Returns:
        list[DownscaleJob]: Jobs sorted by source path.
    """
    if not osp.isdir(src_root):
        raise FileNotFoundError(f'source folder {src_root!r} does not exist')
    if osp.abspath(src_root) == osp.abspath(dst_root):
        raise ValueError('source and destination must differ')
    jobs = []
    for dirpath, dirnames, files in os.walk(src_root):
        dirnames[:] = [d for d in dirnames if not d.startswith('.')]
        rel = osp.relpath(dirpath, src_root)
        if osp.abspath(dirpath).startswith(osp.abspath(dst_root) + os.sep):
            continue
        os.makedirs(osp.join(dst_root, rel), exist_ok=True)
        for name in sorted(files):
            if name == SIZES_FILE or '.tmp' in name:
                continue
            jobs.append(
                DownscaleJob(
                    osp.join(dirpath, name), osp.join(dst_root, rel, name),
                    longer, shorter, draft))
    return sorted(jobs, key=lambda j: j.src)


def write_sizes(results: List[Tuple[str, str, int, int]],
                jobs: List[DownscaleJob], dst_root: str) -> str:
    """Record every image's original size in ``dst_root/original_sizes.csv``.

    Predictions made on the downscaled images are restored to these sizes
    for ISIC submission files.
    """
    rows = [
        dict(path=osp.relpath(job.dst, dst_root), image_id=image_id,
             width=w, height=h)
        for job, (_, image_id, w, h) in zip(jobs, results) if w > 0
    ]
    path = osp.join(dst_root, SIZES_FILE)
    pd.DataFrame(rows, columns=['path', 'image_id', 'width', 'height']) \
        .to_csv(path, index=False)
    return path
