#!/usr/bin/env python3
"""scikit-learn's RandomForestRegressor with the original Python service's settings (100 trees,
max depth 10, min samples split 10, every feature, bootstrap), trained on exactly the features
and train/test splits that `forest_choice -- export` writes, so the same machine can time our
`original` preset and the forest it replaces on the same inputs.

Prints RMSE and MAE over the members' test ratings (predictions clipped to 0.5-5), and the
median per-member time to train on the member's train ratings and predict the whole catalog,
on one thread (also split into train and predict). Not part of the test suite; it needs
scikit-learn from PyPI:

    python3 -m venv target/sklearn && target/sklearn/bin/pip install scikit-learn
    cargo run --release -p reel --example forest_choice -- export target/forest-data 300
    OMP_NUM_THREADS=1 target/sklearn/bin/python scripts/sklearn_forest.py target/forest-data
"""

import csv
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestRegressor


def read_members(path):
    members = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            member = members.setdefault(int(row["member"]), {"train": [], "test": []})
            member[row["split"]].append((int(row["film"]), float(row["stars"])))
    return [members[i] for i in sorted(members)]


def main(data):
    catalog = np.loadtxt(f"{data}/catalog.csv", delimiter=",", dtype=np.float32)
    members = read_members(f"{data}/ratings.csv")
    squared = absolute = count = 0.0
    total, fits, predicts = [], [], []
    for member in members:
        films, stars = zip(*member["train"])
        start = time.perf_counter()
        forest = RandomForestRegressor(
            n_estimators=100,
            max_depth=10,
            min_samples_split=10,
            max_features=1.0,
            random_state=42,
            n_jobs=1,
        )
        forest.fit(catalog[list(films)], np.asarray(stars, dtype=np.float32))
        trained = time.perf_counter()
        predicted = forest.predict(catalog)
        done = time.perf_counter()
        fits.append((trained - start) * 1e3)
        predicts.append((done - trained) * 1e3)
        total.append((done - start) * 1e3)
        for film, rating in member["test"]:
            error = min(max(float(predicted[film]), 0.5), 5.0) - rating
            squared += error * error
            absolute += abs(error)
            count += 1
    print(
        f"scikit-learn {sklearn.__version__}, original settings: {len(members)} members, "
        f"{int(count)} test ratings, {catalog.shape[0]} films x {catalog.shape[1]} features"
    )
    print(f"RMSE {(squared / count) ** 0.5:.4f}  MAE {absolute / count:.4f}")
    print(
        f"median ms per member: train + predict {statistics.median(total):.1f} "
        f"(train {statistics.median(fits):.1f}, predict {statistics.median(predicts):.1f})"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/forest-data")
