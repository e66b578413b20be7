#!/usr/bin/env python3
"""Writes the seed corpora in Corpus/ (committed; rerun only to regenerate them).

Usage: make-corpus.py REAL_CHECKPOINT SCORES_CSV
  REAL_CHECKPOINT  a checkpoint from `ast train --save` (its JSON header is reused with tiny
                   tensors, so each fuzz input stays small)
  SCORES_CSV       a `scores.csv` from `ast train --record-scores`
"""
import gzip, json, os, shutil, struct, sys, zlib

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "Corpus")
root = os.path.dirname(here)


def put(target, name, data):
    os.makedirs(os.path.join(corpus, target), exist_ok=True)
    with open(os.path.join(corpus, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# Scenario YAML: the shipped scenarios (recorded-trace ones included).
for name in sorted(os.listdir(os.path.join(root, "Scenarios"))):
    if name.endswith(".yaml"):
        with open(os.path.join(root, "Scenarios", name), "rb") as f:
            put("FuzzScenarioYAML", name, f.read())

# Gains JSON: one per law, in the shape `ast tune` writes.
def gains(law, extra):
    configuration = {
        "target": 0.1, "law": extra, "proportionalGain": 0.05, "integralGain": 0.001, "emaAlpha": 0.3,
        "deadband": 0, "initialThreshold": 1, "thresholdBounds": {"lower": 0, "upper": 10},
        "antiWindup": {"clamp": {"bound": 100}}, "gate": {"hard": {}},
        "fallback": {"minimumCount": 0, "minimumFraction": 0, "choice": "topScores", "countsTowardRate": True},
        "rateMeasurement": "perBatch",
    }
    return json.dumps({"format": "ast-gains/1", "law": law, "configuration": configuration,
                       "tuning": {"scenarios": ["a"], "heldOut": [], "seeds": [1, 2], "cost": "itae",
                                  "costBefore": 3.5, "costAfter": 1.25, "starts": 4, "evaluations": 120,
                                  "tunedAlpha": False}}, indent=2)

put("FuzzGainsJSON", "positional.json", gains("positional", {"positional": {"reference": 1}}))
put("FuzzGainsJSON", "velocity.json", gains("velocity", {"velocity": {}}))
put("FuzzGainsJSON", "incremental.json", gains("sundewIncremental", {"sundewIncremental": {}}))

# Score CSV: a real recording, and small hand-made ones (CRLF, nan/inf, uneven batches, BOM).
with open(sys.argv[2], "rb") as f:
    put("FuzzScoreCSV", "recorded.csv", f.read())
put("FuzzScoreCSV", "small.csv", "batch,score\n0,0.5\n0,1.5\n1,0.25\n1,2\n")
put("FuzzScoreCSV", "crlf.csv", "batch,score\r\n0,0.5\r\n0,nan\r\n1,inf\r\n1,-1e300\r\n")
put("FuzzScoreCSV", "uneven.csv", "batch,score\n0,1\n0,2\n0,3\n1,4\n2,5\n2,6\n2,7\n")
put("FuzzScoreCSV", "bom.csv", "\ufeffbatch,score\n0,0.1\n0,0.9\n")

# IDX: label and image files, plain and gzip.
labels = struct.pack(">II", 0x801, 6) + bytes([0, 1, 2, 9, 5, 3])
images = struct.pack(">IIII", 0x803, 3, 4, 4) + bytes(range(0, 240, 5))
put("FuzzIDX", "labels.idx", labels)
put("FuzzIDX", "images.idx", images)
put("FuzzIDX", "labels.idx.gz", gzip.compress(labels, mtime=0))
put("FuzzIDX", "images.idx.gz", gzip.compress(images, mtime=0))

# CIFAR-10 records: label byte + 3072 pixel bytes, two records.
record = lambda label, shift: bytes([label]) + bytes((i * 7 + shift) % 256 for i in range(3072))
put("FuzzCIFAR", "two-records.bin", record(3, 0) + record(9, 11))

# Checkpoint: the real header with two tiny tensors, CRC recomputed.
with open(sys.argv[1], "rb") as f:
    real = f.read()
length = struct.unpack("<I", real[12:16])[0]
header = json.loads(real[16:16 + length])
header["parameterNames"] = ["w", "b"]
header["parameterSizes"] = [3, 1]
header["optimizerStateSizes"] = [3, 1]
encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
body = real[:8] + struct.pack("<II", 1, len(encoded)) + encoded + struct.pack("<8f", 0.5, -1, 2, 0, 0, 0, 0, 0)
put("FuzzCheckpoint", "tiny.ckpt", body + struct.pack("<I", zlib.crc32(body)))
