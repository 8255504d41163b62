from .isic_ensemble_classifier import ISICEnsembleClassifier

__all__ = ['ISICEnsembleClassifier']
