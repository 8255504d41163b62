from .deconv_fcn_head import DeconvFCNHead, bilinear_kernel

__all__ = ['DeconvFCNHead', 'bilinear_kernel']
