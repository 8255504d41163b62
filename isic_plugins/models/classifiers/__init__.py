from .isic_ensemble_classifier import ISICEnsembleClassifier
from .isic_multi_view_ensemble import ISICMultiViewEnsemble

__all__ = ['ISICEnsembleClassifier', 'ISICMultiViewEnsemble']
