from .classifiers import ISICEnsembleClassifier
from .decode_heads import DeconvFCNHead
from .segmentors import ISICSegTTAModel, OtsuLesionSegmentor

__all__ = [
    'DeconvFCNHead', 'ISICSegTTAModel', 'OtsuLesionSegmentor',
    'ISICEnsembleClassifier'
]
