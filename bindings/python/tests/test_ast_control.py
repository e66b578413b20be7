"""Tests of the ast_control Python module (standard library only; run by `make test`).

The reference is the `ast` binary: `ast replay` runs PIControl's Controller over a recorded
`batch,score` trace, and this module must reproduce its trace.csv bit for bit through the C
library. Environment: AST_BINARY (default: the newest of .build/{debug,release}/ast) and
AST_CONTROL_LIBRARY (default: see ast_control.candidate_paths()).
"""

import array
import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(REPOSITORY, "bindings", "python"))

from ast_control import ASTControlError, Controller  # noqa: E402


def ast_binary():
    if os.environ.get("AST_BINARY"):
        return os.environ["AST_BINARY"]
    found = [os.path.join(REPOSITORY, ".build", configuration, "ast") for configuration in ("debug", "release")]
    found = [path for path in found if os.path.isfile(path)]
    if not found:
        raise unittest.SkipTest("no ast binary: run `swift build --product ast` or set AST_BINARY")
    return max(found, key=os.path.getmtime)


def make_batches(seed=20261201, count=80):
    """Lognormal scores in batches of varying size, with NaN and inf scores, one batch with
    no finite score, and a regime shift that moves the thresholds."""
    generator = random.Random(seed)
    batches = []
    for k in range(count):
        size = generator.randint(20, 70)
        mu = 0.5 if k < 40 else -0.7
        batch = [generator.lognormvariate(mu, 0.8) for _ in range(size)]
        if k % 9 == 4:
            batch[generator.randrange(size)] = math.nan
        if k % 13 == 6:
            batch[generator.randrange(size)] = math.inf
        batches.append(batch)
    batches[25] = [math.nan, math.nan, -math.inf]
    return batches


def write_trace(path, batches):
    with open(path, "w") as file:
        file.write("batch,score\n")
        for k, batch in enumerate(batches):
            for score in batch:
                # repr is the shortest text that reads back as the same double (Swift's
                # Double(String) is correctly rounded, so `ast replay` sees the same numbers).
                file.write("%d,%r\n" % (k, score))


def run_replay(trace_path, out, *options):
    completed = subprocess.run([ast_binary(), "replay", trace_path, "--out", out] + list(options),
                               capture_output=True, text=True)
    if completed.returncode != 0:
        raise AssertionError("ast replay failed (%d): %s" % (completed.returncode, completed.stderr))
    with open(os.path.join(out, "trace.csv")) as file:
        return list(csv.DictReader(file))


