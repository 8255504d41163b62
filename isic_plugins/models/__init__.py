from .classifiers import ISICEnsembleClassifier
from .decode_heads import DeconvFCNHead
from .segmentors import ISICSegTTAModel

__all__ = ['DeconvFCNHead', 'ISICSegTTAModel', 'ISICEnsembleClassifier']
