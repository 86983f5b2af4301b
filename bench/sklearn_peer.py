"""scikit-learn's TfidfVectorizer on the same task as alike: top 5 by cosine
for every article, leaving out the article itself and any article whose body
is identical to it, scored by label. Prints one JSON object.

    bench/.venv/bin/python bench/sklearn_peer.py CORPUS.jsonl RUNS
"""

import json
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

K = 5


def main() -> None:
    path, runs = sys.argv[1], int(sys.argv[2])
    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    texts = [f"{r.get('title', '')}\n{r.get('body', '')}" for r in records]
    labels = np.array([r.get("label") or r.get("section") for r in records])
    bodies = [r.get("body", "") for r in records]

    fits = []
    for _ in range(runs):
        started = time.perf_counter()
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        matrix = vectorizer.fit_transform(texts)
        fits.append(time.perf_counter() - started)

    started = time.perf_counter()
    similarity = (matrix @ matrix.T).toarray()  # rows are l2-normalised: this is cosine
    np.fill_diagonal(similarity, -np.inf)
    same_body: dict[str, list[int]] = {}
    for i, body in enumerate(bodies):
        same_body.setdefault(body, []).append(i)
    for group in same_body.values():
        if len(group) > 1:
            for i in group:
                similarity[i, group] = -np.inf
    top = np.argsort(-similarity, axis=1, kind="stable")[:, :K]
    query_seconds = time.perf_counter() - started
    hits = int((labels[top] == labels[:, None]).sum())
    print(
        json.dumps(
            {
                "version": sklearn.__version__,
                "articles": len(records),
                "vocabulary": len(vectorizer.vocabulary_),
                "fitSeconds": fits,
                "allQueriesSeconds": query_seconds,
                "p5": hits / (K * len(records)),
            }
        )
    )


if __name__ == "__main__":
    main()
