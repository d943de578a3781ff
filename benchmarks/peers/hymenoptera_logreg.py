#!/usr/bin/python3
"""Logistic regression (scikit-learn) on the hymenoptera features written by `-- hymenoptera-cv [folder]`:
the same 5 folds of train and the same val photos as the head in that run, for C in a grid, with and
without standardisation. Usage: /usr/bin/python3 hymenoptera_logreg.py [folder]"""
import os, sys, tempfile
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "rekognition-hymenoptera-cv")
read = lambda name: np.array(open(os.path.join(folder, name)).read().split(), int)
y, vy, folds = read("train_labels.txt"), read("val_labels.txt"), read("train_folds.txt")
x = np.fromfile(os.path.join(folder, "train.f32"), np.float32).reshape(len(y), -1)
vx = np.fromfile(os.path.join(folder, "val.f32"), np.float32).reshape(len(vy), -1)
for standardise in (False, True):
    for c in (0.01, 0.1, 1.0):
        model = lambda: make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000)) if standardise else LogisticRegression(C=c, max_iter=5000)
        cv = 0
        for k in range(folds.max() + 1):
            m = model().fit(x[folds != k], y[folds != k])
            cv += int((m.predict(x[folds == k]) == y[folds == k]).sum())
        val = int((model().fit(x, y).predict(vx) == vy).sum())
        print(f"LOGREG standardise={standardise!s:5} C={c:<4}: CV on train {cv}/{len(y)} ({100 * cv / len(y):.2f}%), val {val}/{len(vy)} ({100 * val / len(vy):.2f}%)")
