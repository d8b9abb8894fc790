"""The course's math as pure functions, all in one namespace: ``from cnnlib import functional as F``.

    F.output_size(n, f, padding, stride)      eq. (1), with the floor
    F.pad2d(x, padding)                       zero padding, a new array
    F.correlate2d / F.convolve2d              one channel, modes 'valid' | 'same' | 'full'
    F.conv2d / F.conv2d_backward              x (N,C,H,W), w (F,C,KH,KW), b (F,) -> (N,F,H_out,W_out)
    F.conv2d_naive / F.conv2d_backward_naive  loop versions, same signatures
    F.im2col / F.col2im                       windows -> columns (N, C*KH*KW, H_out*W_out) and back (+=)
    F.max_pool2d(_backward), F.avg_pool2d(_backward) (+ _naive versions)
    F.relu_max_pool2d(_backward)              ReLU then max-pool as one step (+ _backward_naive)
    F.relu / F.relu_backward, F.softmax, F.softmax_cross_entropy
"""
from .activations import relu, relu_backward  # noqa: F401
from .conv import (col2im, conv2d, conv2d_backward, conv2d_backward_naive, conv2d_naive,  # noqa: F401
                   convolve2d, correlate2d, im2col)
from .losses import softmax, softmax_cross_entropy  # noqa: F401
from .pool import (avg_pool2d, avg_pool2d_backward, avg_pool2d_backward_naive,  # noqa: F401
                   avg_pool2d_naive, max_pool2d, max_pool2d_backward, max_pool2d_backward_naive,
                   max_pool2d_naive, relu_max_pool2d, relu_max_pool2d_backward,
                   relu_max_pool2d_backward_naive)
from .shapes import output_size, pad2d, resolve_padding, same_padding  # noqa: F401
