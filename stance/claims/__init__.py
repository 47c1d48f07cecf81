"""Claim tracking across articles: linking propositions into tracked claims, and measuring it.

``linking`` embeds propositions with the bundled sentence encoder and links them with a
hybrid (embedding + TF-IDF) similarity; ``metrics`` has the clustering scores (pairwise and
B-cubed); ``evaluator`` measures linking on the labelled clusters of ``data/claims``.
"""
