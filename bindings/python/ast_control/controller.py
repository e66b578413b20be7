"""The Controller class: PIControl's controller through libASTControl."""

import array
import ctypes
import json
import math
import sys
from dataclasses import dataclass

from . import _native


class ASTControlError(Exception):
    """A call into libASTControl failed. `status` is the C status name (for example
    'AST_CONTROL_ERROR_INVALID_CONFIGURATION'); the message is the library's, which names
    the field at fault."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Step:
    """What one batch or rate update did (ast_control_step). When `updated` is False the
    state was untouched (no finite score, or a non-finite rate)."""

    gating_threshold: float
    next_threshold: float
    observed_rate: float
    ema: float
    error: float
    integral: float
    selected_count: int
    passed_count: int
    rejected_non_finite_count: int
    batch_size: int
    updated: bool
    saturated: bool
    used_fallback: bool

    @classmethod
    def _from_struct(cls, raw):
        return cls(raw.gating_threshold, raw.next_threshold, raw.observed_rate, raw.ema, raw.error,
                   raw.integral, raw.selected_count, raw.passed_count, raw.rejected_non_finite_count,
                   raw.batch_size, bool(raw.updated), bool(raw.saturated), bool(raw.used_fallback))


_ERROR_CAPACITY = 2048


class Controller:
    """One PIControl controller with its own seeded generator. Not thread-safe: use one per
    thread. Create it with `from_preset` or `from_gains`; `close()` (or a `with` block) frees
    it early, otherwise it is freed when garbage-collected."""

    def __init__(self, *, _library, _handle):
        self._library = _library
        self._handle = _handle
        self._indices = array.array("q")

    # Creation

    @classmethod
    def from_preset(cls, name, target=0.1, seed=1, library=None):
        """A preset (`ast presets` lists them) at `target` in (0, 1); `seed` as `ast replay --seed`.
        `library` is the path of libASTControl (default: see `_native.candidate_paths`)."""
        native = _native.load(library)
        return cls._create(native, native.ast_control_create_preset, _encode(name, "name"), float(target), seed)

    @classmethod
    def from_gains(cls, path, target=None, seed=1, library=None):
        """The controller of a gains file written by `ast tune` (format ast-gains/1); `target`
        replaces the file's when given. Raises ASTControlError (prefixed with the path) for a
        malformed or invalid file, OSError when it cannot be read."""
        with open(path, "rb") as file:
            text = file.read()
        try:
            return cls.from_gains_json(text, target=target, seed=seed, library=library)
        except ASTControlError as error:
            raise ASTControlError(error.status, "%s: %s" % (path, error.message)) from None

    @classmethod
    def from_gains_json(cls, text, target=None, seed=1, library=None):
        """Like `from_gains`, from the file's text (str or UTF-8 bytes)."""
        native = _native.load(library)
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        if b"\0" in data:
            raise ASTControlError("AST_CONTROL_ERROR_INVALID_JSON", "gains file: contains a NUL byte")
        chosen = math.nan if target is None else float(target)
        return cls._create(native, native.ast_control_create_gains, data, chosen, seed)

    @classmethod
    def _create(cls, native, function, text, target, seed):
        if not isinstance(seed, int) or not 0 <= seed < 2 ** 64:
            raise ValueError("seed must be an integer in [0, 2**64), got %r" % (seed,))
        handle = ctypes.c_void_p()
        message = ctypes.create_string_buffer(_ERROR_CAPACITY)
        status = function(text, target, seed, ctypes.byref(handle), message, _ERROR_CAPACITY)
        if status != _native.OK:
            raise ASTControlError(_status_name(status), message.value.decode("utf-8", "replace"))
        return cls(_library=native, _handle=handle)

    # Use

    def select(self, scores):
        """Gates one batch and updates the controller.

        `scores`: a list or other iterable of numbers, an `array.array`, or any object with
        the buffer protocol (a numpy array, `tensor.detach().cpu().numpy()`); float64 is used
        without copying, other numeric types are converted. NaN and inf scores are never
        selected and do not count in the rate.

        Returns `(indices, step)`: the selected positions as an `array.array('q')` (those
        that passed first, in batch order, then fallback picks) and a `Step`."""
        keep_alive, address, count = _float64_view(scores)
        if count > _native.MAX_BATCH:
            raise ValueError("a batch holds at most %d scores, got %d" % (_native.MAX_BATCH, count))
        if len(self._indices) < count:
            self._indices = array.array("q", bytes(8 * count))
        indices_address = self._indices.buffer_info()[0] if count else None
        selected = ctypes.c_int64()
        raw = _native.StepStruct()
        status = self._library.ast_control_select(self._live_handle(), address, count, indices_address,
                                                  ctypes.byref(selected), ctypes.byref(raw))
        del keep_alive
        self._check(status)
        return self._indices[:selected.value], Step._from_struct(raw)

    def update(self, rate):
        """For loops that gate themselves: feeds a measured batch rate. Returns a `Step`
        (`updated` is False for a non-finite rate, which leaves the state untouched)."""
        raw = _native.StepStruct()
        self._check(self._library.ast_control_update_rate(self._live_handle(), float(rate), ctypes.byref(raw)))
        return Step._from_struct(raw)

    def update_counts(self, selected, batch_size):
        """Feeds `selected` active samples out of `batch_size`. Returns a `Step`."""
        raw = _native.StepStruct()
        status = self._library.ast_control_update_counts(self._live_handle(), int(selected), int(batch_size),
                                                         ctypes.byref(raw))
        self._check(status)
        return Step._from_struct(raw)

    @property
    def threshold(self):
        """The threshold that will gate the next batch."""
        value = ctypes.c_double()
        self._check(self._library.ast_control_threshold(self._live_handle(), ctypes.byref(value)))
        return value.value

    @property
    def state(self):
        """The state as a dict (JSON format ast-control-state/1: the controller's state and
        the generator's), for checkpoints; restore it with `load_state`."""
        return json.loads(self.state_json())

    def state_json(self):
        """The state as JSON text."""
        length = ctypes.c_size_t()
        capacity = 1024
        while True:
            buffer = ctypes.create_string_buffer(capacity)
            status = self._library.ast_control_get_state(self._live_handle(), buffer, capacity, ctypes.byref(length))
            if status == _native.BUFFER_TOO_SMALL and length.value + 1 > capacity:
                capacity = length.value + 1
                continue
            self._check(status)
            return buffer.value.decode("utf-8")

    def load_state(self, state):
        """Restores a state from `state` (a dict, or JSON text). Raises ASTControlError, keeping
        the current state, when it is malformed."""
        text = state if isinstance(state, (str, bytes)) else json.dumps(state)
        data = text.encode("utf-8") if isinstance(text, str) else text
        if b"\0" in data:
            raise ASTControlError("AST_CONTROL_ERROR_INVALID_JSON", "state: contains a NUL byte")
        self._check(self._library.ast_control_set_state(self._live_handle(), data))

    # Lifetime

    def close(self):
        """Frees the controller; further calls raise ValueError."""
        if self._handle is not None:
            self._library.ast_control_destroy(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _live_handle(self):
        if self._handle is None:
            raise ValueError("the controller is closed")
        return self._handle

    def _check(self, status):
        if status == _native.OK:
            return
        capacity = self._library.ast_control_last_error(self._handle, None, 0) + 1
        buffer = ctypes.create_string_buffer(capacity)
        self._library.ast_control_last_error(self._handle, buffer, capacity)
        raise ASTControlError(_status_name(status), buffer.value.decode("utf-8", "replace"))


def _status_name(status):
    return _native.STATUS_NAMES.get(status, "status %d" % status)


def _encode(text, what):
    if not isinstance(text, str):
        raise TypeError("%s must be a str, got %s" % (what, type(text).__name__))
    data = text.encode("utf-8")
    if b"\0" in data:
        raise ValueError("%s contains a NUL character" % what)
    return data


def _float64_view(scores):
    """(object to keep alive, address or None, count) of the scores as contiguous float64."""
    try:
        view = memoryview(scores)
    except TypeError:
        view = None
    if view is None:
        values = array.array("d", (float(value) for value in scores))
        return values, (values.buffer_info()[0] if values else None), len(values)
    if view.ndim > 1:
        raise ValueError("scores must be one-dimensional, got shape %s" % (view.shape,))
    code = view.format.lstrip("@=<" if sys.byteorder == "little" else "@=>")
    if code == "d" and view.c_contiguous:
        count = len(view) if view.ndim else 1
        if count == 0:
            return view, None, 0
        if not view.readonly:
            block = (ctypes.c_char * view.nbytes).from_buffer(view)
            return (view, block), ctypes.addressof(block), count
        values = array.array("d")
        values.frombytes(view.tobytes())
        return values, values.buffer_info()[0], count
    if len(code) != 1 or code not in "bBhHiIlLqQnNfde?":
        raise TypeError("scores must be numbers; the buffer's format is %r" % (view.format,))
    values = array.array("d", (float(value) for value in view.tolist()))
    return values, (values.buffer_info()[0] if values else None), len(values)
