"""Paint one synthetic dermoscopy image and its lesion mask.

The real ISIC 2017 images cannot be shipped with this repository, yet the
pipelines, tests and smoke runs need images with roughly the same
statistics. :func:`render_sample` paints skin texture, dermatoscope
vignetting, hairs and gel bubbles around a lesion whose shape, border and
colours depend on its diagnosis, and returns the image with its 0/255 mask.
:mod:`.synthetic_writer` writes such images in the ISIC folder layouts.

Only numpy and OpenCV are used. Everything drawn comes from the generator
passed in, so the same generator state gives the same pixels.
"""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np

__all__ = [
    'CLASS_NAMES',
    'round_half_up',
    'sample_image_size',
    'render_sample',
]

#: Integer label -> diagnosis.  0 is the "neither" class of ISIC 2017 Part 3.
CLASS_NAMES: tuple[str, ...] = ('nevus', 'melanoma', 'seborrheic_keratosis')

NEVUS, MELANOMA, SEB_KERATOSIS = 0, 1, 2

# Long-side / short-side ratios of dermoscopy cameras; 4:3 dominates ISIC.
_ASPECTS = np.array([4 / 3, 3 / 2, 1.0, 16 / 9, 5 / 4])
_ASPECT_P = np.array([0.40, 0.22, 0.14, 0.12, 0.12])
_PORTRAIT_P = 0.12

# Lesion palettes (linear-ish RGB in [0, 1]).
_NEVUS_LIGHT = np.array([0.64, 0.46, 0.34], np.float32)
_NEVUS_DARK = np.array([0.30, 0.19, 0.13], np.float32)
_SK_LIGHT = np.array([0.74, 0.59, 0.45], np.float32)
_SK_MID = np.array([0.50, 0.37, 0.27], np.float32)
_MEL_PALETTE = np.array(
    [
        [0.30, 0.18, 0.11],  # dark brown
        [0.09, 0.07, 0.07],  # black
        [0.42, 0.44, 0.50],  # blue-grey (veil)
        [0.64, 0.38, 0.34],  # reddish / vascular
        [0.56, 0.39, 0.28],  # light brown
    ],
    np.float32,
)
_SKIN_ANCHORS = np.array(
    [
        [0.94, 0.79, 0.71],  # light
        [0.91, 0.64, 0.60],  # pinkish, typical under polarised light
        [0.82, 0.62, 0.47],  # tan
    ],
    np.float32,
)

# ---------------------------------------------------------------------------
# Image size
# ---------------------------------------------------------------------------


def round_half_up(x: float) -> int:
    """``x`` rounded to the nearest int, halves up (``round`` halves to even).

    Python's round() is banker's rounding, which makes counts for small
    splits less predictable; half-up is what people expect from "round".
    """
    return int(math.floor(x + 0.5))


def sample_image_size(rng: np.random.Generator, min_size: int = 320,
                      max_size: int = 1100) -> tuple[int, int]:
    """Sample an image size with a dermoscopy-camera-like aspect ratio.

    Args:
        rng: Random generator.
        min_size: Smallest allowed length of the longer side.
        max_size: Largest allowed length of the longer side.

    Returns:
        ``(height, width)``; the longer side lies in ``[min_size, max_size]``.
    """
    if min_size < 16 or max_size < min_size:
        raise ValueError(
            f'need 16 <= min_size <= max_size, got {min_size}, {max_size}')
    long_side = int(rng.integers(min_size, max_size + 1))
    aspect = float(rng.choice(_ASPECTS, p=_ASPECT_P))
    short_side = max(16, round_half_up(long_side / aspect))
    if rng.random() < _PORTRAIT_P:
        return long_side, short_side
    return short_side, long_side


# ---------------------------------------------------------------------------
# Rendering primitives
# ---------------------------------------------------------------------------


