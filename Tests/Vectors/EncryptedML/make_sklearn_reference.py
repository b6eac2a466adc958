#!/usr/bin/env python3
"""scikit-learn reference for HEKit's plaintext trainer, on the bundled data.

Split: every 5th row (index 0, 5, 10, ...) is the test set, the rest training
(Dataset.split(testEvery: 5) in Swift). Writes sklearn_reference.json; run from
this folder with scikit-learn installed. Not part of the build.
"""
import json
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

def split(df):
    test = df.iloc[::5]
    train = df.drop(test.index)
    return train, test

out = {}
bc = pd.read_csv("../../../Data/breast_cancer.csv")
train, test = split(bc)
X, y = train.drop(columns="target"), train["target"]
Xt, yt = test.drop(columns="target"), test["target"]
default = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
exact = make_pipeline(StandardScaler(), LogisticRegression(tol=1e-12, max_iter=100000)).fit(X, y)
out["breast_cancer_logistic"] = {
    "test_accuracy_default": float(default.score(Xt, yt)),
    "test_accuracy_converged": float(exact.score(Xt, yt)),
    "intercept": float(exact[1].intercept_[0]),
    "weights": exact[1].coef_[0].tolist(),
    "scaler_mean": exact[0].mean_.tolist(),
    "scaler_scale": exact[0].scale_.tolist(),
}
db = pd.read_csv("../../../Data/diabetes.csv")
train, test = split(db)
X, y = train.drop(columns="target"), train["target"]
Xt, yt = test.drop(columns="target"), test["target"]
ridge = make_pipeline(StandardScaler(), Ridge(alpha=1.0)).fit(X, y)
out["diabetes_ridge"] = {
    "test_r2": float(ridge.score(Xt, yt)),
    "intercept": float(ridge[1].intercept_),
    "weights": ridge[1].coef_.tolist(),
}
print(json.dumps(out, indent=1))
