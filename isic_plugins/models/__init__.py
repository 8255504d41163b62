from .decode_heads import DeconvFCNHead

__all__ = ['DeconvFCNHead']