class ReplayParityTests(unittest.TestCase):
    """The module over a trace equals `ast replay` over the same trace, bit for bit."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        cls.batches = make_batches()
        cls.trace = os.path.join(cls.directory.name, "scores.csv")
        write_trace(cls.trace, cls.batches)

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def compare(self, controller, rows, whole_batch=False):
        # The seed presets divide by the whole batch (as upstream), the textbook ones by the
        # finite scores.
        self.assertEqual(len(rows), len(self.batches))
        moved = set()
        for k, (batch, row) in enumerate(zip(self.batches, rows)):
            indices, step = controller.select(batch)
            finite = len(batch) if whole_batch else len(batch) - step.rejected_non_finite_count
            rate = len(indices) / finite if finite > 0 else 0.0
            # float(text) reads Swift's shortest round-trip text back to the exact double.
            expected = {name: float(row[name]) for name in ("threshold", "rate", "ema", "error", "integral")}
            actual = {"threshold": step.gating_threshold, "rate": rate, "ema": step.ema,
                      "error": step.error, "integral": step.integral}
            self.assertEqual(int(row["step"]), k)
            self.assertEqual(len(indices), int(row["selected"]), "batch %d selected" % k)
            for name in expected:
                self.assertEqual(actual[name].hex(), expected[name].hex(), "batch %d %s" % (k, name))
            self.assertTrue(all(math.isfinite(batch[i]) for i in indices), "batch %d selected a non-finite score" % k)
            moved.add(step.gating_threshold)
        self.assertGreater(len(moved), 10, "the trace should move the threshold")

    def test_seed_package(self):
        rows = run_replay(self.trace, os.path.join(self.directory.name, "seedPackage"),
                          "--preset", "seedPackage", "--target", "0.1", "--seed", "5")
        with Controller.from_preset("seedPackage", target=0.1, seed=5) as controller:
            self.compare(controller, rows, whole_batch=True)

    def test_velocity_pi(self):
        rows = run_replay(self.trace, os.path.join(self.directory.name, "velocityPI"),
                          "--preset", "velocityPI", "--target", "0.15", "--seed", "1")
        with Controller.from_preset("velocityPI", target=0.15, seed=1) as controller:
            self.compare(controller, rows)

    def test_seed_cifar_with_random_gate_and_fallback(self):
        rows = run_replay(self.trace, os.path.join(self.directory.name, "seedCIFAR"),
                          "--preset", "seedCIFAR", "--target", "0.1", "--seed", "77")
        with Controller.from_preset("seedCIFAR", target=0.1, seed=77) as controller:
            self.compare(controller, rows, whole_batch=True)

    def test_gains_file(self):
        presets = json.loads(subprocess.run([ast_binary(), "presets", "--json", "--target", "0.2"],
                                            capture_output=True, text=True, check=True).stdout)
        configuration = presets["positionalPI"]
        configuration["proportionalGain"] = 0.7
        configuration["integralGain"] = 0.15
        gains = os.path.join(self.directory.name, "gains.json")
        with open(gains, "w") as file:
            # The provenance record that `ast tune` writes is ignored by the library.
            tuning = {"scenarios": ["recorded"], "heldOut": [], "seeds": [1], "cost": "J", "costBefore": 1.0,
                      "costAfter": 0.5, "starts": 4, "evaluations": 100, "tunedAlpha": False}
            json.dump({"format": "ast-gains/1", "law": "positional", "configuration": configuration,
                       "tuning": tuning}, file)
        rows = run_replay(self.trace, os.path.join(self.directory.name, "gains"), "--gains", gains, "--seed", "3")
        with Controller.from_gains(gains, seed=3) as controller:
            self.compare(controller, rows)


class BadGainsFileTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.good = {"format": "ast-gains/1", "law": "velocity", "configuration": {
            "target": 0.1, "law": {"velocity": {}}, "proportionalGain": 1.0, "integralGain": 0.5,
            "emaAlpha": 0.5, "initialThreshold": 1.0, "thresholdBounds": {"lower": 0, "upper": 10},
            "antiWindup": {"clamp": {"bound": 100}}}}

    def write(self, content):
        path = os.path.join(self.directory.name, "gains.json")
        with open(path, "wb") as file:
            file.write(content if isinstance(content, bytes) else json.dumps(content).encode())
        return path

    def assert_rejected(self, content, status, *fragments):
        path = self.write(content)
        with self.assertRaises(ASTControlError) as caught:
            Controller.from_gains(path)
        self.assertEqual(caught.exception.status, status)
        message = str(caught.exception)
        self.assertTrue(message.startswith(path + ": "), message)
        for fragment in fragments:
            self.assertIn(fragment, message)

    def test_valid_file_loads(self):
        with Controller.from_gains(self.write(self.good)) as controller:
            self.assertEqual(controller.threshold, 1.0)

    def test_invalid_field_is_named(self):
        self.good["configuration"]["emaAlpha"] = 2
        self.assert_rejected(self.good, "AST_CONTROL_ERROR_INVALID_CONFIGURATION",
                             "field 'emaAlpha': expected in (0, 1], got 2.0")

    def test_missing_field_is_named(self):
        del self.good["configuration"]["proportionalGain"]
        self.assert_rejected(self.good, "AST_CONTROL_ERROR_INVALID_JSON", "missing field 'configuration.proportionalGain'")

    def test_wrong_type_is_named(self):
        self.good["configuration"]["thresholdBounds"]["upper"] = "ten"
        self.assert_rejected(self.good, "AST_CONTROL_ERROR_INVALID_JSON", "configuration.thresholdBounds.upper")

    def test_wrong_format(self):
        self.good["format"] = "ast-gains/0"
        self.assert_rejected(self.good, "AST_CONTROL_ERROR_INVALID_JSON", "field 'format'", "ast-gains/1")

    def test_not_json(self):
        self.assert_rejected(b"{\"format\": ", "AST_CONTROL_ERROR_INVALID_JSON", "gains file")

    def test_invalid_utf8(self):
        self.assert_rejected(b"{\"format\": \"\xc3\x28\"}", "AST_CONTROL_ERROR_INVALID_UTF8", "UTF-8")

    def test_missing_file(self):
        with self.assertRaises(FileNotFoundError):
            Controller.from_gains(os.path.join(self.directory.name, "absent.json"))

    def test_bad_target_override(self):
        with self.assertRaises(ASTControlError) as caught:
            Controller.from_gains(self.write(self.good), target=1.0)
        self.assertIn("'target'", str(caught.exception))

    def test_mutated_files_never_crash(self):
        """Truncations and byte flips of a valid file: each one loads or raises ASTControlError."""
        text = json.dumps(self.good).encode()
        generator = random.Random(15)
        outcomes = {"loaded": 0, "rejected": 0}
        for trial in range(400):
            data = bytearray(text)
            if trial % 4 == 0:
                del data[generator.randrange(len(data)):]
            for _ in range(generator.randint(1, 3)):
                if data:
                    data[generator.randrange(len(data))] = generator.choice(b'{}[]",:0123456789.eE-+ \xff\x80\x01a')
            try:
                Controller.from_gains_json(bytes(data).replace(b"\0", b" ")).close()
                outcomes["loaded"] += 1
            except ASTControlError as error:
                self.assertTrue(error.message, "an error must come with a message")
                outcomes["rejected"] += 1
        self.assertGreater(outcomes["rejected"], 100)

    def test_unknown_preset_lists_the_presets(self):
        with self.assertRaises(ASTControlError) as caught:
            Controller.from_preset("seedPackge")
        self.assertEqual(caught.exception.status, "AST_CONTROL_ERROR_UNKNOWN_PRESET")
        self.assertIn("seedPackage", str(caught.exception))


class ScoreTests(unittest.TestCase):
    def test_nan_and_inf_scores_are_never_selected(self):
        # A textbook preset counts finite scores only: a batch of none leaves the state.
        with Controller.from_preset("velocityPI", seed=1) as controller:
            before = controller.state
            indices, step = controller.select([math.nan, math.inf, -math.inf])
            self.assertEqual(len(indices), 0)
            self.assertFalse(step.updated)
            self.assertEqual(step.rejected_non_finite_count, 3)
            self.assertEqual(controller.state, before, "a batch without finite scores leaves the state")
        # The seed presets divide by the whole batch, as upstream: such a batch is a rate of 0.
        with Controller.from_preset("seedPackage", seed=1) as controller:
            indices, step = controller.select([math.nan, math.inf, -math.inf])
            self.assertEqual(len(indices), 0)
            self.assertTrue(step.updated)
            self.assertEqual(step.observed_rate, 0.0)
            scores = [math.nan, 9.0, 0.1, math.inf, 0.2, 0.3]
            indices, step = controller.select(scores)
            # 9 passes θ = 3; the fallback tops up to 2 with the highest finite score, 0.3.
            self.assertEqual(list(indices), [1, 5])
            self.assertTrue(step.used_fallback)
            self.assertEqual(step.observed_rate, 2 / 6)

    def test_non_finite_rate_leaves_the_state(self):
        with Controller.from_preset("velocityPI") as controller:
            before = controller.state
            self.assertFalse(controller.update(math.nan).updated)
            self.assertEqual(controller.state, before)
            self.assertTrue(controller.update(0.4).updated)
            self.assertNotEqual(controller.state, before)

    def test_input_types_agree(self):
        values = [0.5, 2.25, 7.0, 1.0, 3.5, 0.125]
        as_float32 = array.array("f", values)  # exactly representable, so conversion is exact
        packed = array.array("d", values)
        inputs = [values, tuple(values), packed, memoryview(packed), memoryview(packed.tobytes()).cast("d"),
                  as_float32, array.array("i", [0, 2, 7, 1, 3, 0]), (v for v in values)]
        results = []
        for scores in inputs:
            with Controller.from_preset("velocityPI", seed=2) as controller:
                indices, step = controller.select(scores)
                results.append((list(indices), step.next_threshold))
        self.assertEqual(results[:6], [results[0]] * 6)
        self.assertEqual(results[6][0], [1, 2, 4])  # integers above θ = 1: 2, 7, 3

    def test_numpy_when_available(self):
        try:
            import numpy
        except ImportError:
            self.skipTest("numpy is not installed (optional)")
        scores = numpy.linspace(0, 5, 64)
        with Controller.from_preset("velocityPI", seed=2) as a, Controller.from_preset("velocityPI", seed=2) as b:
            self.assertEqual(list(a.select(scores)[0]), list(b.select(scores.tolist())[0]))
            self.assertEqual(list(a.select(scores[::2].astype(numpy.float32))[0]),
                             list(b.select([float(x) for x in scores[::2].astype(numpy.float32)])[0]))

    def test_bad_inputs(self):
        with Controller.from_preset("velocityPI") as controller:
            with self.assertRaises(ValueError):
                controller.select(memoryview(array.array("d", [1, 2, 3, 4])).cast("B").cast("d", (2, 2)))
            with self.assertRaises(TypeError):
                controller.select(memoryview(b"abc").cast("c"))
            with self.assertRaises(ValueError):
                controller.select(["x"])
            indices, step = controller.select([])
            self.assertEqual((len(indices), step.updated), (0, False))
        with self.assertRaises(ValueError):
            controller.select([1.0])  # closed


class StateTests(unittest.TestCase):
    def test_round_trip_continues_identically(self):
        generator = random.Random(4)
        batches = [[generator.random() for _ in range(32)] for _ in range(30)]
        with Controller.from_preset("seedCIFAR", seed=11) as original:
            for batch in batches[:15]:
                original.select(batch)
            saved = original.state
            self.assertEqual(saved["format"], "ast-control-state/1")
            self.assertEqual(saved["controller"]["step"], 15)
            with Controller.from_preset("seedCIFAR", seed=999) as resumed:
                resumed.load_state(json.loads(json.dumps(saved)))  # through a checkpoint file's text
                self.assertEqual(resumed.state, saved)
                for batch in batches[15:]:
                    a, step_a = original.select(batch)
                    b, step_b = resumed.select(batch)
                    self.assertEqual(list(a), list(b))
                    self.assertEqual(step_a, step_b)
                resumed.load_state(original.state_json())
                self.assertEqual(resumed.state, original.state)

    def test_bad_state_is_rejected_and_the_state_kept(self):
        with Controller.from_preset("seedPackage") as controller:
            controller.select([1.0, 4.0, 5.0])
            before = controller.state
            not_a_number = json.loads(json.dumps(before))
            not_a_number["controller"]["threshold"] = math.nan  # json.dumps writes NaN, which is not JSON
            null = json.loads(json.dumps(before))
            null["controller"]["threshold"] = None
            negative = json.loads(json.dumps(before))
            negative["controller"]["step"] = -3
            cases = [("{", "state"), ({"format": "ast-control-state/1"}, "missing field 'controller'"),
                     (not_a_number, "not valid JSON"), (null, "field 'controller.threshold'"),
                     (negative, "field 'controller.step'"), (dict(before, format="other"), "field 'format'")]
            for state, fragment in cases:
                with self.assertRaises(ASTControlError) as caught:
                    controller.load_state(state)
                self.assertIn(fragment, str(caught.exception))
                self.assertEqual(controller.state, before)


if __name__ == "__main__":
    unittest.main()
