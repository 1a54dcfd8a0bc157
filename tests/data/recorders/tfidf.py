# Records what tests/data/vectorizers.test.ts checks, with scikit-learn 1.2.1 (Debian
# python3-sklearn): run `/usr/bin/python3 tests/data/recorders/tfidf.py`.
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

docs = [
    "The cat sat on the mat.",
    "The dog sat on the log; the dog barked!",
    "Cats and dogs: cats chase dogs, dogs chase cats.",
    "A bird sat on a wire",
]
new = ["the cat chased a bird on the mat", "zebra"]


def show(name, vec, fit_docs, docs_out):
    vec.fit(fit_docs)
    x = vec.transform(docs_out).toarray()
    print(f"{name}_vocab:", " ".join(vec.get_feature_names_out()))
    print(f"{name}_x:", " ".join(f"{v:.7g}" for v in x.reshape(-1)))
    if hasattr(vec, "idf_"):
        print(f"{name}_idf:", " ".join(f"{v:.9g}" for v in vec.idf_))


# Defaults (words of two or more characters: the test's corpus gives the same tokens).
show("default", TfidfVectorizer(), docs, docs + new)
# One-character words kept, as Dendrite's tokenizer does.
word1 = r"(?u)\b\w+\b"
show("single", TfidfVectorizer(token_pattern=word1), docs, new)
show("options", TfidfVectorizer(token_pattern=word1, max_df=0.7, smooth_idf=False,
                                sublinear_tf=True, norm="l1"), docs, docs)
show("capped", TfidfVectorizer(token_pattern=word1, max_features=5), docs, docs)
show("counts", CountVectorizer(token_pattern=word1, binary=False), docs, new)
show("binary", CountVectorizer(token_pattern=word1, binary=True, min_df=0.5), docs, docs)
