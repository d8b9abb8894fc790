"""Solutions to the exercises of chapter 01 (why CNNs)."""
import numpy as np


def dense_params(n_in, n_out):
    """Weights and biases of a dense layer: n_in * n_out weights + n_out biases."""
    return n_in * n_out + n_out


def conv_params(c_in, n_filters, k):
    """Weights and biases of a conv layer with n_filters kernels of size c_in x k x k, one bias each."""
    return n_filters * (c_in * k * k + 1)


def shift_image(img, dy, dx):
    """img (H, W) moved dy rows down and dx columns right, zeros coming in; a new array."""
    H, W = img.shape
    out = np.zeros_like(img)
    for r in range(H):
        for c in range(W):
            if 0 <= r - dy < H and 0 <= c - dx < W:
                out[r, c] = img[r - dy, c - dx]  # the pixel that lands on (r, c) came from (r - dy, c - dx)
    return out


def flat_neighbours(r, c, H, W):
    """Sorted flat indices (row-major) of the pixels above, below, left and right of (r, c) in an H x W image."""
    neighbours = []
    for rr, cc in [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]:
        if 0 <= rr < H and 0 <= cc < W:  # inside the image: no wrapping to the next row
            neighbours.append(rr * W + cc)
    return sorted(neighbours)
