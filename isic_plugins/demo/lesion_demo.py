"""A local web page that shows what the lesion models see (Gradio).

Upload a dermoscopy image (or pick an example) and the page shows the
predicted lesion over the image with its outline, the lesion crop that the
classifiers see, the melanoma and seborrheic keratosis probabilities of
each model (each member of an ensemble, then the ensemble) and the time
taken; a check box switches multi-scale x flip TTA on. ``.onnx`` models
(``tools/export_onnx.py``) run with ONNX Runtime; a config and a
checkpoint run with PyTorch. A file that is not a usable image gets a
message in the page; the server goes on serving.
"""
import glob
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ..apis.image_file import ImageFileError, read_image
from ..apis.lesion_box import lesion_box
from ..visualization import draw_lesion_overlay

#: Columns of the probability table.
COLUMNS = ['model', 'melanoma', 'seborrheic_keratosis']
#: Longest side of the images the page shows.
SHOW_SIDE = 768


def _rgb(image: np.ndarray, side: int = SHOW_SIDE) -> np.ndarray:
    """A BGR image as RGB, at most ``side`` pixels on its longer side."""
    scale = side / max(image.shape[:2])
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale,
                           interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(image[..., ::-1])


class LesionDemo:
    """The models behind the page, loaded once.

    Args:
        seg (list[str]): ``[MODEL.onnx]`` or ``[CONFIG, CHECKPOINT]``.
        cls (list[list[str]]): Classifiers, each ``[MODEL.onnx]``, the
            three member files of an exported ensemble, or ``[CONFIG,
            CHECKPOINT]``. Defaults to none.
        threads (int, optional): ONNX Runtime threads.
    """

    def __init__(self, seg: Sequence[str],
                 cls: Sequence[Sequence[str]] = (),
                 threads: Optional[int] = None) -> None:
        self.onnx = seg[0].endswith('.onnx')
        if self.onnx:
            from ..apis import ORTLesionSegmenter
            self.segmenter = ORTLesionSegmenter(seg[0], threads=threads)
            self.has_tta = bool(self.segmenter.card.tta)
        else:
            if len(seg) != 2:
                raise ValueError('--seg takes MODEL.onnx or CONFIG '
                                 f'CHECKPOINT, got {list(seg)}')
            from ..apis import LesionSegmenter
            self.segmenter = LesionSegmenter(*seg)
            self.has_tta = 'tta_model' in self.segmenter.cfg
            self.tta_segmenter = LesionSegmenter(*seg, tta=True) \
                if self.has_tta else None
        self.classifiers: List[Tuple[str, object]] = []
        for spec in cls:
            self.classifiers.append(self._classifier(list(spec), threads))

    @staticmethod
    def _classifier(spec: List[str], threads: Optional[int]):
        if spec[0].endswith('.onnx'):
            from ..apis import ORTLesionClassifier
            model = ORTLesionClassifier(spec, threads=threads)
            name = osp.basename(spec[0])[:-5] if len(spec) == 1 else \
                'ensemble'
            return name, model
        if len(spec) != 2:
            raise ValueError('--cls takes MODEL.onnx, the three member '
                             '.onnx files of an ensemble, or CONFIG '
                             f'CHECKPOINT; got {spec}')
        from ..apis import LesionClassifier
        name = osp.splitext(osp.basename(spec[0]))[0]
        return name, LesionClassifier(*spec)

    def _segment(self, path: str, image: np.ndarray, tta: bool) -> dict:
        if self.onnx:
            return self.segmenter(image, tta=tta)
        model = self.tta_segmenter if tta else self.segmenter
        return model(path)

    def _probabilities(self, path: str, image: np.ndarray, mask: np.ndarray,
                       mask_file: str) -> List[List[object]]:
        rows = []
        for name, model in self.classifiers:
            if hasattr(model, 'models'):  # ONNX Runtime
                scores = model.scores(image, lesion_mask=mask)
                if len(scores) > 1:  # each member, then the ensemble
                    for member in model.models:
                        card = member.card
                        score = scores[card.ensemble['member']]
                        rows.append([f'{name}: {card.ensemble["member"]}'] + [
                            float(score[card.classes.index(k)])
                            if k in card.classes else None
                            for k in COLUMNS[1:]])
                probs = model.task_probabilities(scores)
            else:
                if not osp.isfile(mask_file):
                    cv2.imwrite(mask_file, mask)
                probs = model(path, lesion_mask_path=mask_file)
            rows.append([name] + [probs.get(k) for k in COLUMNS[1:]])
        return [[r[0]] + [None if v is None else round(float(v), 4)
                          for v in r[1:]] for r in rows]

    def analyse(self, path: Optional[str], tta: bool = False
                ) -> Tuple[Optional[np.ndarray], Optional[np.ndarray],
                           List[List[object]], str]:
        """Everything the page shows for one image file.

        Returns:
            tuple: overlay (RGB), lesion crop (RGB), probability rows
            (:data:`COLUMNS`), and a status line (the time taken, or what
            is wrong with the file).
        """
        if not path:
            return None, None, [], 'Upload a dermoscopy image (JPEG or PNG).'
        start = time.perf_counter()
        name = osp.basename(path)
        try:
            color = self.segmenter.card.color_type if self.onnx else \
                'color_ignore_orientation'
            image = read_image(path, color)
            seg = self._segment(path, image, bool(tta and self.has_tta))
        except (ImageFileError, FileNotFoundError) as exc:
            return None, None, [], f'**Not analysed.** {exc}'
        mask = seg['mask']
        seg_seconds = time.perf_counter() - start
        mask_file = osp.join(osp.dirname(path),
                             osp.splitext(name)[0] + '_segmentation.png')
        rows = self._probabilities(path, image, mask, mask_file)
        box = lesion_box(mask > 0, image.shape[:2])
        crop = image if box is None else \
            image[box[1]:box[3], box[0]:box[2]]
        overlay = draw_lesion_overlay(image, mask, max_side=SHOW_SIDE)
        total = time.perf_counter() - start
        h, w = image.shape[:2]
        status = (f'{name}: {w}x{h} px, lesion {float((mask > 0).mean()):.1%}'
                  f' of the image; segmentation {seg_seconds:.2f} s '
                  f'({"TTA" if tta and self.has_tta else "single view"}, '
                  f'{"ONNX Runtime" if self.onnx else "PyTorch"}), '
                  f'{total:.2f} s in all')
        return overlay[..., ::-1].copy(), _rgb(crop), rows, status

    def build(self, examples: Sequence[str] = ()):
        """The Gradio page (``gradio.Blocks``)."""
        import gradio as gr
        with gr.Blocks(title='ISIC lesion analysis') as page:
            gr.Markdown('# Dermoscopy lesion analysis\nUpload a '
                        'dermoscopy image: the predicted lesion (red '
                        'outline), the crop the classifiers see, and their '
                        'probabilities. Not a medical device.')
            with gr.Row():
                with gr.Column(scale=1):
                    upload = gr.File(label='Dermoscopy image',
                                     file_types=['image'], type='filepath',
                                     elem_id='upload')
                    tta = gr.Checkbox(
                        label='Test-time augmentation (3 scales x 4 flips)',
                        value=False, interactive=self.has_tta,
                        elem_id='tta')
                    run = gr.Button('Analyse', variant='primary',
                                    elem_id='analyse')
                    if examples:
                        gr.Examples(examples=[[e] for e in examples],
                                    inputs=[upload], label='Examples')
                with gr.Column(scale=2):
                    status = gr.Markdown(elem_id='status')
                    with gr.Row():
                        overlay = gr.Image(label='Lesion', type='numpy',
                                           elem_id='overlay')
                        crop = gr.Image(label='Lesion crop', type='numpy',
                                        elem_id='crop')
                    table = gr.Dataframe(headers=COLUMNS,
                                         label='Probabilities',
                                         elem_id='probabilities')
            outputs = [overlay, crop, table, status]
            run.click(self.analyse, [upload, tta], outputs,
                      api_name='analyse')
            upload.upload(self.analyse, [upload, tta], outputs)
        return page


def sample_examples(folder: str, count: int = 4) -> List[str]:
    """The first ``count`` images of ``folder`` (none where it is
    missing)."""
    files = sorted(glob.glob(osp.join(folder, '*.jpg')))
    return files[:count]


def summary(rows: List[List[object]]) -> Dict[str, Dict[str, float]]:
    """Probability rows by model name."""
    return {r[0]: dict(zip(COLUMNS[1:], r[1:])) for r in rows}
