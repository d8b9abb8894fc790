"""Solutions to chapter 03's exercises (the conv layer: output size, padding, stride)."""


def output_size(n, f, p, s):
    """Exercise 3.1, equation (1): floor((n + 2p - f) / s) + 1 outputs along one axis."""
    return (n + 2 * p - f) // s + 1


def same_padding(f):
    """Exercise 3.2, equation (3): (before, after) zeros keeping a stride-1 output n long.

    f - 1 zeros in total; for an even kernel the odd one goes after (bottom / right)."""
    total = f - 1
    return total // 2, total - total // 2
