"""Solutions to the exercises of chapter 06 (forward propagation)."""
import numpy as np

from cnnlib import functional as F


def filter_forward(x, w_i, b_i):
    """Y_i = b_i + sum_j X_j * K_ij (eq. 5) for one filter. x: (C, H, W), w_i: (C, KH, KW)."""
    C = x.shape[0]
    y = np.zeros((x.shape[1] - w_i.shape[1] + 1, x.shape[2] - w_i.shape[2] + 1))
    for j in range(C):
        y += F.correlate2d(x[j], w_i[j])
    return y + b_i


def conv_param_count(C, F_, KH, KW, bias_hw=None):
    """F filters of C x KH x KW weights, plus F biases (tied) or F * H_out * W_out (untied)."""
    weights = F_ * C * KH * KW
    biases = F_ if bias_hw is None else F_ * bias_hw[0] * bias_hw[1]
    return weights + biases
