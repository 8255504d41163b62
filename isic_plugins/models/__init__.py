from .backbones import EfficientNetLite
from .classifiers import ISICEnsembleClassifier, ISICMultiViewEnsemble
from .decode_heads import DeconvFCNHead
from .segmentors import ISICSegTTAModel, OtsuLesionSegmentor

__all__ = [
    'EfficientNetLite', 'DeconvFCNHead', 'ISICSegTTAModel',
    'OtsuLesionSegmentor', 'ISICEnsembleClassifier', 'ISICMultiViewEnsemble'
]
