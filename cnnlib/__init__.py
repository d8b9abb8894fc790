"""cnnlib: a small numpy library for the course "CNNs from scratch".

Layers of the package, bottom to top (imports only go downward):

    functional   the math as pure functions (conv, pool, relu, softmax cross-entropy)  - numpy only
    gradcheck    centred finite differences and relative error                        - numpy only
    layers       one class per layer: forward(x) / backward(dout), params / grads
    optim        SGD (momentum) and Adam, which apply grads to params
    model        Sequential: summary, fit, predict, evaluate, save / load
    data         MNIST from data/mnist.npz (hash-checked) and a sample colour photo
    checks       check_<exercise>(student_fn) for the notebooks' exercises
    softmax_regression, learn_kernel, receptive_field   small demos of chapters 01, 02 and 04
    viz          drawing functions (matplotlib): take an `ax`, draw, return what they drew
    widgets      thin ipywidgets wrappers around viz

`import cnnlib` loads numpy only; matplotlib and ipywidgets load when viz / widgets are imported.
"""
__version__ = "0.1.0"
