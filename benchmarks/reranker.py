"""`make reranker`: a cross-encoder trained on the archive's own pairs, measured as a second look; not shipped.

The reranker starts from the bundled all-MiniLM-L6-v2 weights (a new one-logit
head on top) and is trained here, on CPU, on pairs that the archive of corpus/
provides without any question written by hand:

- heading ↔ block: a Convention article's title ↔ its text, a factsheet
  section's title ↔ its introduction;
- recommendation ↔ follow-up: a recommendation's text ↔ the Party's follow-up
  box that names the same recommendation;
- footnote remark ↔ passage: a footnote's remark (links left out) ↔ the passage
  that calls it;
- sentence ↔ the rest of its passage (the inverse cloze task): one sentence of
  a passage of three or more ↔ the passage without it.

Each pair gets ``NEGATIVES`` hard negatives: passages the archive's own hybrid
search ranks high for the pseudo-question that are not its answer. The loss is
listwise (softmax cross-entropy of the answer among its negatives).

At query time the reranker scores the hybrid search's first ``DEPTH``
passages; its scores and the hybrid's are standardised per query (z-scores)
and mixed, the reranker's share in ``SHARES`` (1.0: its order alone). Dev,
held-out and French sets, for both archives (the reranker is the same English
model for either). The model is trained once into benchmarks/work/ and reused;
``--retrain`` trains it again. Prints a Markdown table and writes
benchmarks/reranker.json.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval as bench  # noqa: E402  (benchmarks/eval.py: the archives and query sets of `make eval`)

import torch  # noqa: E402
from sentence_transformers import CrossEncoder  # noqa: E402

from second_look import cost_ms, print_table  # noqa: E402
from lanzasearch.embedding import resolve_model  # noqa: E402
from lanzasearch.evaluation import evaluate  # noqa: E402
from lanzasearch.fusion import zscores  # noqa: E402
from lanzasearch.text import split_sentences  # noqa: E402

RESULTS = bench.ROOT / "benchmarks" / "reranker.json"
TRAINED = bench.WORK / "reranker-minilm"
BASE_MODEL = "all-MiniLM-L6-v2"
NEGATIVES = 4  # hard negatives per pair
SEARCH_DEPTH = 20  # how deep the hybrid search is read for hard negatives
EPOCHS = 3
BATCH = 8  # pairs per step (each with its negatives)
LEARNING_RATE = 5e-5  # the MiniLM layers
HEAD_LEARNING_RATE = 1e-3  # the new one-logit head, which starts from random weights
MAX_LENGTH = 256  # tokens of question + passage
DEPTH = 20  # passages of the hybrid search the reranker scores at query time
SHARES = (0.3, 0.5, 0.7, 1.0)
SEED = 13
ARTICLE_TITLE = re.compile(r"^Article\s+\d+\w*\s*[–-]\s*")
LINK = re.compile(r"https?://\S+")


def training_pairs(hits: list) -> list[tuple[str, int, set[int]]]:
    """(pseudo-question, answer's chunk id, every chunk id that also answers it) from the archive's structure."""
    pairs: list[tuple[str, int, set[int]]] = []
    by_rec: dict[tuple[str, str], list] = {}
    for hit in hits:
        for rec in hit.rec_ids:
            by_rec.setdefault((hit.doc_id, rec), []).append(hit)
    for hit in hits:
        if hit.kind == "article" and hit.heading:
            title = ARTICLE_TITLE.sub("", hit.heading).strip()
            same = {h.chunk_id for h in hits if h.heading == hit.heading}
            pairs.append((title, hit.chunk_id, same))
        if hit.kind == "introduction" and hit.section_title:
            same = {h.chunk_id for h in hits if h.doc_id == hit.doc_id and h.section == hit.section
                    and h.kind == "introduction"}
            pairs.append((hit.section_title, hit.chunk_id, same))
        if hit.kind == "follow_up":
            for rec in hit.rec_ids:
                for asked in by_rec.get((hit.doc_id, rec), []):
                    if asked.kind == "recommendation":
                        pairs.append((asked.text, hit.chunk_id, {hit.chunk_id}))
        for note in hit.notes:
            remark = LINK.sub("", note).strip(" :.;,")
            if len(remark.split()) >= 4:
                pairs.append((remark, hit.chunk_id, {hit.chunk_id}))
    return pairs


def cloze_pairs(hits: list) -> list[tuple[str, str, int]]:
    """(one sentence, the rest of its passage, chunk id) for passages of three sentences or more."""
    found = []
    for hit in hits:
        sentences = split_sentences(hit.text)
        if len(sentences) < 3:
            continue
        for i, sentence in enumerate(sentences):
            if len(sentence.split()) >= 6:
                found.append((sentence, " ".join(sentences[:i] + sentences[i + 1:]), hit.chunk_id))
    return found


def examples(archive, hits: list, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """(question, answer text, hard negative texts) for every pair, negatives from the archive's own search."""
    text_of = {h.chunk_id: h.text for h in hits}
    rows = [(q, text_of[i], i, same) for q, i, same in training_pairs(hits)]
    rows += [(q, rest, i, {i}) for q, rest, i in cloze_pairs(hits)]
    built = []
    for question, answer, chunk_id, same in rows:
        ranked = [h.chunk_id for h in archive.search(question, k=SEARCH_DEPTH, mode="hybrid")]
        pool = [i for i in ranked if i not in same] or [i for i in text_of if i not in same]
        negatives = rng.sample(pool[:SEARCH_DEPTH], min(NEGATIVES, len(pool)))
        built.append((question, answer, [text_of[i] for i in negatives]))
    return built


def train(archive, hits: list) -> CrossEncoder:
    """The cross-encoder trained on the archive's pairs (saved to benchmarks/work/reranker-minilm)."""
    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    started = time.perf_counter()
    data = examples(archive, hits, rng)
    bench.log(f"reranker: {len(data)} training pairs mined in {time.perf_counter() - started:.1f} s")
    model = CrossEncoder(resolve_model(BASE_MODEL)[1], num_labels=1, max_length=MAX_LENGTH)
    head = [p for name, p in model.named_parameters() if "classifier" in name]
    body = [p for name, p in model.named_parameters() if "classifier" not in name]
    optimizer = torch.optim.AdamW([{"params": body, "lr": LEARNING_RATE}, {"params": head, "lr": HEAD_LEARNING_RATE}],
                                  weight_decay=0.01)
    steps = EPOCHS * ((len(data) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / (0.1 * steps))
                                                 * max(0.0, (steps - step) / steps))
    model.train()
    step = 0
    epoch_losses: list[float] = []
    for epoch in range(EPOCHS):
        rng.shuffle(data)
        losses = []
        for start in range(0, len(data), BATCH):
            batch = data[start:start + BATCH]
            texts = [(q, passage) for q, answer, negatives in batch for passage in [answer, *negatives]]
            scores = model(model.preprocess(texts))["scores"].view(-1)
            loss = 0.0
            offset = 0
            for _, _, negatives in batch:
                group = scores[offset:offset + 1 + len(negatives)]
                loss = loss + torch.nn.functional.cross_entropy(group.unsqueeze(0), torch.zeros(1, dtype=torch.long))
                offset += 1 + len(negatives)
            loss = loss / len(batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            step += 1
        epoch_losses.append(round(statistics.mean(losses), 3))
        bench.log(f"reranker: epoch {epoch + 1}/{EPOCHS}, mean loss {statistics.mean(losses):.3f}, "
                  f"{time.perf_counter() - started:.0f} s")
    model.eval()
    model.save(str(TRAINED))
    (TRAINED / "lanzasearch-training.json").write_text(json.dumps(
        {"pairs": len(data), "epochs": EPOCHS, "negatives": NEGATIVES, "seconds": round(time.perf_counter() - started),
         "loss_by_epoch": epoch_losses},
        indent=2) + "\n", encoding="utf-8")
    return model


def reranked(archive, model: CrossEncoder, share: float):
    """Search: the hybrid's first DEPTH passages, reordered by the mix of hybrid and reranker z-scores."""
    def search(query: str) -> list:
        hits = archive.search(query, k=DEPTH, mode="hybrid")
        if len(hits) < 2:
            return hits[:10]
        scores = model.predict([(query, h.text) for h in hits], batch_size=DEPTH, show_progress_bar=False)
        hybrid = zscores({i: h.score for i, h in enumerate(hits)})
        rerank = zscores({i: float(s) for i, s in enumerate(scores)})
        order = sorted(range(len(hits)), key=lambda i: -((1 - share) * hybrid[i] + share * rerank[i]))
        return [hits[i] for i in order[:10]]
    return search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--retrain", action="store_true", help="train the reranker again")
    args = parser.parse_args(argv)
    bench.WORK.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(2)
    sets = {name: bench.load_queries(path) for name, path in bench.QUERY_SETS.items()}
    archives = {model: bench.corpus_archive(model) for model in bench.MODELS}
    base = archives[BASE_MODEL]
    with base.store.snapshot() as snapshot:
        hits = snapshot.hits([(int(i), 0.0) for i in snapshot.chunk_ids()])
    if args.retrain or not (TRAINED / "lanzasearch-training.json").exists():
        model = train(base, hits)
    else:
        model = CrossEncoder(str(TRAINED), max_length=MAX_LENGTH)
    training = json.loads((TRAINED / "lanzasearch-training.json").read_text(encoding="utf-8"))
    dev = [q.query for q in sets["dev"]]
    rows = []
    for name, archive in archives.items():
        systems = {"hybrid (as shipped)": lambda q, a=archive: a.search(q, k=10, mode="hybrid")}
        systems.update({f"hybrid + reranker, share {share}": reranked(archive, model, share) for share in SHARES})
        for system, search in systems.items():
            row = {"model": name, "system": system, "ms_per_query": cost_ms(search, dev, warm=False)}
            for set_name, queries in sets.items():
                report = evaluate(search, queries, system).summary()
                row[set_name] = {k: report[k] for k in ("hit@1", "hit@5", "mrr@10", "misses")}
            rows.append(row)
            bench.log(json.dumps(row))
    print_table(rows)
    RESULTS.write_text(json.dumps({"training": training, "depth": DEPTH, "rows": rows}, indent=2) + "\n",
                       encoding="utf-8")
    for archive in archives.values():
        archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