def _smooth_noise(rng: np.random.Generator, h: int, w: int,
                  scale: float) -> np.ndarray:
    """Zero-mean, unit-std noise with features about ``scale`` pixels wide."""
    # Upsampling a coarse random grid is far cheaper than blurring full-size
    # white noise with a large kernel and gives the same kind of texture.
    scale = max(float(scale), 1.0)
    gh = int(math.ceil(h / scale)) + 2
    gw = int(math.ceil(w / scale)) + 2
    grid = rng.standard_normal((gh, gw), dtype=np.float32)
    out = cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
    out -= out.mean()
    out /= out.std() + 1e-6
    return out


def _smoothstep(e0: float, e1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _lines_from_noise(noise: np.ndarray, width: float) -> np.ndarray:
    # Zero crossings of band-limited noise form a closed, cell-like network,
    # which reads as pigment network (fine scale) or cerebriform sulci
    # (coarse scale).
    return np.exp(-(noise / width) ** 2)


def _render_skin(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    weights = rng.dirichlet(np.ones(len(_SKIN_ANCHORS)))
    base = weights @ _SKIN_ANCHORS * rng.uniform(0.86, 1.04)
    long_side = max(h, w)
    img = np.empty((h, w, 3), np.float32)
    low = _smooth_noise(rng, h, w, long_side / rng.uniform(2.0, 5.0))
    redness = _smooth_noise(rng, h, w, long_side / rng.uniform(3.0, 8.0))
    mid = _smooth_noise(rng, h, w, max(3.0, long_side * 0.012))
    fine = _smooth_noise(rng, h, w, 1.5)
    shade = 1.0 + 0.035 * low + 0.02 * mid + 0.012 * fine
    # Erythema shifts green/blue down more than red.
    red_shift = 0.025 * redness
    img[..., 0] = base[0] * shade
    img[..., 1] = (base[1] - red_shift) * shade
    img[..., 2] = (base[2] - red_shift) * shade
    return img


def _harmonic_table(rng: np.random.Generator, ks: np.ndarray,
                    total: float, n: int = 1024) -> np.ndarray:
    """Radius factor ``1 + sum_k a_k cos(k t + phi_k)`` on ``n`` angles."""
    amps = rng.uniform(0.3, 1.0, len(ks)) / ks.astype(np.float64) ** 0.6
    amps *= total / amps.sum()
    phases = rng.uniform(0.0, 2 * np.pi, len(ks))
    theta = np.linspace(-np.pi, np.pi, n, endpoint=False)
    r = 1.0 + (amps[:, None] * np.cos(ks[:, None] * theta[None] +
                                      phases[:, None])).sum(0)
    return r.astype(np.float32)


def _lesion_params(rng: np.random.Generator, label: int) -> dict[str, Any]:
    """Shape/border parameters; deliberately overlapping between classes."""
    p: dict[str, Any] = {}
    if label == MELANOMA:
        round_one = rng.random() < 0.3
        p['elong'] = rng.uniform(1.0, 1.5)
        p['ks'] = np.arange(2, 9)
        p['total'] = rng.uniform(0.06, 0.20) if round_one else rng.uniform(
            0.30, 0.58)
        p['rho_noise'] = rng.uniform(0.03, 0.05) if round_one else rng.uniform(
            0.05, 0.10)
        p['edge'] = (rng.uniform(2.0, 8.0), rng.uniform(20.0, 70.0))
    elif label == SEB_KERATOSIS:
        p['elong'] = rng.uniform(1.0, 1.8)
        p['ks'] = np.arange(2, 7)
        p['total'] = rng.uniform(0.10, 0.26)
        p['rho_noise'] = rng.uniform(0.03, 0.06)
        p['edge'] = (rng.uniform(1.0, 2.5), rng.uniform(1.0, 3.5))
    else:
        irregular = rng.random() < 0.12
        p['elong'] = rng.uniform(1.0, 1.6)
        p['ks'] = np.arange(2, 5) if not irregular else np.arange(2, 7)
        p['total'] = rng.uniform(0.15, 0.36) if irregular else rng.uniform(
            0.01, 0.07)
        p['rho_noise'] = rng.uniform(0.03, 0.07) if irregular else rng.uniform(
            0.0, 0.02)
        p['edge'] = (rng.uniform(2.0, 6.0), rng.uniform(3.0, 9.0))
    return p


def _paint_melanoma(rng, rho, skin, r0, px_scale) -> np.ndarray:
    h, w = rho.shape
    # Dark brown is always present.  About 30% of melanomas are
    # brown/black only, so that colour alone does not give the class away.
    if rng.random() < 0.3:
        extra_p = np.array([0.5, 0.0, 0.0, 0.5])
        k = int(rng.integers(2, 4))
    else:
        extra_p = np.array([0.35, 0.2, 0.2, 0.25])
        k = int(rng.integers(3, 6))
    extra = rng.choice(len(extra_p), size=min(k - 1, int((extra_p > 0).sum())),
                       replace=False, p=extra_p)
    idx = np.concatenate([[0], 1 + extra])
    k = len(idx)
    colours = _MEL_PALETTE[idx] * rng.uniform(0.85, 1.1, (k, 1)).astype(
        np.float32)
    # Some melanomas are nearly featureless (smooth colour mixing).
    sharp = rng.uniform(0.6, 1.2) if rng.random() < 0.15 else rng.uniform(
        1.8, 3.2)
    logits = np.stack([
        _smooth_noise(rng, h, w, r0 / rng.uniform(1.5, 3.5)) * sharp
        for _ in range(k)
    ])
    # Darker, more structured centre is common; favour dark brown/black there.
    logits[0] += 1.2 * (1.0 - np.clip(rho, 0, 1))
    logits -= logits.max(0, keepdims=True)
    wts = np.exp(logits)
    wts /= wts.sum(0, keepdims=True)
    col = np.tensordot(wts, colours, axes=(0, 0))  # (h, w, 3)
    # Regression: whitish patches close to the skin tone, which also makes
    # parts of the mask genuinely hard to see.
    if rng.random() < 0.5:
        reg = _smoothstep(0.6, 1.6, _smooth_noise(rng, h, w, r0 / 2.5))
        reg = reg[..., None] * rng.uniform(0.5, 0.85)
        col = col * (1 - reg) + np.clip(skin * 1.04, 0, 1) * reg
    # Atypical network: thick, only in parts of the lesion.
    net_scale = max(4.0, px_scale * rng.uniform(10, 18))
    net = _lines_from_noise(_smooth_noise(rng, h, w, net_scale), 0.35)
    region = _smoothstep(-0.3, 0.8, _smooth_noise(rng, h, w, r0 / 2))
    col *= (1.0 - rng.uniform(0.25, 0.5) * net * region)[..., None]
    col = _add_dots(rng, col, rho, int(rng.integers(5, 30)),
                    (0.08, 0.08, 0.08), (0.01, 0.035), r0, 0.55, 1.05)
    col *= (1.0 + 0.06 * _smooth_noise(rng, h, w, 2.0))[..., None]
    return col


def _paint_sk(rng, rho, skin, r0, px_scale) -> np.ndarray:
    h, w = rho.shape
    # Extrapolating past the mid tone gives some darker SKs that resemble nevi.
    base = _SK_LIGHT + rng.uniform(0.0, 1.35) * (_SK_MID - _SK_LIGHT)
    col = np.broadcast_to(base, (h, w, 3)).copy()
    var = _smooth_noise(rng, h, w, r0 / 2.0)
    col *= (1.0 + 0.10 * var)[..., None]
    # Cerebriform gyri and sulci.
    gyri_scale = max(5.0, r0 * rng.uniform(0.06, 0.14))
    sulci = _lines_from_noise(_smooth_noise(rng, h, w, gyri_scale),
                              rng.uniform(0.25, 0.45))
    col *= (1.0 - rng.uniform(0.12, 0.45) * sulci)[..., None]
    col *= (1.0 + 0.08 * _smooth_noise(rng, h, w, max(2.0, gyri_scale / 3))
            )[..., None]
    # Milia-like cysts (whitish-yellow) and comedo-like openings (dark).
    col = _add_dots(rng, col, rho, int(rng.integers(6, 30)),
                    (0.95, 0.90, 0.72), (0.012, 0.035), r0, 0.0, 0.9)
    col = _add_dots(rng, col, rho, int(rng.integers(3, 15)),
                    (0.22, 0.15, 0.10), (0.01, 0.03), r0, 0.0, 0.9)
    return col


def _paint_nevus(rng, rho, skin, r0, px_scale) -> np.ndarray:
    h, w = rho.shape
    base = _NEVUS_LIGHT + rng.uniform(0.0, 1.0) * (_NEVUS_DARK - _NEVUS_LIGHT)
    if rng.random() < 0.08:
        # Blue / combined nevi: slate-blue tint, a benign look-alike of the
        # melanoma blue-white veil.
        base = base * 0.5 + _MEL_PALETTE[2] * 0.5
    col = np.broadcast_to(base, (h, w, 3)).copy()
    # Slightly darker centre or slightly lighter centre, both symmetric.
    centre = rng.uniform(-0.15, 0.25)
    col *= (1.0 - centre * (1.0 - np.clip(rho, 0, 1)) ** 1.5)[..., None]
    col *= (1.0 + 0.04 * _smooth_noise(rng, h, w, r0 / 2.0))[..., None]
    if rng.random() < 0.15:
        # Two-tone (eccentric darker blotch) nevi overlap with melanoma.
        blotch = _smoothstep(0.3, 1.5, _smooth_noise(rng, h, w, r0 / 1.5))
        col *= (1.0 - rng.uniform(0.25, 0.45) * blotch)[..., None]
    if rng.random() < 0.6:
        net_scale = max(3.0, px_scale * rng.uniform(6, 10))
        net = _lines_from_noise(_smooth_noise(rng, h, w, net_scale), 0.3)
        col *= (1.0 - rng.uniform(0.1, 0.25) * net)[..., None]
    if rng.random() < 0.3:
        col = _add_dots(rng, col, rho, int(rng.integers(5, 20)),
                        tuple(base * 0.6), (0.015, 0.03), r0, 0.0, 0.8)
    col *= (1.0 + 0.03 * _smooth_noise(rng, h, w, 2.0))[..., None]
    return col


def _add_dots(rng, col, rho, n, colour, rad_frac, r0, rho_lo, rho_hi):
    """Paint ``n`` small blurred dots at places where ``rho`` is in range."""
    h, w = rho.shape
    if n <= 0:
        return col
    ys = rng.integers(0, h, 8 * n)
    xs = rng.integers(0, w, 8 * n)
    ok = (rho[ys, xs] >= rho_lo) & (rho[ys, xs] < rho_hi)
    ys, xs = ys[ok][:n], xs[ok][:n]
    radii = np.maximum(1.0, r0 * rng.uniform(*rad_frac, len(ys)))
    layer = np.zeros((h, w), np.float32)
    for y, x, r in zip(ys, xs, radii):
        cv2.circle(layer, (int(x), int(y)), int(round(r)), 1.0, -1,
                   cv2.LINE_AA)
    layer = cv2.GaussianBlur(layer, (0, 0), max(0.6, float(radii.mean()) / 3))
    a = np.clip(layer * rng.uniform(0.6, 0.95), 0, 1)[..., None]
    return col * (1 - a) + np.asarray(colour, np.float32) * a


def _render_lesion(rng: np.random.Generator, img: np.ndarray,
                   label: int) -> np.ndarray:
    """Paint a lesion onto ``img`` in place and return its 0/255 mask."""
    h, w = img.shape[:2]
    p = _lesion_params(rng, label)
    area_frac = 0.10 + 0.50 * rng.beta(1.3, 1.8)
    r_table = _harmonic_table(rng, p['ks'], p['total'])
    # Normalise so that the painted area roughly matches the target fraction.
    r0 = math.sqrt(area_frac * h * w / math.pi /
                   float(np.mean(r_table.astype(np.float64) ** 2)))
    if rng.random() < 0.15:
        off = rng.uniform(0.12, 0.28, 2) * rng.choice([-1, 1], 2)
    else:
        off = rng.normal(0.0, 0.05, 2)
    cy, cx = h * (0.5 + off[0]), w * (0.5 + off[1])
    phi = rng.uniform(0, np.pi)
    el = math.sqrt(p['elong'])

    extent = r0 * float(r_table.max()) * el * (1 + 2 * p['rho_noise']) + 50
    y0, y1 = max(0, int(cy - extent)), min(h, int(cy + extent) + 1)
    x0, x1 = max(0, int(cx - extent)), min(w, int(cx + extent) + 1)
    ch, cw = y1 - y0, x1 - x0

    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dy, dx = yy - cy, xx - cx
    u = (dx * math.cos(phi) + dy * math.sin(phi)) / el
    v = (-dx * math.sin(phi) + dy * math.cos(phi)) * el
    ang = np.arctan2(v, u)
    n_tab = len(r_table)
    tab_theta = np.linspace(-np.pi, np.pi, n_tab, endpoint=False)
    r_mult = np.interp(ang, tab_theta, r_table, period=2 * np.pi).astype(
        np.float32)
    rho = np.sqrt(u * u + v * v) / (r0 * r_mult)
    if p['rho_noise'] > 0:
        # Local bumps that a radial function alone cannot produce (notches,
        # non-star-shaped bays).
        rho += p['rho_noise'] * _smooth_noise(rng, ch, cw, r0 / rng.uniform(
            4, 9))

    crop_mask = rho < 1.0
    skin = img[y0:y1, x0:x1]
    px_scale = max(h, w) / 600.0
    if label == MELANOMA:
        col = _paint_melanoma(rng, rho, skin, r0, px_scale)
    elif label == SEB_KERATOSIS:
        col = _paint_sk(rng, rho, skin, r0, px_scale)
    else:
        col = _paint_nevus(rng, rho, skin, r0, px_scale)

    # Contrast against skin varies; faint lesions are what make segmentation
    # non-trivial.
    contrast = rng.uniform(0.28, 0.55) if rng.random() < 0.22 else \
        rng.uniform(0.65, 1.0)
    col = skin + contrast * (col - skin)

    # Border width in pixels, possibly varying around the perimeter so that
    # melanoma borders are fuzzy only in places.
    e_lo, e_hi = p['edge']
    e_lo, e_hi = e_lo * max(px_scale, 0.5), e_hi * max(px_scale, 0.5)
    fuzzy_dir = rng.uniform(-np.pi, np.pi)
    lobes = float(rng.integers(1, 3))
    edge_w = e_lo + (e_hi - e_lo) * np.clip(np.cos(lobes * (ang - fuzzy_dir)),
                                            0, 1) ** 2
    edge_w = np.maximum(edge_w, 1.2)
    # alpha == 0.5 exactly on rho == 1, so the painted border and the mask
    # boundary coincide.
    dist_px = (1.0 - rho) * r0 * r_mult
    alpha = _smoothstep(-0.5, 0.5, dist_px / edge_w)[..., None]
    img[y0:y1, x0:x1] = skin * (1 - alpha) + col * alpha

    mask = np.zeros((h, w), np.uint8)
    mask[y0:y1, x0:x1][crop_mask] = 255
    return mask


def _render_hairs(rng: np.random.Generator, img: np.ndarray,
                  mask: np.ndarray) -> None:
    h, w = img.shape[:2]
    diag = math.hypot(h, w)
    n = int(rng.integers(2, 26))
    layer = np.zeros((h, w), np.float32)
    ys, xs = np.nonzero(mask[::8, ::8])
    for i in range(n):
        if i < 3 and len(ys) and rng.random() < 0.6:
            # Make sure some hairs actually cross the lesion.
            j = int(rng.integers(len(ys)))
            mid = np.array([xs[j] * 8, ys[j] * 8], np.float64)
        else:
            mid = rng.uniform([0, 0], [w, h])
        length = diag * rng.uniform(0.15, 0.7)
        a = rng.uniform(0, np.pi)
        d = np.array([math.cos(a), math.sin(a)])
        perp = np.array([-d[1], d[0]])
        t = np.linspace(-0.5, 0.5, 40)[:, None]
        bend = rng.uniform(-0.25, 0.25) * length * (0.25 - t ** 2)
        wiggle = rng.uniform(0, 0.01) * length * np.sin(
            t * rng.uniform(4, 14) + rng.uniform(0, 6.3))
        pts = mid + t * length * d + (bend + wiggle) * perp
        thick = max(1, int(round(rng.uniform(0.8, 2.6) * max(1.0,
                                                             diag / 1100))))
        cv2.polylines(layer, [np.round(pts * 16).astype(np.int32)], False,
                      float(rng.uniform(0.7, 1.0)), thick, cv2.LINE_AA,
                      shift=4)
    colour = np.array([0.12, 0.08, 0.06], np.float32) * rng.uniform(0.6, 2.0)
    a = np.clip(layer, 0, 1)[..., None]
    img[:] = img * (1 - a) + colour * a


def _render_bubbles(rng: np.random.Generator, img: np.ndarray) -> None:
    h, w = img.shape[:2]
    s = min(h, w)
    rim = np.zeros((h, w), np.float32)
    spec = np.zeros((h, w), np.float32)
    for _ in range(int(rng.integers(1, 7))):
        r = s * rng.uniform(0.015, 0.08)
        c = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        cv2.circle(rim, c, int(r), 1.0, max(1, int(r * 0.08)), cv2.LINE_AA)
        cv2.circle(spec, (int(c[0] - 0.35 * r), int(c[1] - 0.35 * r)),
                   max(1, int(r * 0.18)), 1.0, -1, cv2.LINE_AA)
    # A few isolated specular glints from the contact plate.
    for _ in range(int(rng.integers(0, 6))):
        cv2.circle(spec, (int(rng.uniform(0, w)), int(rng.uniform(0, h))),
                   max(1, int(s * rng.uniform(0.003, 0.01))), 1.0, -1,
                   cv2.LINE_AA)
    spec = cv2.GaussianBlur(spec, (0, 0), 1.0)
    a = np.clip(0.45 * rim + 0.9 * spec, 0, 1)[..., None]
    img[:] = img * (1 - a) + np.float32(0.97) * a


def _render_vignette(rng: np.random.Generator, img: np.ndarray) -> None:
    h, w = img.shape[:2]
    half_diag = 0.5 * math.hypot(h, w)
    cy = h * (0.5 + rng.normal(0, 0.02))
    cx = w * (0.5 + rng.normal(0, 0.02))
    yy = (np.arange(h, dtype=np.float32) - cy)[:, None]
    xx = (np.arange(w, dtype=np.float32) - cx)[None, :]
    d = np.sqrt(yy * yy + xx * xx) / half_diag
    kind = rng.random()
    fall = 1.0 - rng.uniform(0.08, 0.3) * d ** 2
    if kind < 0.4:
        field = fall
    else:
        # Circular field stop of the dermatoscope: black outside the lens.
        radius = rng.uniform(0.82, 1.0) if kind < 0.85 else rng.uniform(
            0.62, 0.8)
        soft = rng.uniform(0.02, 0.06)
        inside = 1.0 - _smoothstep(radius - soft, radius, d)
        field = fall * inside + rng.uniform(0.01, 0.06) * (1 - inside)
    img *= field[..., None]


def render_sample(rng: np.random.Generator, label: int, height: int,
                  width: int) -> tuple[np.ndarray, np.ndarray]:
    """Render one dermoscopy-like image and its lesion mask.

    Args:
        rng: Generator owned by this image; nothing else should draw from it.
        label: Diagnosis index into :data:`CLASS_NAMES`.
        height: Image height in pixels.
        width: Image width in pixels.

    Returns:
        ``(image, mask)``: ``uint8`` RGB array of shape ``(H, W, 3)`` and
        ``uint8`` array of shape ``(H, W)`` with values in ``{0, 255}``.
    """
    img = _render_skin(rng, height, width)
    mask = _render_lesion(rng, img, label)
    # Hairs and bubbles lie on top of the skin, so they go over the lesion but
    # never change the mask, exactly like real annotations.
    if rng.random() < 0.35:
        _render_hairs(rng, img, mask)
    if rng.random() < 0.2:
        _render_bubbles(rng, img)
    _render_vignette(rng, img)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 0.9))
    img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32(
        rng.uniform(0.006, 0.016))
    out = np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return out, mask

