"""Python bindings of libASTControl: the AST package's verified PIControl controller for any
training loop, through ctypes (standard library only).

    from ast_control import Controller
    controller = Controller.from_gains("gains.json", seed=1)
    indices, step = controller.select(scores)   # list, array.array, numpy, tensor.numpy()

See bindings/python/README.md.
"""

from ._native import ENVIRONMENT_VARIABLE, candidate_paths, load as load_library
from .controller import ASTControlError, Controller, Step

__all__ = ["ASTControlError", "Controller", "Step", "load_library", "candidate_paths", "ENVIRONMENT_VARIABLE"]
