"""The workload every side of the comparison scores: HEKit's model (written by
`hekit train`, read here from its model.json) on the bundled breast-cancer
records, tiled to a whole number of batches.

The model's standardising scaler is folded into the weights and intercept, as
HEKit's server does, so every side encrypts raw feature values."""

import csv
import json

import numpy as np


def read_csv(path, target="target"):
    """Returns (feature names, feature matrix, target vector or None)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    values = np.array([[float(v) for v in r] for r in body], dtype=np.float64)
    if target in header:
        j = header.index(target)
        features = header[:j] + header[j + 1:]
        return features, np.delete(values, j, axis=1), values[:, j]
    return header, values, None


def tile(matrix, records):
    """The rows repeated in order until there are `records` of them."""
    reps = -(-records // len(matrix))
    return np.tile(matrix, (reps, 1))[:records]


def write_csv(path, features, matrix):
    """A CSV with a header line, numbers written with repr (exact round trip)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(features)
        for row in matrix:
            writer.writerow([repr(float(v)) for v in row])


class Model:
    """HEKit's model JSON (`format: hekit-model`), folded onto raw features."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        if spec.get("format", "hekit-model") != "hekit-model":
            raise ValueError(f"{path}: not a HEKit model")
        self.kind = spec["kind"]
        self.features = spec["features"]
        weights = np.array(spec["weights"], dtype=np.float64)
        intercept = float(spec["intercept"])
        scaler = spec.get("scaler")
        if scaler:
            mean = np.array(scaler["mean"], dtype=np.float64)
            scale = np.array(scaler["scale"], dtype=np.float64)
            intercept -= float(np.sum(weights * mean / scale))
            weights = weights / scale
        self.weights = weights
        self.intercept = intercept
        self.threshold = float(spec.get("threshold", 0.5))

    def logits(self, matrix):
        """The plaintext scores: intercept + Σ w_j·x_j, in double precision."""
        return matrix @ self.weights + self.intercept

    def labels(self, logits):
        """1 where sigmoid(logit) ≥ threshold, as HEKit's label(forLogit:)."""
        z = np.asarray(logits, dtype=np.float64)
        probability = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
        return (probability >= self.threshold).astype(int)
