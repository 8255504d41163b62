# Cross-entropy + Lovasz-softmax per image (Berman et al., 2018), for a
# segmenter's decode_head: the Lovasz term is a convex surrogate of each
# image's Jaccard index, averaged over the images of a batch, the way the
# ISIC score averages per-image Jaccard (so a large lesion whose pale rim
# is lost costs as much as a small one missed, where pixel-wise losses
# weigh it by its area). It replaces the model pieces' cross-entropy +
# Dice (0.5); a leaf uses it as
#   model = dict(decode_head=dict(loss_decode=_base_.ce_lovasz_loss))
ce_lovasz_loss = [
    dict(type='CrossEntropyLoss', loss_weight=1.0),
    dict(type='LovaszLoss', loss_type='multi_class', classes='present',
         per_image=True, reduction='mean', loss_weight=1.0),
]
