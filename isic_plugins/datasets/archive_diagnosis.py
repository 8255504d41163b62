"""The ISIC Archive's hierarchical diagnoses as the challenge's classes.

The ISIC Archive (and ``isic image download`` of the ``isic-cli`` tool,
whose ``metadata.csv`` has the columns ``diagnosis_1`` ... ``diagnosis_5``)
describes a lesion by its path in the archive's diagnosis taxonomy, e.g.
``Malignant`` / ``Malignant melanocytic proliferations (Melanoma)`` /
``Melanoma in situ``. The taxonomy is the ISIC Archive's own package
``isic-metadata`` (``isic_metadata.diagnosis_hierarchical.DiagnosisEnum``,
one member per valid path, levels joined by ``:``); this module reads it
from there, so a path the archive does not know is reported as unknown,
not guessed.

A path belongs to a class when it starts with the class's root path (all
its levels), so every subtype counts:

- melanoma: ``Malignant:Malignant melanocytic proliferations (Melanoma)``
  (in situ, invasive and their subtypes, metastasis, NOS);
- seborrheic_keratosis:
  ``Benign:Benign epidermal proliferations:Seborrheic keratosis``;
- nevus: ``Benign:Benign melanocytic proliferations:Nevus`` (blue, Spitz,
  congenital, dysplastic... nevi).

Anything else (basal cell carcinoma, solar lentigo, collisions,
indeterminate melanocytic proliferations...) is another diagnosis.
"""
from typing import Dict, Optional, Sequence, Tuple

#: The columns of a hierarchical diagnosis, most general first.
HIERARCHY_COLUMNS = tuple(f'diagnosis_{i}' for i in range(1, 6))

#: Separator of the levels in the taxonomy's paths.
SEPARATOR = ':'

#: What :func:`classify_path` says of a path that is in no class.
OTHER, UNKNOWN, BLANK = 'other', 'unknown', 'blank'


def _taxonomy():
    try:
        from isic_metadata.diagnosis_hierarchical import DiagnosisEnum
    except ImportError as e:
        raise ImportError(
            'reading the ISIC Archive\'s hierarchical diagnoses '
            '(diagnosis_1 ... diagnosis_5) needs the archive\'s taxonomy: '
            'pip install isic-metadata (requirements/runtime.txt)') from e
    return DiagnosisEnum


def default_class_roots() -> Dict[str, str]:
    """Class -> root path in the ISIC taxonomy (from ``isic-metadata``)."""
    taxonomy = _taxonomy()
    return {
        'melanoma':
        taxonomy.malignant_malignant_melanocytic_proliferations_melanoma.value,
        'seborrheic_keratosis': taxonomy.
        benign_benign_epidermal_proliferations_seborrheic_keratosis.value,
        'nevus': taxonomy.benign_benign_melanocytic_proliferations_nevus.value,
    }


def known_paths() -> frozenset:
    """Every diagnosis path of the ISIC taxonomy."""
    return frozenset(member.value for member in _taxonomy())


def path_of(levels: Sequence[Optional[str]]) -> str:
    """The taxonomy path of a row's ``diagnosis_1`` ... ``diagnosis_5``.

    Blank levels end the path (the archive fills them from the top).

    Args:
        levels (Sequence[str | None]): The level values (NaN, None or blank
            for none).

    Returns:
        str: The levels joined by ``:`` ('' when all are blank).
    """
    parts = []
    for value in levels:
        text = '' if value is None or value != value else str(value).strip()
        if not text:
            break
        parts.append(text)
    return SEPARATOR.join(parts)


class HierarchicalDiagnosisMap:
    """Map taxonomy paths to the classes of ``class_roots``.

    Args:
        class_roots (dict, optional): Class -> root path (levels joined by
            ``:``); a path in or below a root is that class. Defaults to
            None (:func:`default_class_roots`: melanoma, SK, nevus).
    """

    def __init__(self, class_roots: Optional[Dict[str, str]] = None) -> None:
        roots = default_class_roots() if class_roots is None \
            else dict(class_roots)
        self.known = known_paths()
        unknown = sorted(r for r in roots.values() if r not in self.known)
        if unknown:
            raise ValueError(f'class roots not in the ISIC taxonomy: '
                             f'{unknown}')
        # longest root first: a more specific root wins
        self.roots: Tuple[Tuple[str, Tuple[str, ...]], ...] = tuple(sorted(
            ((cls, tuple(root.split(SEPARATOR)))
             for cls, root in roots.items()),
            key=lambda item: -len(item[1])))

    def classify_path(self, path: str) -> str:
        """The class of a taxonomy path, or OTHER, UNKNOWN or BLANK."""
        if not path:
            return BLANK
        if path not in self.known:
            return UNKNOWN
        levels = tuple(path.split(SEPARATOR))
        for cls, root in self.roots:
            if levels[:len(root)] == root:
                return cls
        return OTHER

    def classify(self, levels: Sequence[Optional[str]]) -> str:
        """The class of a row's ``diagnosis_1`` ... ``diagnosis_5``."""
        return self.classify_path(path_of(levels))
