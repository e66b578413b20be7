"""ctypes declarations of include/ast_control.h and the search for libASTControl."""

import ctypes
import os
import sys

# Status codes (ast_control.h).
OK = 0
STATUS_NAMES = {
    1: "AST_CONTROL_ERROR_NULL_ARGUMENT",
    2: "AST_CONTROL_ERROR_INVALID_ARGUMENT",
    3: "AST_CONTROL_ERROR_INVALID_UTF8",
    4: "AST_CONTROL_ERROR_UNKNOWN_PRESET",
    5: "AST_CONTROL_ERROR_INVALID_JSON",
    6: "AST_CONTROL_ERROR_INVALID_CONFIGURATION",
    7: "AST_CONTROL_ERROR_INVALID_STATE",
    8: "AST_CONTROL_ERROR_BUFFER_TOO_SMALL",
}
BUFFER_TOO_SMALL = 8
HEADER_VERSION = 10000  # AST_CONTROL_VERSION_NUMBER
MAX_BATCH = 16777216  # AST_CONTROL_MAX_BATCH

ENVIRONMENT_VARIABLE = "AST_CONTROL_LIBRARY"


class StepStruct(ctypes.Structure):
    """ast_control_step."""

    _fields_ = [
        ("gating_threshold", ctypes.c_double),
        ("next_threshold", ctypes.c_double),
        ("observed_rate", ctypes.c_double),
        ("ema", ctypes.c_double),
        ("error", ctypes.c_double),
        ("integral", ctypes.c_double),
        ("selected_count", ctypes.c_int64),
        ("passed_count", ctypes.c_int64),
        ("rejected_non_finite_count", ctypes.c_int64),
        ("batch_size", ctypes.c_int64),
        ("updated", ctypes.c_int32),
        ("saturated", ctypes.c_int32),
        ("used_fallback", ctypes.c_int32),
        ("reserved", ctypes.c_int32),
    ]


def _library_file_name():
    if sys.platform == "darwin":
        return "libASTControl.dylib"
    if sys.platform.startswith("win"):
        return "ASTControl.dll"
    return "libASTControl.so"


def candidate_paths():
    """Where the library is looked for when no path is given: $AST_CONTROL_LIBRARY, else the
    package's build folders (.build/release and .build/debug of the repository this module
    lives in, then of the current directory), the most recently built first."""
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE)
    if from_environment:
        return [from_environment]
    name = _library_file_name()
    repository = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    roots = [repository]
    if os.path.abspath(os.getcwd()) != repository:
        roots.append(os.path.abspath(os.getcwd()))
    found = []
    for root in roots:
        for configuration in ("release", "debug"):
            path = os.path.join(root, ".build", configuration, name)
            if os.path.isfile(path):
                found.append(path)
    found.sort(key=os.path.getmtime, reverse=True)
    return found


_loaded = {}


def load(path=None):
    """Loads (once per path) and declares the library. Raises OSError naming where it looked."""
    if path is None:
        candidates = candidate_paths()
        if not candidates:
            raise OSError(
                "libASTControl not found: build it with `swift build --product ASTControl` "
                "(or -c release), set $%s, or pass library=PATH" % ENVIRONMENT_VARIABLE)
        path = candidates[0]
    path = os.path.abspath(path)
    if path in _loaded:
        return _loaded[path]
    library = ctypes.CDLL(path)
    _declare(library)
    version = library.ast_control_version()
    if version != HEADER_VERSION:
        raise OSError("%s has version %d; this module expects %d" % (path, version, HEADER_VERSION))
    _loaded[path] = library
    return library


def _declare(library):
    handle = ctypes.c_void_p
    status = ctypes.c_int32
    step = ctypes.POINTER(StepStruct)
    size = ctypes.c_size_t
    signatures = {
        "ast_control_version": (ctypes.c_int32, []),
        "ast_control_create_preset": (status, [ctypes.c_char_p, ctypes.c_double, ctypes.c_uint64,
                                               ctypes.POINTER(handle), ctypes.c_char_p, size]),
        "ast_control_create_gains": (status, [ctypes.c_char_p, ctypes.c_double, ctypes.c_uint64,
                                              ctypes.POINTER(handle), ctypes.c_char_p, size]),
        "ast_control_destroy": (None, [handle]),
        "ast_control_select": (status, [handle, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
                                        ctypes.POINTER(ctypes.c_int64), step]),
        "ast_control_update_rate": (status, [handle, ctypes.c_double, step]),
        "ast_control_update_counts": (status, [handle, ctypes.c_int64, ctypes.c_int64, step]),
        "ast_control_threshold": (status, [handle, ctypes.POINTER(ctypes.c_double)]),
        "ast_control_get_state": (status, [handle, ctypes.c_char_p, size, ctypes.POINTER(size)]),
        "ast_control_set_state": (status, [handle, ctypes.c_char_p]),
        "ast_control_last_error": (size, [handle, ctypes.c_char_p, size]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
